package org.datacoop.chain;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import org.datacoop.protocol.Address;
import org.datacoop.protocol.ProofData;
import org.web3j.abi.TypeEncoder;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/**
 * The EIP-712 digest of a contribution proof, computed locally exactly as {@code TeePool} does, so
 * a validator signs only what it has checked itself, never a digest an RPC node handed it.
 * (web3j's StructuredDataEncoder takes JSON typed data; these ten fixed members are plainer here.)
 */
public final class ContributionProofDigest {
    private static final byte[] DOMAIN_TYPEHASH = keccak(
            "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    private static final byte[] PROOF_TYPEHASH = keccak(
            "ContributionProof(uint256 fileId,uint256 jobId,bytes32 encryptedChecksum,uint256 score,uint256 dlpId,"
                    + "bytes32 programDigest,address validator,string metadata,string proofUrl,string instruction)");
    private static final byte[] NAME = keccak("DataCoop TeePool");
    private static final byte[] VERSION = keccak("1");

    private ContributionProofDigest() {}

    /** The 32-byte digest a validator signs (raw, no EIP-191 prefix). */
    public static byte[] of(long chainId, String teePool, long fileId, long jobId, byte[] encryptedChecksum,
            Address validator, ProofData data) {
        byte[] domain = Hash.sha3(concat(DOMAIN_TYPEHASH, NAME, VERSION, uint(BigInteger.valueOf(chainId)), address(teePool)));
        byte[] struct = Hash.sha3(concat(
                PROOF_TYPEHASH,
                uint(BigInteger.valueOf(fileId)),
                uint(BigInteger.valueOf(jobId)),
                Numeric.hexStringToByteArray(TypeEncoder.encode(new Bytes32(encryptedChecksum))),
                uint(data.score()),
                uint(BigInteger.valueOf(data.dlpId())),
                Numeric.hexStringToByteArray(data.programDigest()),
                address(validator.value()),
                keccak(data.metadata()),
                keccak(data.proofUrl()),
                keccak(data.instruction())));
        return Hash.sha3(concat(new byte[] {0x19, 0x01}, domain, struct));
    }

    private static byte[] keccak(String text) {
        return Hash.sha3(text.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] uint(BigInteger value) {
        return Numeric.hexStringToByteArray(TypeEncoder.encode(new Uint256(value)));
    }

    private static byte[] address(String address) {
        return Numeric.hexStringToByteArray(TypeEncoder.encode(new org.web3j.abi.datatypes.Address(address)));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
