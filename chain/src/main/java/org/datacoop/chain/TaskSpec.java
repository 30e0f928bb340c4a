package org.datacoop.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import org.datacoop.protocol.Address;
import org.datacoop.protocol.crypto.KeyWrapping;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/**
 * A compute task's inputs as its requester hands them to the worker: stored encrypted (ECIES) to the
 * worker's key at the task's {@code specUrl} (an OP task's also to its possible challengers and
 * referees: {@link #sealTo}), since the chain keeps only their hashes. The worker
 * checks {@link #sqlHash()} and {@link #paramsHash()} against the task before it runs anything.
 *
 * <pre>{"version": 1, "dlpId": 1, "sql": "SELECT ...", "algorithm": "builtin:logistic-regression/v1",
 *  "params": "{...}", "requesterPublicKey": "0x04..", "model": "base64 of the model task's output bundle",
 *  "programUrl": "http://..."}</pre>
 *
 * @param algorithm the algorithm's descriptor ({@code builtin:NAME/v1}) or, for a program, its digest
 * @param params the parameters exactly as hashed: a JSON object's text
 * @param requesterPublicKey the uncompressed secp256k1 key the output is encrypted to: the requester's own
 *     (the worker checks that it is), or a result key of the requester's choosing that the task's sqlHash
 *     binds ({@link #resultKeySqlHash()}), as a browser wallet, which cannot decrypt, needs
 * @param model for inference or evaluation, the whole output ({@code ResultBundle}) of the verified task
 *     {@code modelId} names: the worker checks it hashes to that task's recorded result hash
 * @param programUrl for an algorithm that is a program (an executable or an OCI image tarball), where its
 *     bytes are; their SHA-256 must be the task's algorithm digest
 */
public record TaskSpec(long dlpId, String sql, String algorithm, String params, byte[] requesterPublicKey,
        Optional<byte[]> model, Optional<String> programUrl) {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Bounds what a worker parses: a spec with a model zip larger than this is refused. */
    public static final int MAX_BYTES = 64 << 20;
    /** The most readers an OP task's spec is sealed to, so what a reader fetches stays bounded. */
    public static final int MAX_READERS = 16;

    public TaskSpec {
        params = params == null || params.isBlank() ? "{}" : params;
        requesterPublicKey = requesterPublicKey.clone();
    }

    /** A spec whose algorithm is a built-in. */
    public TaskSpec(long dlpId, String sql, String algorithm, String params, byte[] requesterPublicKey,
            Optional<byte[]> model) {
        this(dlpId, sql, algorithm, params, requesterPublicKey, model, Optional.empty());
    }

    /** As the chain keeps it: {@link QueryRequestDigest#sqlHash}. */
    public String sqlHash() {
        return QueryRequestDigest.sqlHash(dlpId, sql);
    }

    /** As the chain keeps it: keccak-256 of the params' UTF-8 bytes. */
    public String paramsHash() {
        return paramsHash(params);
    }

    /**
     * As the chain keeps it when the output goes to a result key rather than to the requester's own key:
     * {@link QueryRequestDigest#sqlHash(long, byte[], String)} of {@link #requesterPublicKey}, so the key is
     * the one the requester named in its own transaction.
     */
    public String resultKeySqlHash() {
        return QueryRequestDigest.sqlHash(dlpId, requesterPublicKey, sql);
    }

    public static String paramsHash(String params) {
        return Numeric.toHexString(Hash.sha3((params == null || params.isBlank() ? "{}" : params)
                .getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * This spec sealed (ECIES) to each reader's secp256k1 key, as stored at the task's {@code specUrl}:
     * a TEE task's one reader, its worker, gets the sealed text alone; an OP task's readers (its worker,
     * and the DataDAO's refinement services, which may challenge it or referee its dispute) a JSON object
     * {@code {"sealed": {"0xaddress": "sealed text", ...}}}. Each reader opens its own entry
     * ({@link #sealedFor}); a reader added after the task cannot.
     */
    public String sealTo(Map<Address, byte[]> readers) {
        if (readers.isEmpty() || readers.size() > MAX_READERS) {
            throw new IllegalArgumentException("a spec is sealed to between 1 (its worker) and " + MAX_READERS
                    + " readers, not " + readers.size());
        }
        KeyWrapping wrapping = new KeyWrapping();
        if (readers.size() == 1) {
            return wrapping.wrapEcies(toJson(), readers.values().iterator().next());
        }
        ObjectNode sealed = JSON.createObjectNode();
        readers.forEach((reader, key) -> sealed.put(reader.value().toLowerCase(java.util.Locale.ROOT),
                wrapping.wrapEcies(toJson(), key)));
        ObjectNode envelope = JSON.createObjectNode();
        envelope.set("sealed", sealed);
        return envelope.toString();
    }

    /**
     * The sealed text for {@code reader} in what {@link #sealTo} stored: the whole of it for one reader;
     * fails naming the reader when the spec was not sealed to it.
     */
    public static String sealedFor(String stored, Address reader) {
        String text = stored.strip();
        if (!text.startsWith("{")) {
            return text;
        }
        try {
            JsonNode entry = JSON.readTree(text).path("sealed").path(reader.value().toLowerCase(java.util.Locale.ROOT));
            if (!entry.isTextual()) {
                throw new IllegalArgumentException("the task's spec is not sealed to " + reader);
            }
            return entry.asText();
        } catch (IOException e) {
            throw new IllegalArgumentException("the task's spec is neither a sealed text nor a JSON object of them: "
                    + e.getMessage());
        }
    }

    public byte[] toJson() {
        ObjectNode node = JSON.createObjectNode();
        node.put("version", 1);
        node.put("dlpId", dlpId);
        node.put("sql", sql);
        node.put("algorithm", algorithm);
        node.put("params", params);
        node.put("requesterPublicKey", Numeric.toHexString(requesterPublicKey));
        model.ifPresent(bundle -> node.put("model", Base64.getEncoder().encodeToString(bundle)));
        programUrl.ifPresent(url -> node.put("programUrl", url));
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException("writing a task spec", e);
        }
    }

    /** Reads a spec; fails naming what is missing or malformed. */
    public static TaskSpec parse(byte[] json) {
        if (json.length > MAX_BYTES) {
            throw new IllegalArgumentException("the task spec is " + json.length + " bytes, more than " + MAX_BYTES);
        }
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("the task spec is not JSON: " + e.getMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("the task spec is not a JSON object");
        }
        if (node.path("version").asInt() != 1) {
            throw new IllegalArgumentException("the task spec's version is " + node.path("version") + "; this worker reads 1");
        }
        for (String field : new String[] {"sql", "algorithm", "params", "requesterPublicKey"}) {
            if (!node.path(field).isTextual()) {
                throw new IllegalArgumentException("the task spec has no " + field);
            }
        }
        if (!node.path("dlpId").canConvertToLong()) {
            throw new IllegalArgumentException("the task spec has no dlpId");
        }
        byte[] key;
        try {
            key = HexFormat.of().parseHex(Numeric.cleanHexPrefix(node.get("requesterPublicKey").asText()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the task spec's requesterPublicKey is not hex");
        }
        if (key.length != 65 || key[0] != 4) {
            throw new IllegalArgumentException("the task spec's requesterPublicKey is not an uncompressed secp256k1 key");
        }
        Optional<byte[]> model = Optional.empty();
        if (node.hasNonNull("model")) {
            try {
                model = Optional.of(Base64.getDecoder().decode(node.get("model").asText()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("the task spec's model is not base64");
            }
        }
        if (node.has("programUrl") && !node.get("programUrl").isTextual()) {
            throw new IllegalArgumentException("the task spec's programUrl is not a string");
        }
        return new TaskSpec(node.get("dlpId").asLong(), node.get("sql").asText(), node.get("algorithm").asText(),
                node.get("params").asText(), key, model, Optional.ofNullable(node.get("programUrl")).map(JsonNode::asText));
    }
}
