package org.datacoop.compute.trace;

import java.util.ArrayList;
import java.util.List;
import org.datacoop.compute.Algorithm;
import org.datacoop.compute.ComputeResult;
import org.datacoop.compute.TaskInput;
import org.datacoop.compute.builtin.Builtin;
import org.datacoop.compute.builtin.Training;

/**
 * The trace of a finished run, and what each of its steps is (what a referee re-executes):
 * <ul>
 * <li>a built-in training ({@code logistic-regression}, {@code linear-regression}):
 *     {@code [initial, w(e1), ..., w(E), resultHash]}, where {@code w(e)} is the SHA-256 of the
 *     {@code model.json} bytes ({@link org.datacoop.compute.builtin.LinearModel#toJson}) of the model
 *     trained for {@code e} epochs from scratch with the task's params, at each epoch when there are at
 *     most {@link Training#MAX_CHECKPOINTS} of them, else at that many evenly spaced ones ending at the
 *     task's {@code E}; step 0 trains the first checkpoint, step {@code k} the next, and the last step
 *     writes the output (the model and its metrics) whose hash is the result;
 * <li>every other algorithm ({@code predict}, {@code evaluate}, programs and images): the two states
 *     {@code [initial, resultHash]}, one step, the whole run (a dispute over one goes straight to the
 *     referees).
 * </ul>
 */
public final class Traces {
    private Traces() {}

    /**
     * The trace of {@code result}, what {@code algorithm} computed over {@code input}, from
     * {@code initialState} (the Verifier's {@code initialStateOf} the task, 32 bytes).
     */
    public static Trace of(Algorithm algorithm, TaskInput input, byte[] initialState, ComputeResult result) {
        List<byte[]> states = new ArrayList<>();
        states.add(initialState);
        if (algorithm instanceof Builtin builtin && builtin.trains()) {
            states.addAll(Training.checkpoints(builtin, input));
        }
        states.add(result.resultHash());
        return new Trace(states);
    }
}
