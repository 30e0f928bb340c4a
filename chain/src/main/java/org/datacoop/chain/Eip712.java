package org.datacoop.chain;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import org.web3j.abi.TypeEncoder;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/**
 * EIP-712 hashing of DataCoop's fixed structs, computed locally so a signer signs only what it
 * has checked itself. (web3j's StructuredDataEncoder takes JSON typed data; a handful of fixed
 * members is plainer here.)
 */
final class Eip712 {
    private static final byte[] DOMAIN_TYPEHASH = keccak(
            "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    private static final byte[] VERSION = keccak("1");

    private Eip712() {}

    /** The digest to sign (raw, no EIP-191 prefix) for a struct encoded as {@code members}. */
    static byte[] digest(String domainName, long chainId, String verifyingContract, byte[]... members) {
        return Hash.sha3(concat(new byte[] {0x19, 0x01}, domainSeparator(domainName, chainId, verifyingContract),
                Hash.sha3(concat(members))));
    }

    /** The domain separator of DataCoop's contract {@code domainName} (version 1) at {@code verifyingContract}. */
    static byte[] domainSeparator(String domainName, long chainId, String verifyingContract) {
        return Hash.sha3(concat(DOMAIN_TYPEHASH, keccak(domainName), VERSION, uint(BigInteger.valueOf(chainId)),
                address(verifyingContract)));
    }

    static byte[] keccak(String text) {
        return Hash.sha3(text.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] uint(BigInteger value) {
        return Numeric.hexStringToByteArray(TypeEncoder.encode(new Uint256(value)));
    }

    static byte[] uint(long value) {
        return uint(BigInteger.valueOf(value));
    }

    static byte[] address(String address) {
        return Numeric.hexStringToByteArray(TypeEncoder.encode(new org.web3j.abi.datatypes.Address(address)));
    }

    /** A {@code bytes32} member given as {@code 0x}-hex of exactly 32 bytes. */
    static byte[] bytes32(String hex) {
        byte[] bytes = Numeric.hexStringToByteArray(hex);
        if (bytes.length != 32) {
            throw new IllegalArgumentException("a bytes32 value is 32 bytes, not " + bytes.length);
        }
        return bytes;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
