package org.datacoop.worker;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.datacoop.compute.trace.Trace;
import org.datacoop.protocol.Sha256;

/**
 * A test's liar: on a node started with {@code --dishonest-op-step N} (the devnet only), every OP trace
 * it computes has its states from N on replaced by hashes of them, so the result (the last state) is
 * wrong too. As a worker it proposes that wrong result; as a challenger it disputes right results; in a
 * dispute it plays from that trace like an honest node from its own. Without the flag, traces pass as
 * they are.
 */
final class DishonestTraces {
    private final OptionalInt fromStep;

    DishonestTraces(OptionalInt fromStep) {
        this.fromStep = fromStep;
    }

    Trace apply(Trace trace) {
        if (fromStep.isEmpty()) {
            return trace;
        }
        int from = (int) Math.min(fromStep.getAsInt(), trace.length());
        List<byte[]> states = new ArrayList<>(trace.states());
        for (int i = from; i < states.size(); i++) {
            states.set(i, Sha256.of(states.get(i)));
        }
        return new Trace(states);
    }
}
