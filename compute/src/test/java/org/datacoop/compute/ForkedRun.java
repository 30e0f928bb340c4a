package org.datacoop.compute;

import java.nio.file.Path;
import org.datacoop.compute.builtin.Builtin;

/** A task run in a JVM of its own: {@code ForkedRun ALGORITHM ROWS PARAMS OUTPUT} prints the result hash. */
public final class ForkedRun {
    private ForkedRun() {}

    public static void main(String[] args) {
        Builtin algorithm = Builtin.byName(args[0]).orElseThrow();
        ComputeResult result = Compute.run(algorithm, TaskInput.of(Path.of(args[1]), args[2]), Path.of(args[3]));
        System.out.println("resultHash=" + result.resultHashHex());
    }
}
