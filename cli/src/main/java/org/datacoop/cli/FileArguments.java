package org.datacoop.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** Checks of file arguments that every command words the same way. */
final class FileArguments {
    private FileArguments() {}

    static void requireInput(Path input) {
        if (!Files.isRegularFile(input)) {
            throw new CoopException(ErrorCode.NOT_FOUND, "no file at " + input);
        }
    }

    static void requireFreeOutput(Path output, boolean force) {
        if (Files.exists(output) && !force) {
            throw new CoopException(ErrorCode.REFUSED, output + " exists; pass --force to replace it");
        }
    }
}
