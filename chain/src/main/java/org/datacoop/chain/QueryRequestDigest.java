package org.datacoop.chain;

import static org.datacoop.chain.Eip712.address;
import static org.datacoop.chain.Eip712.keccak;
import static org.datacoop.chain.Eip712.uint;

import java.nio.charset.StandardCharsets;
import org.datacoop.protocol.query.QueryRequest;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/**
 * The EIP-712 digest of a query request as {@code QueryEngine.queryDigest} computes it: what a
 * builder signs, and the query's id on-chain.
 */
public final class QueryRequestDigest {
    private static final byte[] TYPEHASH = keccak("QueryRequest(address grantee,address service,bytes32 sqlHash,"
            + "address token,uint256 maxPrice,uint256 nonce,uint256 deadline)");

    private QueryRequestDigest() {}

    /** The 32-byte digest (raw, no EIP-191 prefix). */
    public static byte[] of(long chainId, String queryEngine, QueryRequest request) {
        return Eip712.digest("DataCoop QueryEngine", chainId, queryEngine,
                TYPEHASH,
                address(request.grantee().value()),
                address(request.service().value()),
                Eip712.bytes32(request.sqlHash()),
                address(request.token().value()),
                uint(request.maxPrice()),
                uint(request.nonce()),
                uint(request.deadline()));
    }

    /**
     * The request's {@code sqlHash}: keccak-256 of {@code "dlp<ID>\n" + sql} as UTF-8, {@code 0x}-hex. The
     * DataDAO is bound with the SQL because it decides what unqualified table names mean: a relay
     * cannot point a signed query at another DataDAO's tables.
     */
    public static String sqlHash(long dlpId, String sql) {
        return hash("dlp" + dlpId + "\n" + sql);
    }

    /**
     * The request's {@code sqlHash} for a result encrypted to {@code resultKey} (a secp256k1 public key)
     * instead of the signer's key: keccak-256 of {@code "dlp<ID> result-key 0x<hex of the key>\n" + sql}.
     * A browser wallet cannot decrypt ECIES with its own key, so its page asks for the result under a
     * key of its own; binding that key here puts it under the builder's signature (the QueryEngine
     * signs over {@code sqlHash}), so a relay cannot swap in its own. The space after the DataDAO's id
     * keeps the two forms apart: the plain form has a newline there.
     */
    public static String sqlHash(long dlpId, byte[] resultKey, String sql) {
        return hash("dlp" + dlpId + " result-key " + Numeric.toHexString(resultKey) + "\n" + sql);
    }

    private static String hash(String text) {
        return Numeric.toHexString(Hash.sha3(text.getBytes(StandardCharsets.UTF_8)));
    }
}
