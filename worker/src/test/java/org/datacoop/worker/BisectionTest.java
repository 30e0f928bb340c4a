package org.datacoop.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.datacoop.chain.ComputeChain;
import org.datacoop.compute.trace.Trace;
import org.junit.jupiter.api.Test;

/**
 * Two parties playing {@link Bisection} from their own traces against the DisputeGame's rule for a move
 * (mirrored here from {@code DisputeGame.move}) narrow the range to the first state they disagree on, in
 * at most ceil(log2 L) + 1 moves, whatever the trace's length and wherever the liar starts.
 */
class BisectionTest {
    @Test
    void honestAndLyingPartiesNarrowTheRangeToTheFirstStateTheyDisagreeOn() {
        for (int length = 2; length <= 17; length++) {
            Trace honest = trace(length);
            for (int from = 1; from <= length; from++) {
                Trace liar = new DishonestTraces(OptionalInt.of(from)).apply(honest);
                assertPlayed(honest, liar, length, from);
                assertPlayed(liar, honest, length, from);
            }
        }
    }

    @Test
    void anHonestTraceIsLeftAloneWithoutTheFlag() {
        Trace honest = trace(5);
        assertThat(new DishonestTraces(OptionalInt.empty()).apply(honest)).isSameAs(honest);
        Trace liar = new DishonestTraces(OptionalInt.of(9)).apply(honest);
        assertThat(liar.state(4)).as("a step past the end corrupts the result alone").isEqualTo(honest.state(4));
        assertThat(liar.state(5)).isNotEqualTo(honest.state(5));
    }

    private static void assertPlayed(Trace worker, Trace challenger, int length, int firstDifferent) {
        long lo = 0;
        long hi = length;
        long mid = 0;
        String midState = Bisection.NONE;
        boolean workerTurn = true;
        int moves = 0;
        while (hi - lo > 1) {
            ComputeChain.Dispute dispute = new ComputeChain.Dispute(null, ComputeChain.DisputePhase.BISECTING, workerTurn,
                    moves, 0, 0, lo, hi, mid, length, 1, "", "", "", midState, "");
            Bisection.Move move = Bisection.next(dispute, workerTurn ? worker : challenger);
            if (mid != 0) {
                if (move.previous().equals(midState)) {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            moves++;
            if (hi - lo > 1) {
                mid = lo + (hi - lo) / 2;
                midState = move.midpoint();
                workerTurn = !workerTurn;
            }
        }
        assertThat(lo).as("length %d, lying from %d", length, firstDifferent).isEqualTo(firstDifferent - 1);
        assertThat(moves).isLessThanOrEqualTo(32 - Integer.numberOfLeadingZeros(length - 1) + 1);
    }

    private static Trace trace(int length) {
        List<byte[]> states = new ArrayList<>();
        for (int i = 0; i <= length; i++) {
            byte[] state = new byte[32];
            state[31] = (byte) (i + 1);
            states.add(state);
        }
        return new Trace(states);
    }
}
