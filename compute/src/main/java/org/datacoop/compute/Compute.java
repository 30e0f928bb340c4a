package org.datacoop.compute;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.datacoop.sandbox.Trees;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs one task's algorithm into an empty output directory and hashes what it wrote. */
public final class Compute {
    private static final Logger LOG = LoggerFactory.getLogger(Compute.class);

    private Compute() {}

    /**
     * Runs {@code algorithm} over {@code input} into {@code output} (created if missing, and must be
     * empty) and returns its {@link ResultHash}. Throws {@link ComputeException} naming what is wrong,
     * after deleting {@code output} and whatever the algorithm wrote there.
     */
    public static ComputeResult run(Algorithm algorithm, TaskInput input, Path output) {
        try {
            Files.createDirectories(output);
            try (Stream<Path> entries = Files.list(output)) {
                if (entries.findAny().isPresent()) {
                    throw new ComputeException(ComputeException.Reason.UNAVAILABLE, "the output directory " + output + " is not empty");
                }
            }
        } catch (IOException e) {
            throw new ComputeException(ComputeException.Reason.UNAVAILABLE, "cannot prepare the output directory " + output, e);
        }
        ComputeResult result;
        try {
            algorithm.run(input, output);
            List<String> files = ResultHash.files(output);
            result = new ComputeResult(algorithm.digest(), output, files, ResultHash.of(output, files));
        } catch (RuntimeException e) {
            // Half an output may hold what the rows were turned into: wiped, never signed or sent.
            Trees.delete(output);
            throw e;
        }
        LOG.info("[algorithm:{}] wrote {} file(s), resultHash {}", algorithm.describe(), result.files().size(), result.resultHashHex());
        return result;
    }
}
