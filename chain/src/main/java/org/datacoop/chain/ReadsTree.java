package org.datacoop.chain;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.datacoop.protocol.query.RowsRead;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/**
 * The Merkle tree of one refiner's reads in a query, whose root the QueryEngine settles: leaves
 * (fileId, rows) laid out exactly as OpenZeppelin's {@code StandardMerkleTree.of(leaves, ["uint256",
 * "uint256"])} does (each leaf hashed twice, leaves sorted by hash, pairs hashed sorted), so anyone
 * holding the published leaves rebuilds the same root with that library.
 */
public final class ReadsTree {
    private final RowsRead reads;
    private final byte[][] nodes;
    private final Map<Long, Integer> nodeOfFile = new HashMap<>();

    private ReadsTree(RowsRead reads) {
        if (reads.rowsByFile().isEmpty()) {
            throw new IllegalArgumentException("refiner " + reads.refinerId() + " has no rows read; a tree needs a leaf");
        }
        this.reads = reads;
        List<Map.Entry<Long, byte[]>> leaves = new ArrayList<>();
        reads.rowsByFile().forEach((file, rows) -> leaves.add(Map.entry(file, leaf(file, rows))));
        leaves.sort((x, y) -> Arrays.compareUnsigned(x.getValue(), y.getValue()));
        nodes = new byte[2 * leaves.size() - 1][];
        for (int i = 0; i < leaves.size(); i++) {
            int node = nodes.length - 1 - i;
            nodes[node] = leaves.get(i).getValue();
            nodeOfFile.put(leaves.get(i).getKey(), node);
        }
        for (int i = nodes.length - 1 - leaves.size(); i >= 0; i--) {
            nodes[i] = hashPair(nodes[2 * i + 1], nodes[2 * i + 2]);
        }
    }

    public static ReadsTree of(RowsRead reads) {
        return new ReadsTree(reads);
    }

    public RowsRead reads() {
        return reads;
    }

    public byte[] root() {
        return nodes[0].clone();
    }

    /** The sibling hashes from {@code fileId}'s leaf up to the root. */
    public List<byte[]> proof(long fileId) {
        Integer node = nodeOfFile.get(fileId);
        if (node == null) {
            throw new IllegalArgumentException("file " + fileId + " is not a leaf of refiner " + reads.refinerId() + "'s reads");
        }
        List<byte[]> proof = new ArrayList<>();
        for (int i = node; i > 0; i = (i - 1) / 2) {
            proof.add(nodes[i % 2 == 1 ? i + 1 : i - 1].clone());
        }
        return proof;
    }

    /** {@code keccak256(bytes.concat(keccak256(abi.encode(fileId, rows))))}, as the contract hashes a leaf. */
    static byte[] leaf(long fileId, long rows) {
        byte[] encoded = new byte[64];
        System.arraycopy(Numeric.toBytesPadded(BigInteger.valueOf(fileId), 32), 0, encoded, 0, 32);
        System.arraycopy(Numeric.toBytesPadded(BigInteger.valueOf(rows), 32), 0, encoded, 32, 32);
        return Hash.sha3(Hash.sha3(encoded));
    }

    private static byte[] hashPair(byte[] a, byte[] b) {
        boolean ordered = Arrays.compareUnsigned(a, b) <= 0;
        byte[] both = new byte[64];
        System.arraycopy(ordered ? a : b, 0, both, 0, 32);
        System.arraycopy(ordered ? b : a, 0, both, 32, 32);
        return Hash.sha3(both);
    }
}
