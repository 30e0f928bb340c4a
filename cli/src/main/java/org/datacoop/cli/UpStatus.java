package org.datacoop.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code DIR/up.json}: what a running {@code coop up} printed, written once it is ready and removed
 * when it stops, so that {@code coop status} in another shell can tell when it may go on. It names
 * the process, so a file a killed {@code coop up} left behind is not taken for a running one.
 */
final class UpStatus {
    static final String FILE_NAME = "up.json";

    private UpStatus() {}

    /** Records that this process is ready and printed {@code printed} (name to value, in order). */
    static void write(Path dir, Map<String, String> printed) {
        ObjectNode root = Json.object();
        root.put("pid", ProcessHandle.current().pid());
        root.set("printed", Json.MAPPER.valueToTree(printed));
        Path file = dir.resolve(FILE_NAME);
        Path partial = dir.resolve(FILE_NAME + ".partial");
        try {
            // moved into place whole: a `coop status` polling it never reads half a file
            Files.writeString(partial, Json.write(root) + "\n");
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    static void clear(Path dir) {
        try {
            Files.deleteIfExists(dir.resolve(FILE_NAME));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + dir.resolve(FILE_NAME) + ": " + e.getMessage(), e);
        }
    }

    /** What the {@code coop up} running on {@code dir} printed, if one is running there and ready. */
    static Optional<Map<String, String>> read(Path dir) {
        Path file = dir.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        boolean alive = ProcessHandle.of(root.path("pid").asLong()).map(ProcessHandle::isAlive).orElse(false);
        if (!alive) {
            return Optional.empty();
        }
        Map<String, String> printed = new LinkedHashMap<>();
        root.path("printed").properties().forEach(entry -> printed.put(entry.getKey(), entry.getValue().asText()));
        return Optional.of(printed);
    }
}
