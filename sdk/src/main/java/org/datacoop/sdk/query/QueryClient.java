package org.datacoop.sdk.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.datacoop.chain.ChainException;
import org.datacoop.chain.DataCoopChain;
import org.datacoop.chain.OwnershipChain.Scope;
import org.datacoop.chain.QueryChain;
import org.datacoop.chain.QueryRequestDigest;
import org.datacoop.chain.Wallet;
import org.datacoop.protocol.Address;
import org.datacoop.protocol.Hex;
import org.datacoop.protocol.crypto.KeyWrapping;
import org.datacoop.protocol.query.QueryRequest;
import org.datacoop.protocol.query.RowsRead;
import org.datacoop.sdk.node.NodeHttp;

/**
 * A builder's side of paid SQL: price a query, sign and send it to the DataDAO's query service,
 * and read the result it encrypted to this wallet (or to a result key of its own, {@link #withResultKey}). Payment comes from the wallet's deposit in the
 * QueryEngine ({@link QueryChain#deposit}); the service charges it on-chain before answering.
 */
public final class QueryClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long DEADLINE_SECONDS = 600;

    private final DataCoopChain chain;
    private final QueryChain queries;
    private final Wallet wallet;
    private final Optional<BigInteger> resultKey;
    private final SecureRandom random = new SecureRandom();

    public QueryClient(DataCoopChain chain, QueryChain queries, Wallet wallet) {
        this(chain, queries, wallet, Optional.empty());
    }

    private QueryClient(DataCoopChain chain, QueryChain queries, Wallet wallet, Optional<BigInteger> resultKey) {
        this.chain = chain;
        this.queries = queries;
        this.wallet = wallet;
        this.resultKey = resultKey;
    }

    /**
     * This client with results encrypted to the secp256k1 key {@code privateKey} instead of the
     * wallet's: the requests carry its public key as {@code result_key}, bound into the signed
     * {@code sqlHash}. For a wallet that signs but cannot decrypt (a browser or hardware wallet).
     */
    public QueryClient withResultKey(BigInteger privateKey) {
        return new QueryClient(chain, queries, wallet, Optional.of(privateKey));
    }

    /** A permission a query would pay for. */
    public record PermissionUse(long id, String scope, BigInteger price) {}

    /**
     * What a query would return, as far as the service tells before payment.
     *
     * @param minGroupSize the DataDAO's minimum group size (0 or 1: none)
     * @param suppressedGroups groups left out by it; empty when withheld, because together they cover
     *     fewer contributors than the minimum (a count then would tell about fewer than that)
     * @param notCharged why the query would return nothing and so be refused unpaid; empty when it returns rows
     */
    public record Expected(long rows, long minGroupSize, OptionalLong suppressedGroups, Optional<String> notCharged) {}

    /**
     * What a query would cost, which permissions it would use and what it would return, as the service computed it;
     * {@code refinerIds} the refiners whose tables it reads, ascending.
     */
    public record Quote(BigInteger price, Address token, Address service, String serviceUrl, List<PermissionUse> permissions,
            Expected expected, List<Long> refinerIds) {}

    /**
     * A paid query's result and its payment; {@code suppressedGroups} as in {@link Expected}; {@code leavesUrl}
     * where the service published the rows read, which the contributors claim their shares with.
     */
    public record Answer(List<String> columns, List<List<Object>> rows, long minGroupSize, OptionalLong suppressedGroups,
            BigInteger price, Address token, String queryId, String txHash, List<RowsRead> rowsRead, String leavesUrl) {}

    /** Why a query service refused a query: its HTTP status and its words (naming the column at fault). */
    public static final class QueryRefused extends RuntimeException {
        private final int status;

        public QueryRefused(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    /**
     * Prices {@code sql} on DataDAO {@code dlpId}'s query service and learns what it would return;
     * fails naming what the wallet may not read. The service tells the price to anyone but what a
     * query would return only to its grantee, so that part is asked with a request signed by the
     * wallet for a maximum price of 0: a signature that can charge nothing if the service kept it.
     */
    public Quote price(String sql, long dlpId) {
        Service service = service(dlpId);
        JsonNode answer = quoted(service, dlpId, "/query/price", sql, body -> {});
        Address token = Address.of(answer.path("token").asText());
        JsonNode signed = post(service.url() + "/query/price", signedBody(sql, dlpId, service.address(), token, BigInteger.ZERO));
        Expected expected = new Expected(signed.path("rows").asLong(), signed.path("min_group_size").asLong(),
                suppressedGroups(signed), signed.path("chargeable").asBoolean(true) ? Optional.empty()
                        : Optional.of(signed.path("reason").asText()));
        return new Quote(new BigInteger(answer.path("price").asText()), token, service.address(), service.url(),
                permissionsOf(answer), expected, refinersOf(answer));
    }

    /**
     * What a compute task selecting {@code sql} would pay for its data, for this wallet: the permissions
     * and refiners it would use, priced by DataDAO {@code dlpId}'s query service, its worker. Unlike a
     * query, a selection of rows is priced (they stay in the worker's enclave). Data whose owner set
     * terms needs a license of {@code scope} (compute, or training for an algorithm that may train).
     * Fails naming what the wallet may not read.
     */
    public record SelectionQuote(BigInteger price, Address token, Address service, List<PermissionUse> permissions,
            List<Long> refinerIds) {}

    public SelectionQuote priceSelection(String sql, long dlpId, Scope scope) {
        Service service = service(dlpId);
        JsonNode answer = quoted(service, dlpId, "/task/price", sql, body -> body.put("scope", scope.label()));
        return new SelectionQuote(new BigInteger(answer.path("price").asText()), Address.of(answer.path("token").asText()),
                service.address(), permissionsOf(answer), refinersOf(answer));
    }

    /** The service's unsigned price of {@code sql} at {@code endpoint}, once it answers as the DataDAO's service. */
    private JsonNode quoted(Service service, long dlpId, String endpoint, String sql, Consumer<ObjectNode> more) {
        ObjectNode body = JSON.createObjectNode().put("sql", sql).put("dlp_id", dlpId).put("caller", wallet.address().value());
        more.accept(body);
        JsonNode answer = post(service.url() + endpoint, body);
        Address quotedBy = Address.of(answer.path("service").asText());
        if (!quotedBy.equals(service.address())) {
            // A signature or a payment would go to whoever the reply names.
            throw new QueryRefused(502, "the query service at " + service.url() + " answers as " + quotedBy
                    + ", not as DataDAO " + dlpId + "'s service " + service.address());
        }
        return answer;
    }

    private static List<PermissionUse> permissionsOf(JsonNode answer) {
        List<PermissionUse> permissions = new ArrayList<>();
        answer.path("permissions").forEach(p -> permissions.add(
                new PermissionUse(p.path("id").asLong(), p.path("scope").asText(), new BigInteger(p.path("price").asText()))));
        return List.copyOf(permissions);
    }

    private static List<Long> refinersOf(JsonNode answer) {
        SortedSet<Long> refinerIds = new TreeSet<>();
        answer.path("tables").forEach(t -> refinerIds.add(t.path("refiner_id").asLong()));
        return List.copyOf(refinerIds);
    }

    private static OptionalLong suppressedGroups(JsonNode document) {
        JsonNode count = document.path("suppressed_groups");
        return count.isNumber() ? OptionalLong.of(count.asLong()) : OptionalLong.empty();
    }

    /** Prices and runs {@code sql}; see {@link #query(Quote, String, long, Optional)}. */
    public Answer query(String sql, long dlpId, Optional<BigInteger> maxPrice) {
        return query(price(sql, dlpId), sql, dlpId, maxPrice);
    }

    /**
     * Signs and runs {@code sql} as {@code quote} priced it, paying at most {@code maxPrice} (default:
     * the quoted price) from the wallet's deposit, and decrypts the result. The service decides again
     * whether it returns anything: a query the quote said would be refused is sent all the same (the
     * data may have changed since), and one that returns nothing is refused with nothing charged.
     */
    public Answer query(Quote quote, String sql, long dlpId, Optional<BigInteger> maxPrice) {
        BigInteger limit = maxPrice.orElse(quote.price());
        if (quote.price().compareTo(limit) > 0) {
            throw new QueryRefused(402, "the query costs " + quote.price() + ", more than the maximum of " + limit);
        }
        ObjectNode body = signedBody(sql, dlpId, quote.service(), quote.token(), limit);
        JsonNode answer = post(quote.serviceUrl() + "/query", body);
        JsonNode result;
        try {
            String encrypted = answer.path("encrypted_result").asText();
            result = JSON.readTree(resultKey.map(key -> new KeyWrapping().unwrapEcies(encrypted, key))
                    .orElseGet(() -> wallet.unwrapEcies(encrypted)));
        } catch (IOException | RuntimeException e) {
            throw new ChainException("the query was paid (" + answer.path("tx_hash").asText()
                    + ") but its result does not open with " + (resultKey.isPresent() ? "the result key" : "this wallet's key")
                    + ": " + e.getMessage(), e);
        }
        List<String> columns = new ArrayList<>();
        result.path("columns").forEach(c -> columns.add(c.asText()));
        List<List<Object>> rows = new ArrayList<>();
        for (JsonNode row : result.path("rows")) {
            List<Object> values = new ArrayList<>();
            row.forEach(v -> values.add(v.isNull() ? null : v.isNumber() ? v.numberValue() : v.isBoolean() ? v.booleanValue()
                    : v.asText()));
            rows.add(values);
        }
        Map<Long, SortedMap<Long, Long>> reads = new TreeMap<>();
        answer.path("rows_read").forEach(r -> reads.computeIfAbsent(r.path("refiner_id").asLong(), k -> new TreeMap<>())
                .put(r.path("file_id").asLong(), r.path("rows").asLong()));
        return new Answer(List.copyOf(columns), rows, result.path("min_group_size").asLong(), suppressedGroups(result),
                new BigInteger(answer.path("price").asText()), Address.of(answer.path("token").asText()),
                answer.path("query_id").asText(), answer.path("tx_hash").asText(),
                reads.entrySet().stream().map(e -> new RowsRead(e.getKey(), e.getValue())).toList(),
                answer.path("leaves_url").asText());
    }

    /**
     * {@code sql} with a {@link QueryRequest} for it signed by the wallet, as {@code POST /query} takes it,
     * and the result key's public half when this client has one.
     */
    private ObjectNode signedBody(String sql, long dlpId, Address service, Address token, BigInteger maxPrice) {
        Optional<byte[]> resultPublicKey = resultKey.map(KeyWrapping::secp256k1PublicKey);
        String sqlHash = resultPublicKey.map(key -> QueryRequestDigest.sqlHash(dlpId, key, sql))
                .orElseGet(() -> QueryRequestDigest.sqlHash(dlpId, sql));
        QueryRequest request = new QueryRequest(wallet.address(), service, sqlHash, token,
                maxPrice, new BigInteger(63, random), chain.latestBlockSeconds() + DEADLINE_SECONDS);
        byte[] signature = wallet.signDigest(queries.queryDigest(request));
        ObjectNode body = JSON.createObjectNode().put("sql", sql).put("dlp_id", dlpId);
        resultPublicKey.ifPresent(key -> body.put("result_key", Hex.prefixed(key)));
        body.putObject("request")
                .put("grantee", request.grantee().value())
                .put("service", request.service().value())
                .put("sql_hash", request.sqlHash())
                .put("token", request.token().value())
                .put("max_price", request.maxPrice().toString())
                .put("nonce", request.nonce().toString())
                .put("deadline", request.deadline());
        body.put("signature", Hex.prefixed(signature));
        return body;
    }

    /** A query service: its address on-chain and the url it publishes. */
    private record Service(Address address, String url) {}

    /** The first query service DataDAO {@code dlpId} trusts, and its url as registered in the TeePool. */
    private Service service(long dlpId) {
        chain.requireDataDao(dlpId);
        List<Address> services = queries.refinementServices(dlpId);
        if (services.isEmpty()) {
            throw new ChainException("DataDAO " + dlpId + " has no refinement service to query; its owner adds one");
        }
        Address address = services.get(0);
        return chain.findValidator(address)
                .map(v -> new Service(address, v.url().replaceFirst("/+$", "")))
                .orElseThrow(() -> new ChainException("DataDAO " + dlpId + "'s query service " + address
                        + " publishes no url (it is not registered as a validator)"));
    }

    private static JsonNode post(String url, JsonNode body) {
        return NodeHttp.post(url, body, "the query service", QueryRefused::new);
    }
}
