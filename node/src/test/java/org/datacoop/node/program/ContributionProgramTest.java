package org.datacoop.node.program;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.datacoop.protocol.Address;
import org.junit.jupiter.api.Test;

/** A program that exhausts the node's memory or stack fails its run with a reason, instead of killing the worker. */
class ContributionProgramTest {
    private static final ProgramRun RUN = new ProgramRun(7, 42, 1, Address.of("0x1111111111111111111111111111111111111111"),
            "00".repeat(32), Path.of("in"), Path.of("out"), Map.of(), Duration.ofSeconds(10));

    @Test
    void aProgramThatRunsOutOfMemoryFailsItsRunWithAReason() {
        // What Files.readAllBytes did with a file past 2 GiB: an array the VM cannot make, whatever its heap.
        ContributionProgram greedy = run -> {
            byte[] all = new byte[Integer.MAX_VALUE];
            throw new AssertionError("allocated " + all.length);
        };
        assertThatThrownBy(() -> ContributionProgram.judge(greedy, RUN))
                .isInstanceOfSatisfying(ProgramException.class,
                        e -> assertThat(e.reason()).isEqualTo(ProgramException.Reason.CRASHED))
                .hasMessage("the program ran out of memory judging the file")
                .hasCauseInstanceOf(OutOfMemoryError.class);
    }

    @Test
    void aProgramThatOverflowsItsStackFailsItsRunWithAReason() {
        ContributionProgram recursive = new ContributionProgram() {
            @Override
            public ProgramResults run(ProgramRun run) {
                return run(run);
            }
        };
        assertThatThrownBy(() -> ContributionProgram.judge(recursive, RUN))
                .isInstanceOfSatisfying(ProgramException.class,
                        e -> assertThat(e.reason()).isEqualTo(ProgramException.Reason.CRASHED))
                .hasMessage("the program ran out of stack judging the file (nested too deeply)")
                .hasCauseInstanceOf(StackOverflowError.class);
    }

    @Test
    void otherFailuresPassThroughUnchanged() {
        ProgramException own = new ProgramException(ProgramException.Reason.BAD_OUTPUT, "no results.json");
        assertThatThrownBy(() -> ContributionProgram.judge(run -> {
            throw own;
        }, RUN)).isSameAs(own);
    }
}
