package org.datacoop.chain;

import java.util.ArrayList;
import java.util.List;

/**
 * Blocks {@code from..to}, both included: how event scans are cut, since real RPC providers refuse
 * an {@code eth_getLogs} call over too many blocks.
 */
public record BlockRange(long from, long to) {
    /** The most blocks one {@code eth_getLogs} call covers; common providers accept 10,000. */
    public static final long MAX_BLOCKS = 10_000;

    public BlockRange {
        if (from < 0 || to < from) {
            throw new IllegalArgumentException("block range " + from + ".." + to + " is not a range of blocks from 0 up");
        }
    }

    /**
     * The ranges of at most {@code maxBlocks} blocks that cover {@code from..to}, oldest first; none
     * when {@code to} is before {@code from} (nothing to scan yet).
     */
    public static List<BlockRange> split(long from, long to, long maxBlocks) {
        if (from < 0) {
            throw new IllegalArgumentException("a scan cannot start at block " + from + "; blocks are numbered from 0");
        }
        if (maxBlocks < 1) {
            throw new IllegalArgumentException("a scan must read at least 1 block per call, not " + maxBlocks);
        }
        List<BlockRange> ranges = new ArrayList<>();
        long start = from;
        while (start <= to) {
            long end = start + Math.min(maxBlocks - 1, to - start); // never past to, and never overflowing
            ranges.add(new BlockRange(start, end));
            if (end == to) {
                break;
            }
            start = end + 1;
        }
        return ranges;
    }
}
