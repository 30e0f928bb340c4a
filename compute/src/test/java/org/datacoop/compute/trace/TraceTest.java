package org.datacoop.compute.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.jcajce.provider.digest.Keccak;
import org.datacoop.compute.Compute;
import org.datacoop.compute.ComputeResult;
import org.datacoop.compute.TaskInput;
import org.datacoop.compute.TaskRows;
import org.datacoop.compute.builtin.Builtin;
import org.datacoop.compute.builtin.Training;
import org.datacoop.protocol.Sha256;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Traces run from the task's inputs to its result, the same every run, under a root that binds their order. */
class TraceTest {
    private static final String CLASSIFY = """
            {"features": ["distance_km", "active_minutes"], "label": {"column": "steps", "above": 8000},
             "epochs": 5, "learningRate": 0.5, "seed": 7}""";

    @TempDir
    Path dir;

    private static byte[] filled(int value) {
        byte[] state = new byte[32];
        state[31] = (byte) value;
        state[0] = (byte) (value >> 8);
        return state;
    }

    private static List<byte[]> states(int count) {
        List<byte[]> states = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            states.add(filled(i + 1));
        }
        return states;
    }

    private static byte[] keccak(byte[]... parts) {
        Keccak.Digest256 digest = new Keccak.Digest256();
        for (byte[] part : parts) {
            digest.update(part);
        }
        return digest.digest();
    }

    private static byte[] leaf(long index, byte[] state) {
        return keccak(ByteBuffer.allocate(32).putLong(24, index).array(), state);
    }

    private record Run(ComputeResult result, Trace trace) {}

    private Run train(Path rows, String params, byte[] initial, String name) {
        TaskInput input = TaskInput.of(rows, params);
        ComputeResult result = Compute.run(Builtin.LOGISTIC_REGRESSION, input, dir.resolve(name));
        return new Run(result, Traces.of(Builtin.LOGISTIC_REGRESSION, input, initial, result));
    }

    @Test
    void aTrainingTraceGoesFromTheInputsThroughEveryEpochToTheResult() throws IOException {
        Path rows = TaskRows.write(dir.resolve("rows.parquet"), 300);
        byte[] initial = filled(0xab);

        Run run = train(rows, CLASSIFY, initial, "out");

        Trace trace = run.trace();
        assertThat(trace.states()).hasSize(7); // the inputs, 5 epochs, the result
        assertThat(trace.length()).isEqualTo(6);
        assertThat(trace.state(0)).isEqualTo(initial);
        assertThat(trace.state(6)).isEqualTo(run.result().resultHash());
        // The last epoch's state is the model the output holds, byte for byte.
        assertThat(trace.state(5)).isEqualTo(Sha256.of(Files.readAllBytes(run.result().output().resolve("model.json"))));
        assertThat(trace.states().stream().map(TraceTest::hex).distinct()).hasSize(7);
    }

    @Test
    void theSameTaskGivesTheSameTraceWhateverTheOrderOfItsRows() {
        Path rows = TaskRows.write(dir.resolve("rows.parquet"), 300);
        Path shuffled = TaskRows.write(dir.resolve("shuffled.parquet"), 300, "hash(day)");
        byte[] initial = filled(1);

        Trace first = train(rows, CLASSIFY, initial, "a").trace();
        Trace again = train(shuffled, CLASSIFY, initial, "b").trace();

        assertThat(again.rootHex()).isEqualTo(first.rootHex());
        assertThat(again.states()).usingRecursiveFieldByFieldElementComparator().isEqualTo(first.states());
        // Another seed trains other weights from the first epoch on.
        Trace otherSeed = train(rows, CLASSIFY.replace("\"seed\": 7", "\"seed\": 8"), initial, "c").trace();
        assertThat(otherSeed.state(1)).isNotEqualTo(first.state(1));
        assertThat(otherSeed.rootHex()).isNotEqualTo(first.rootHex());
    }

    @Test
    void aLongTrainingIsCheckpointedAtEvenlySpacedEpochsEndingAtTheLast() throws IOException {
        Path rows = TaskRows.write(dir.resolve("rows.parquet"), 100);
        String params = CLASSIFY.replace("\"epochs\": 5", "\"epochs\": 40");

        Run run = train(rows, params, filled(2), "out");

        assertThat(run.trace().states()).hasSize(Training.MAX_CHECKPOINTS + 2);
        assertThat(run.trace().state(Training.MAX_CHECKPOINTS))
                .isEqualTo(Sha256.of(Files.readAllBytes(run.result().output().resolve("model.json"))));
        // Checkpoint 1 of 16 over 40 epochs is epoch 3: the state a 3-epoch training reaches.
        Trace three = train(rows, CLASSIFY.replace("\"epochs\": 5", "\"epochs\": 3"), filled(2), "three").trace();
        assertThat(run.trace().state(1)).isEqualTo(three.state(3));
    }

    @Test
    void anAlgorithmThatTrainsNothingHasTheTwoStatesOfItsInputsAndResult() {
        Path rows = TaskRows.write(dir.resolve("rows.parquet"), 100);
        Path model = train(rows, CLASSIFY, filled(1), "model").result().output();
        TaskInput input = TaskInput.of(rows, "{}").withModel(model);
        ComputeResult predicted = Compute.run(Builtin.PREDICT, input, dir.resolve("predicted"));

        Trace trace = Traces.of(Builtin.PREDICT, input, filled(3), predicted);

        assertThat(trace.length()).isEqualTo(1);
        assertThat(trace.state(0)).isEqualTo(filled(3));
        assertThat(trace.state(1)).isEqualTo(predicted.resultHash());
        assertThatThrownBy(() -> Training.checkpoints(Builtin.PREDICT, input))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("builtin:predict/v1 trains nothing");
    }

    @Test
    void theRootIsAPlainBinaryKeccakTreeOfPositionBoundLeavesPaddedWithZeros() {
        List<byte[]> three = states(3);
        byte[] zero = new byte[32];

        byte[] expected = keccak(keccak(leaf(0, three.get(0)), leaf(1, three.get(1))), keccak(leaf(2, three.get(2)), zero));

        assertThat(new Trace(three).root()).isEqualTo(expected);
        assertThat(new Trace(states(2)).root()).isEqualTo(keccak(leaf(0, filled(1)), leaf(1, filled(2))));
    }

    @Test
    void theRootChangesWithAnyStateAndWithTheirOrder() {
        List<byte[]> states = states(5);
        String root = new Trace(states).rootHex();

        for (int i = 0; i < states.size(); i++) {
            List<byte[]> changed = new ArrayList<>(states);
            byte[] state = changed.get(i).clone();
            state[7] ^= 1;
            changed.set(i, state);
            assertThat(new Trace(changed).rootHex()).as("state %d changed", i).isNotEqualTo(root);
        }
        List<byte[]> swapped = new ArrayList<>(states);
        swapped.set(0, states.get(1));
        swapped.set(1, states.get(0));
        assertThat(new Trace(swapped).rootHex()).isNotEqualTo(root);
        // A zero state appended is not the padding it replaces.
        List<byte[]> padded = new ArrayList<>(states(3));
        padded.add(new byte[32]);
        assertThat(new Trace(padded).rootHex()).isNotEqualTo(new Trace(states(3)).rootHex());
    }

    @Test
    void aTraceOfOneStateOrOfAStateNot32BytesIsRefusedByName() {
        assertThatThrownBy(() -> new Trace(List.of(filled(1))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least two states");
        assertThatThrownBy(() -> new Trace(List.of(filled(1), new byte[31])))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("state 1 of the trace is 31 bytes");
        byte[] state = filled(1);
        Trace trace = new Trace(List.of(state, filled(2)));
        state[31] = 9; // the trace keeps its own copy
        assertThat(trace.state(0)).isEqualTo(filled(1));
    }

    @Test
    void aTraceReadBackFromItsTextIsTheSameTrace() {
        Trace trace = new Trace(states(5));

        Trace read = Trace.parse(trace.toText());

        assertThat(read.rootHex()).isEqualTo(trace.rootHex());
        assertThat(read.length()).isEqualTo(4);
        assertThat(trace.toText().lines()).hasSize(5).allMatch(line -> line.matches("0x[0-9a-f]{64}"));
    }

    @Test
    void aTraceTextWithALineThatIsNotAStateIsRefusedNamingTheLine() {
        String text = new Trace(states(3)).toText();

        assertThatThrownBy(() -> Trace.parse(text.replaceFirst("\n0x", "\n0y")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 2 of the trace is not a state");
        assertThatThrownBy(() -> Trace.parse(text + "0x1234\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 4");
        assertThatThrownBy(() -> Trace.parse(text.lines().findFirst().orElseThrow()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least two states");
        assertThatThrownBy(() -> Trace.parse(""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 1");
    }

    private static String hex(byte[] bytes) {
        return org.datacoop.protocol.Hex.prefixed(bytes);
    }
}
