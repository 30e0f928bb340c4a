package org.datacoop.protocol.query;

import java.math.BigInteger;
import org.datacoop.protocol.Address;

/**
 * What a builder signs (EIP-712, by the QueryEngine's domain) to let one service run one query and
 * charge at most {@code maxPrice} for it.
 *
 * @param sqlHash keccak-256 of the SQL text (UTF-8), {@code 0x}-hex
 * @param token the payment token; the zero address for the native coin
 * @param nonce any number the builder never used with the same SQL, so the same query can be paid again
 * @param deadline the last chain second at which it may be charged
 */
public record QueryRequest(
        Address grantee, Address service, String sqlHash, Address token, BigInteger maxPrice, BigInteger nonce,
        long deadline) {}
