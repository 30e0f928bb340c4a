package org.datacoop.node.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.datacoop.chain.ChainException;
import org.datacoop.chain.OwnershipChain.Scope;
import org.datacoop.node.job.NodeJob;
import org.datacoop.node.claim.ClaimService;
import org.datacoop.node.job.ValidatorNode;
import org.datacoop.node.query.QueryService;
import org.datacoop.node.query.ResultJson;
import org.datacoop.protocol.Address;
import org.datacoop.protocol.ContributedFile;
import org.datacoop.protocol.Hex;
import org.datacoop.protocol.ProofRequest;
import org.datacoop.protocol.crypto.CryptoException;
import org.datacoop.protocol.crypto.KeyWrapping;
import org.datacoop.protocol.query.QueryRequest;
import org.datacoop.query.QueryException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's HTTP API as a plain function from request to response, so tests call it in process:
 * {@code POST /RunProof} (Vana's body), {@code POST /proof} (LazAI's), {@code GET /jobs/{id}} and
 * {@code GET /health}, the query engine's {@code POST /query} and {@code POST /query/price}, and {@code POST /task/price} for compute tasks. Every error is a JSON {@code {"error": "..."}} naming the field or the job
 * at fault.
 */
public final class NodeApi {
    /** Requests are small JSON documents; anything bigger is refused before it is parsed. */
    public static final int MAX_BODY_BYTES = 1 << 20;
    private static final int MAX_VARIABLES_CHARS = 64 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(NodeApi.class);
    private static final Pattern JOB_PATH = Pattern.compile("/jobs/([^/]+)");

    /** An answer: a status and a JSON body. */
    public record Response(int status, JsonNode body) {}

    private final ValidatorNode node;
    /** Endpoints a node extension adds ({@link #addPost}), answered as the node's own. */
    private final Map<String, Function<JsonNode, Response>> extensionPosts = new ConcurrentHashMap<>();

    public NodeApi(ValidatorNode node) {
        this.node = node;
    }

    /**
     * Answers {@code POST path} with {@code handler}: the body is checked as every POST's (size, a JSON
     * object) before it gets it, and a {@link ValidatorNode.RequestRefused} it throws is answered with its
     * status. The node's own endpoints are matched first, so an extension never replaces one.
     */
    public void addPost(String path, Function<JsonNode, Response> handler) {
        if (extensionPosts.putIfAbsent(path, handler) != null) {
            throw new IllegalArgumentException("an extension already answers POST " + path);
        }
    }

    public Response handle(String method, String path, byte[] body) {
        try {
            return switch (path) {
                case "/RunProof" -> post(method, path, body, this::runProof);
                case "/proof" -> post(method, path, body, this::proof);
                case "/query/price" -> post(method, path, body, this::price);
                case "/task/price" -> post(method, path, body, this::taskPrice);
                case "/query" -> post(method, path, body, this::query);
                case "/claim" -> post(method, path, body, this::claim);
                case "/health" -> get(method, path, this::health);
                default -> {
                    Matcher job = JOB_PATH.matcher(path);
                    if (job.matches()) {
                        yield get(method, path, () -> job(job.group(1)));
                    }
                    Function<JsonNode, Response> extension = extensionPosts.get(path);
                    if (extension != null) {
                        yield post(method, path, body, extension);
                    }
                    yield error(404, "no such endpoint: " + path + " (try POST /RunProof, POST /proof, POST /query, POST /query/price, POST /task/price, POST /claim, GET /jobs/{id}, GET /health)");
                }
            };
        } catch (BadRequest e) {
            return error(400, e.getMessage());
        } catch (QueryException e) {
            return error(switch (e.code()) {
                case NO_PERMISSION, GROUP_TOO_SMALL -> 403;
                case NOTHING_RELEASED -> 422;
                case CHARGE_REFUSED -> 409;
                case TOO_LARGE -> 413;
                default -> 400;
            }, e.getMessage());
        } catch (ValidatorNode.RequestRefused e) {
            return error(e.status(), e.getMessage());
        } catch (ChainException e) {
            // Details stay in the operator's log: an RPC url may carry a provider's API key.
            LOG.warn("{} {}: the chain failed: {}", method, path, e.getMessage());
            return error(503, "the validator cannot reach the chain right now; try again later");
        } catch (RuntimeException e) {
            LOG.error("{} {} failed", method, path, e);
            return error(500, "the validator failed on this request: " + e.getClass().getSimpleName());
        }
    }

    /**
     * Vana's {@code /RunProof}: {@code encryption_key} is the password itself, {@code
     * encrypted_encryption_key} it wrapped. {@code proof_url} is read but not used: the program is
     * always the one the DataDAO pins on-chain, fetched from the DataDAO's own url. {@code env_vars},
     * {@code secrets} and {@code nonce} need the owner's {@code signature}.
     */
    private Response runProof(JsonNode request) {
        long jobId = positiveLong(request, "job_id");
        long fileId = positiveLong(request, "file_id");
        optionalText(request, "proof_url");
        Map<String, String> envVars = textMap(request, "env_vars");
        Map<String, String> secrets = hexMap(request, "secrets");
        envVars.keySet().stream().filter(secrets::containsKey).findFirst().ifPresent(name -> {
            throw new BadRequest(name + " is both in env_vars and in secrets; name each variable once");
        });
        Long nonce = optionalLong(request, "nonce");
        NodeJob job = node.accept("RunProof", new ProofRequest(jobId, fileId, nonce,
                optionalText(request, "encryption_seed"), optionalText(request, "encryption_key"),
                optionalHex(request, "encrypted_encryption_key"), envVars, secrets), signature(request));
        return accepted(job, nonce);
    }

    /**
     * LazAI's {@code /proof}: {@code encryption_key} is the password RSA-wrapped to this node, hex
     * (signed as the request's {@code encryptedEncryptionKey}). {@code nonce} needs the owner's
     * {@code signature}.
     */
    private Response proof(JsonNode request) {
        long jobId = positiveLong(request, "job_id");
        long fileId = positiveLong(request, "file_id");
        String fileUrl = optionalText(request, "file_url");
        String wrapped = optionalHex(request, "encryption_key");
        if (fileUrl != null) {
            ContributedFile file;
            try {
                file = node.chain().file(fileId);
            } catch (ChainException e) {
                if (e.isUnreachable()) {
                    throw e;
                }
                throw new BadRequest(e.getMessage());
            }
            if (!file.url().equals(fileUrl)) {
                throw new BadRequest("file_url " + fileUrl + " is not the url of file " + fileId + " (" + file.url() + ")");
            }
        }
        optionalText(request, "proof_url"); // checked, not used: as in runProof
        Long nonce = optionalLong(request, "nonce");
        NodeJob job = node.accept("proof", new ProofRequest(jobId, fileId, nonce,
                optionalText(request, "encryption_seed"), null, wrapped, Map.of(), Map.of()), signature(request));
        return accepted(job, nonce);
    }

    /**
     * {@code POST /query/price}: what {@code sql} would cost and which permissions it would use, for
     * {@code caller}; and, only when the body carries a signed {@code request} and {@code signature}
     * as for {@code POST /query} (then {@code caller} is its grantee), what it would return
     * ({@link ResultJson#putExpected}). Fails naming the column the caller may not read.
     */
    private Response price(JsonNode call) {
        QueryService.Quote quote = call.has("request") || call.has("signature")
                ? node.queries().quote(signedQuery(call))
                : node.queries().quote(requiredText(call, "sql"), positiveLong(call, "dlp_id"), address(call, "caller"));
        return quoted(quote);
    }

    /**
     * {@code POST /task/price}: what a compute task selecting {@code sql} would pay for its data, for
     * {@code caller}, and which permissions and refiners it would use, as {@code POST /query/price}
     * answers them. A task's rows stay in the enclave, so row selections are priced, not refused. Data
     * whose owner set terms needs a license of {@code scope}: {@code compute} (the default) or
     * {@code training}, for an algorithm that may train a model.
     */
    private Response taskPrice(JsonNode call) {
        return quoted(node.queries().quoteForTask(requiredText(call, "sql"), positiveLong(call, "dlp_id"),
                address(call, "caller"), taskScope(call)));
    }

    private static Scope taskScope(JsonNode call) {
        String scope = optionalText(call, "scope");
        if (scope == null) {
            return Scope.COMPUTE;
        }
        return switch (scope) {
            case "compute" -> Scope.COMPUTE;
            case "training" -> Scope.TRAINING;
            default -> throw new BadRequest("scope must be compute or training, not " + scope);
        };
    }

    private Response quoted(QueryService.Quote quote) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("price", quote.price().toString());
        body.put("token", quote.token().value());
        body.put("service", node.address().value());
        var permissions = body.putArray("permissions");
        quote.permissions().forEach(p -> permissions.addObject().put("id", p.id()).put("scope", p.scope())
                .put("price", p.price().toString()));
        var tables = body.putArray("tables");
        quote.plan().tables().forEach(t -> {
            ObjectNode table = tables.addObject().put("table", t.table().qualifiedName()).put("refiner_id", t.table().refinerId());
            var columns = table.putArray("columns");
            t.columns().stream().sorted().forEach(columns::add);
        });
        quote.expected().ifPresent(expected -> ResultJson.putExpected(body, expected));
        return new Response(200, body);
    }

    /**
     * {@code POST /query}: {@code sql}, {@code dlp_id}, the signed {@code request} ({@code grantee},
     * {@code service}, {@code sql_hash}, {@code token}, {@code max_price}, {@code nonce},
     * {@code deadline}) and its {@code signature}; optionally {@code result_key}, the secp256k1 public key
     * to encrypt the result to instead of the signer's (bound into {@code sql_hash}, so signed too).
     * Answers once the price is charged on-chain.
     */
    private Response query(JsonNode call) {
        QueryService.Answer answer = node.queries().run(signedQuery(call));
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("query_id", answer.queryId());
        body.put("price", answer.price().toString());
        body.put("token", answer.token().value());
        body.put("tx_hash", answer.txHash());
        body.put("rows", answer.rows());
        var reads = body.putArray("rows_read");
        answer.rowsRead().forEach(read -> read.rowsByFile().forEach((file, rows) ->
                reads.addObject().put("refiner_id", read.refinerId()).put("file_id", file).put("rows", rows)));
        body.put("leaves_url", answer.leavesUrl());
        body.put("encrypted_result", answer.encryptedResult());
        return new Response(200, body);
    }

    /**
     * {@code POST /claim}: {@code file_id}, {@code refiner_id}, {@code column} ({@code table.column}),
     * {@code at_least} (a decimal number in the column's units), {@code rows} and the file owner's EIP-191
     * {@code signature} of the claim's message ({@link ClaimService.ClaimRequest#message}). Answers once the
     * proved claim is recorded on-chain.
     */
    private Response claim(JsonNode call) {
        ClaimService claims = node.claims().orElseThrow(() -> new ValidatorNode.RequestRefused(503,
                "this validator proves no claims: it commits to no refined data (circuits not built, or a deployment"
                        + " without DataCommitments)"));
        BigDecimal atLeast;
        try {
            atLeast = new BigDecimal(requiredText(call, "at_least"));
        } catch (NumberFormatException e) {
            throw new BadRequest("at_least must be a decimal number, e.g. 7000 or 5.25");
        }
        ClaimService.ClaimRequest request = new ClaimService.ClaimRequest(positiveLong(call, "file_id"),
                positiveLong(call, "refiner_id"), requiredText(call, "column"), atLeast, positiveLong(call, "rows"),
                Hex.bytes(requiredHex(call, "signature", 65)));
        ClaimService.Recorded recorded = claims.prove(request);
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("tx_hash", recorded.txHash());
        body.put("file_id", request.fileId());
        body.put("refiner_id", request.refinerId());
        body.put("column", request.column());
        body.put("rows", request.rows());
        body.put("at_least", request.atLeast().toPlainString());
        body.put("threshold", recorded.threshold().toString());
        body.put("scale", recorded.scale());
        return new Response(200, body);
    }

    /** The {@code sql}, {@code dlp_id}, signed {@code request} and {@code signature} of a query or a signed quote. */
    private static QueryService.SignedQuery signedQuery(JsonNode call) {
        String sql = requiredText(call, "sql");
        long dlpId = positiveLong(call, "dlp_id");
        JsonNode r = call.get("request");
        if (r == null || !r.isObject()) {
            throw new BadRequest("missing field request (the signed QueryRequest)");
        }
        QueryRequest request = new QueryRequest(address(r, "grantee"), address(r, "service"), requiredHex(r, "sql_hash", 32),
                address(r, "token"), bigInteger(r, "max_price"), bigInteger(r, "nonce"), positiveLong(r, "deadline"));
        byte[] signature = Hex.bytes(requiredHex(call, "signature", 65));
        return new QueryService.SignedQuery(sql, dlpId, request, signature, resultKey(call));
    }

    /** The optional {@code result_key}: a secp256k1 public key, 0x-hex, compressed (33 bytes) or not (65). */
    private static Optional<byte[]> resultKey(JsonNode call) {
        String text = optionalText(call, "result_key");
        if (text == null) {
            return Optional.empty();
        }
        if (!text.matches("0x([0-9a-fA-F]{66}|[0-9a-fA-F]{130})")) {
            throw new BadRequest("result_key must be 0x and a secp256k1 public key in hex (33 bytes compressed or 65 uncompressed)");
        }
        byte[] key = Hex.bytes(text);
        try {
            KeyWrapping.requireSecp256k1PublicKey(key);
        } catch (CryptoException e) {
            throw new BadRequest("result_key is not a point of secp256k1; send the public key of the key pair to encrypt the result to");
        }
        return Optional.of(key);
    }

    /**
     * Vana's {@code {"success": true}}, plus the job's state and, for a request with a nonce, the
     * nonce and {@code signed_nonce}: this validator's signature of the request's receipt
     * ({@link ValidatorNode#signReceipt}), for the caller to check against the job's validator on-chain.
     */
    private Response accepted(NodeJob job, Long nonce) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("success", true);
        body.put("job_id", job.jobId());
        body.put("state", job.state().name());
        body.put("status_url", "/jobs/" + job.jobId());
        if (nonce != null) {
            body.put("nonce", nonce);
            body.put("validator", node.address().value());
            body.put("signed_nonce", Hex.prefixed(node.signReceipt(job.jobId(), job.fileId(), nonce)));
        }
        return new Response(200, body);
    }

    private Response job(String id) {
        long jobId;
        try {
            jobId = Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw new BadRequest("job id " + id + " is not a number");
        }
        NodeJob job = node.job(jobId).orElseThrow(() -> new ValidatorNode.RequestRefused(404,
                "this validator has no job " + jobId + node.chain().findJob(jobId)
                        .map(onChain -> " (it is assigned to " + onChain.validator() + ")")
                        .orElse(" (no such job on-chain)")));
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("job_id", job.jobId());
        body.put("file_id", job.fileId());
        body.put("dlp_id", job.dlpId());
        body.put("state", job.state().name());
        if (job.reason() != null) {
            body.put("reason", job.reason());
        }
        body.put("source", job.request().source());
        if (job.request().signedBy() != null) {
            body.put("signed_by", job.request().signedBy());
            body.put("nonce", job.request().nonce());
        }
        // names only: which variables the program will get (values stay with the node)
        Set<String> variables = new TreeSet<>(job.request().envVars().keySet());
        variables.addAll(job.request().wrappedSecrets().keySet());
        variables.forEach(body.putArray("variables")::add);
        // whether a key a caller sent is still to be tried (one that did not open the file is dropped);
        // once the job has ended, none is
        body.put("caller_key_pending", !job.state().isTerminal() && job.request().wrappedKey() != null);
        if (job.result() != null) {
            body.put("valid", job.result().valid());
            body.put("score", job.result().score());
            body.put("proof_url", job.result().proofUrl());
            if (job.result().proofIndex() != null) {
                body.put("proof_index", job.result().proofIndex());
                body.put("tx_hash", job.result().txHash());
            }
        }
        body.put("updated_at_ms", job.updatedAtMillis());
        return new Response(200, body);
    }

    private Response health() {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("status", "ok");
        body.put("validator", node.address().value());
        body.put("chain_id", node.chain().deployment().chainId());
        body.put("block", node.chain().blockNumber());
        ObjectNode jobs = body.putObject("jobs");
        node.counts().forEach((state, count) -> jobs.put(state.name(), count));
        return new Response(200, body);
    }

    private Response post(String method, String path, byte[] body, Function<JsonNode, Response> handler) {
        if (!method.equals("POST")) {
            return error(405, method + " " + path + " is not supported; POST a JSON body");
        }
        if (body.length > MAX_BODY_BYTES) {
            return error(413, "the request body is over " + MAX_BODY_BYTES + " bytes");
        }
        JsonNode request;
        try {
            request = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new BadRequest("the body is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new BadRequest("the body cannot be read: " + e.getMessage());
        }
        if (request == null || !request.isObject()) {
            throw new BadRequest("the body must be a JSON object");
        }
        return handler.apply(request);
    }

    private Response get(String method, String path, java.util.function.Supplier<Response> handler) {
        if (!method.equals("GET")) {
            return error(405, method + " " + path + " is not supported; use GET");
        }
        return handler.get();
    }

    private static Response error(int status, String message) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("error", message);
        return new Response(status, body);
    }

    private static long positiveLong(JsonNode request, String field) {
        JsonNode value = request.get(field);
        if (value == null || value.isNull()) {
            throw new BadRequest("missing field " + field);
        }
        if (!value.canConvertToExactIntegral() || !value.canConvertToLong() || value.asLong() < 1) {
            throw new BadRequest(field + " must be a positive integer, not " + value);
        }
        return value.asLong();
    }

    private static Long optionalLong(JsonNode request, String field) {
        JsonNode value = request.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.canConvertToExactIntegral() || !value.canConvertToLong()) {
            throw new BadRequest(field + " must be an integer, not " + value);
        }
        return value.asLong();
    }

    private static String optionalText(JsonNode request, String field) {
        JsonNode value = request.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new BadRequest(field + " must be a string");
        }
        return value.asText();
    }

    private static String requiredText(JsonNode request, String field) {
        String text = optionalText(request, field);
        if (text == null || text.isBlank()) {
            throw new BadRequest("missing field " + field);
        }
        return text;
    }

    /** {@code 0x}-hex of exactly {@code bytes} bytes, returned with its prefix. */
    private static String requiredHex(JsonNode request, String field, int bytes) {
        String text = requiredText(request, field);
        if (!text.matches("0x[0-9a-fA-F]{" + bytes * 2 + "}")) {
            throw new BadRequest(field + " must be 0x and " + bytes + " bytes of hex");
        }
        return text;
    }

    /** The owner's EIP-712 signature of the request, 65 bytes of hex (r, s, v); null when the request is unsigned. */
    private static byte[] signature(JsonNode request) {
        String text = optionalText(request, "signature");
        if (text == null) {
            return null;
        }
        if (!text.matches("(0x)?[0-9a-fA-F]{130}")) {
            throw new BadRequest("signature must be 65 bytes of hex (r, s, v), the file owner's EIP-712 signature of the request");
        }
        return Hex.bytes(text);
    }

    private static Address address(JsonNode request, String field) {
        String text = requiredText(request, field);
        try {
            return Address.of(text);
        } catch (IllegalArgumentException e) {
            throw new BadRequest(field + " is not an address: " + text);
        }
    }

    private static BigInteger bigInteger(JsonNode request, String field) {
        JsonNode value = request.get(field);
        if (value == null || value.isNull()) {
            throw new BadRequest("missing field " + field);
        }
        String text = value.asText();
        if (text.length() > 78) { // 2^256 has 78 digits; longer text is refused before it is parsed
            throw new BadRequest(field + " must be a uint256");
        }
        try {
            BigInteger number = new BigInteger(text);
            if (number.signum() < 0 || number.bitLength() > 256) {
                throw new BadRequest(field + " must be a uint256 (0 to 2^256 - 1), not " + text);
            }
            return number;
        } catch (NumberFormatException e) {
            throw new BadRequest(field + " must be a whole number (as a string for large values), not " + value);
        }
    }

    private static String optionalHex(JsonNode request, String field) {
        String text = optionalText(request, field);
        if (text != null && !text.matches("(0x)?([0-9a-fA-F]{2})+")) {
            throw new BadRequest(field + " must be hex");
        }
        return text;
    }

    private static Map<String, String> textMap(JsonNode request, String field) {
        JsonNode value = request.get(field);
        Map<String, String> map = new HashMap<>();
        if (value == null || value.isNull()) {
            return map;
        }
        if (!value.isObject()) {
            throw new BadRequest(field + " must be an object of strings");
        }
        value.properties().forEach(entry -> {
            if (!entry.getValue().isTextual()) {
                throw new BadRequest(field + "." + entry.getKey() + " must be a string");
            }
            if (!ProofRequest.isVariableName(entry.getKey())) {
                throw new BadRequest(field + " key " + entry.getKey() + " is not an environment variable name");
            }
            if (ProofRequest.isReservedVariable(entry.getKey())) {
                throw new BadRequest(field + " key " + entry.getKey() + " is reserved: it would change what the program runs");
            }
            if (entry.getValue().asText().indexOf('\0') >= 0) {
                throw new BadRequest(field + "." + entry.getKey() + " holds a NUL character");
            }
            map.put(entry.getKey(), entry.getValue().asText());
        });
        // The kernel refuses to start a program with more than 128 KiB in one variable; keep well under it.
        if (map.entrySet().stream().mapToLong(e -> e.getKey().length() + e.getValue().length()).sum() > MAX_VARIABLES_CHARS) {
            throw new BadRequest(field + " holds more than " + MAX_VARIABLES_CHARS + " characters");
        }
        return map;
    }

    private static Map<String, String> hexMap(JsonNode request, String field) {
        Map<String, String> map = textMap(request, field);
        map.forEach((name, value) -> {
            if (!value.matches("(0x)?([0-9a-fA-F]{2})+")) {
                throw new BadRequest(field + "." + name + " must be hex (the secret wrapped to this validator's RSA key)");
            }
        });
        return map;
    }

    /** A request the API refuses as malformed (400). */
    private static final class BadRequest extends RuntimeException {
        BadRequest(String message) {
            super(message);
        }
    }
}
