package org.datacoop.worker;

import org.datacoop.chain.ComputeChain;
import org.datacoop.compute.trace.Trace;
import org.datacoop.protocol.Hex;

/**
 * A party's bisection move, from its own trace, as the DisputeGame takes it ({@code move(previous,
 * midpoint)}): its state at the opponent's last midpoint, by which the range narrows (equal: they agree
 * there and lo moves up; different: hi moves down), then its state at the new range's midpoint, none
 * once the range is one step.
 */
final class Bisection {
    static final String NONE = Hex.prefixed(new byte[32]);

    record Move(String previous, String midpoint) {}

    private Bisection() {}

    static Move next(ComputeChain.Dispute dispute, Trace mine) {
        long lo = dispute.lo();
        long hi = dispute.hi();
        String previous = NONE; // the first move answers no midpoint
        if (dispute.mid() != 0) {
            previous = state(mine, dispute.mid());
            if (previous.equalsIgnoreCase(dispute.midState())) {
                lo = dispute.mid();
            } else {
                hi = dispute.mid();
            }
        }
        return new Move(previous, hi - lo > 1 ? state(mine, lo + (hi - lo) / 2) : NONE);
    }

    /**
     * State {@code i} of {@code trace}; past its end (a challenger's trace shorter than the worker's, the
     * dispute's range), its result.
     */
    static String state(Trace trace, long i) {
        return Hex.prefixed(trace.state((int) Math.min(i, trace.length())));
    }
}
