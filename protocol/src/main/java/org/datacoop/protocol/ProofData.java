package org.datacoop.protocol;

import java.math.BigInteger;

/**
 * What a validator proves about one file for one job, as the TeePool takes it and the EIP-712
 * proof signs it.
 *
 * @param score fixed point with 18 decimals, at most 1e18
 * @param programDigest SHA-256 of the program that judged the file, {@code 0x}-hex
 * @param metadata the program's metadata, JSON
 * @param proofUrl where the signed attestation document is stored
 * @param instruction free text for the DataDAO (unused by DataCoop's own programs)
 */
public record ProofData(BigInteger score, long dlpId, String programDigest, String metadata, String proofUrl, String instruction) {}
