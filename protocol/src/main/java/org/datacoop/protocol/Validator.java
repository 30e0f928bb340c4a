package org.datacoop.protocol;

/**
 * A validator as registered in the validator pool.
 *
 * @param rsaPublicKey DER (SubjectPublicKeyInfo) of its RSA key, or empty
 * @param secp256k1PublicKey its uncompressed (65-byte) secp256k1 key for ECIES, or empty
 * @param enclaveType what isolates it: {@code software} (no hardware attestation), or a TEE's name
 * @param measurement the enclave measurement, {@code 0x}-hex (zero for a software enclave)
 */
public record Validator(
        Address address,
        String url,
        byte[] rsaPublicKey,
        byte[] secp256k1PublicKey,
        String enclaveType,
        String measurement,
        boolean active) {}
