package org.datacoop.chain;

import static org.datacoop.chain.Eip712.address;
import static org.datacoop.chain.Eip712.keccak;
import static org.datacoop.chain.Eip712.uint;

import org.datacoop.protocol.Address;
import org.datacoop.protocol.ProofData;
import org.web3j.utils.Numeric;

/**
 * The EIP-712 digest of a contribution proof, computed locally exactly as {@code TeePool} does, so
 * a validator signs only what it has checked itself, never a digest an RPC node handed it.
 */
public final class ContributionProofDigest {
    private static final byte[] PROOF_TYPEHASH = keccak(
            "ContributionProof(uint256 fileId,uint256 jobId,bytes32 encryptedChecksum,uint256 score,uint256 dlpId,"
                    + "bytes32 programDigest,address validator,string metadata,string proofUrl,string instruction)");

    private ContributionProofDigest() {}

    /** The 32-byte digest a validator signs (raw, no EIP-191 prefix). */
    public static byte[] of(long chainId, String teePool, long fileId, long jobId, byte[] encryptedChecksum,
            Address validator, ProofData data) {
        return Eip712.digest("DataCoop TeePool", chainId, teePool,
                PROOF_TYPEHASH,
                uint(fileId),
                uint(jobId),
                Eip712.bytes32(Numeric.toHexString(encryptedChecksum)),
                uint(data.score()),
                uint(data.dlpId()),
                Numeric.hexStringToByteArray(data.programDigest()),
                address(validator.value()),
                keccak(data.metadata()),
                keccak(data.proofUrl()),
                keccak(data.instruction()));
    }
}
