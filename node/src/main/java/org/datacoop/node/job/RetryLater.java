package org.datacoop.node.job;

import java.time.Duration;

/**
 * A job cannot go on now through no fault of its own (its key is not shared yet, the chain is
 * unreachable, this validator's storage or disk failed): it keeps its journaled state and is taken
 * up again after {@link #delay}.
 *
 * @see JobProcessor
 */
final class RetryLater extends RuntimeException {
    private final Duration delay;
    private final boolean fault;

    /**
     * @param fault whether something is wrong (counted, and given up on after many tries), as
     *     opposed to the expected wait for a contributor's key
     */
    RetryLater(Duration delay, String why, boolean fault) {
        super(why);
        this.delay = delay;
        this.fault = fault;
    }

    Duration delay() {
        return delay;
    }

    boolean fault() {
        return fault;
    }
}
