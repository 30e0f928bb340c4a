package org.datacoop.compute.trace;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.crypto.digests.KeccakDigest;
import org.datacoop.protocol.Hex;

/**
 * A run's states, each a 32-byte commitment: state 0 commits the task's inputs, the last is the result
 * hash. {@link #length()} is the number of steps between them, the DisputeGame's {@code traceLength}.
 *
 * <p>{@link #root()} is a plain binary Merkle tree of keccak-256 (the hash the contracts can check a
 * path with), over leaves bound to their position:
 * <pre>
 * leaf(i)    = keccak256(uint256(i) || state[i])      as abi.encode(uint256, bytes32)
 * node       = keccak256(left || right)               children in position order, never sorted
 * </pre>
 * the leaves padded with zero hashes to a power of two. Not OpenZeppelin's sorted pairs (as the reads
 * trees use): a trace is a sequence, and a sorted pair would let two swapped states give the same root.
 *
 * <p>As text ({@link #toText}, what a worker keeps): one state a line, {@code 0x} and 64 hex digits.
 */
public record Trace(List<byte[]> states) {
    private static final int HASH = 32;

    public Trace {
        if (states.size() < 2) {
            throw new IllegalArgumentException("a trace has at least two states (the inputs and the result), not " + states.size());
        }
        List<byte[]> copy = new ArrayList<>(states.size());
        for (int i = 0; i < states.size(); i++) {
            byte[] state = states.get(i);
            if (state.length != HASH) {
                throw new IllegalArgumentException("state " + i + " of the trace is " + state.length + " bytes, not 32");
            }
            copy.add(state.clone());
        }
        states = List.copyOf(copy);
    }

    @Override
    public List<byte[]> states() {
        return states.stream().map(byte[]::clone).toList();
    }

    /** State {@code i}, 32 bytes. */
    public byte[] state(int i) {
        return states.get(i).clone();
    }

    /** The number of steps: one less than the number of states. */
    public long length() {
        return states.size() - 1;
    }

    /** The Merkle root of the states, 32 bytes. */
    public byte[] root() {
        int width = Integer.highestOneBit(states.size());
        if (width < states.size()) {
            width <<= 1;
        }
        byte[][] level = new byte[width][];
        for (int i = 0; i < width; i++) {
            level[i] = i < states.size()
                    ? keccak(ByteBuffer.allocate(2 * HASH).putLong(HASH - Long.BYTES, i).put(HASH, states.get(i)).array())
                    : new byte[HASH];
        }
        for (; width > 1; width /= 2) {
            for (int i = 0; i < width / 2; i++) {
                level[i] = keccak(ByteBuffer.allocate(2 * HASH).put(level[2 * i]).put(level[2 * i + 1]).array());
            }
        }
        return level[0];
    }

    /** The states one a line, {@code 0x} and 64 lowercase hex digits, state 0 first. */
    public String toText() {
        StringBuilder text = new StringBuilder();
        states.forEach(state -> text.append(Hex.prefixed(state)).append('\n'));
        return text.toString();
    }

    /** The trace {@link #toText} wrote; fails naming the line that is not a state. */
    public static Trace parse(String text) {
        List<byte[]> states = new ArrayList<>();
        for (String line : text.strip().split("\n")) {
            if (!line.matches("0x[0-9a-fA-F]{64}")) {
                throw new IllegalArgumentException("line " + (states.size() + 1) + " of the trace is not a state (0x and 64 hex digits): "
                        + (line.length() > 80 ? line.substring(0, 80) + "..." : line));
            }
            states.add(Hex.bytes(line));
        }
        return new Trace(states);
    }

    /** The root as {@code 0x} and 64 lowercase hex digits. */
    public String rootHex() {
        return Hex.prefixed(root());
    }

    private static byte[] keccak(byte[] bytes) {
        KeccakDigest digest = new KeccakDigest(256);
        digest.update(bytes, 0, bytes.length);
        byte[] out = new byte[HASH];
        digest.doFinal(out, 0);
        return out;
    }
}
