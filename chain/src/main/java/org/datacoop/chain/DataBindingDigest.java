package org.datacoop.chain;

import static org.datacoop.chain.Eip712.address;
import static org.datacoop.chain.Eip712.keccak;
import static org.datacoop.chain.Eip712.uint;

import org.datacoop.protocol.Address;

/**
 * The EIP-712 digest an enclave signs to bind a data hash to its owner in the {@code OwnershipRegistry},
 * computed locally exactly as the registry does, so the enclave signs only what it checked itself.
 */
public final class DataBindingDigest {
    private static final byte[] BINDING_TYPEHASH =
            keccak("DataBinding(bytes32 dataHash,address owner,uint256 fileId,uint64 boundAt)");

    private DataBindingDigest() {}

    /** The 32-byte digest to sign (raw, no EIP-191 prefix); {@code dataHash} is 32 bytes. */
    public static byte[] of(long chainId, String ownershipRegistry, byte[] dataHash, Address owner, long fileId,
            long boundAtSeconds) {
        if (dataHash.length != 32) {
            throw new IllegalArgumentException("a data hash is 32 bytes, not " + dataHash.length);
        }
        return Eip712.digest("DataCoop OwnershipRegistry", chainId, ownershipRegistry, BINDING_TYPEHASH, dataHash,
                address(owner.value()), uint(fileId), uint(boundAtSeconds));
    }
}
