package org.datacoop.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.datacoop.compute.trace.Trace;

/**
 * What this worker knows of its tasks, one small JSON file per task written atomically, and the next
 * block to scan: a task found is journaled before the scan moves past its block, so a crash rescans
 * rather than skips, and a task not ended is taken up again on start. An OP task's trace is kept
 * beside its entry ({@code <taskId>.trace}, {@link Trace#toText}): what a dispute over it bisects.
 */
final class TaskJournal {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Where a task stands here. Every task ends in one of the terminal states. */
    enum State {
        QUEUED(false),
        /**
         * An OP result proposed, its trace kept here ({@link #saveTrace}): waiting out its challenge
         * window, then finalized by this worker (proved) or rejected (failed).
         */
        PROPOSED(false),
        /** Proved and paid: the chain records it verified. */
        PROVED(true),
        /** Refused or failed with a reason, recorded on-chain; the requester is refunded. */
        FAILED(true),
        /** Not proved by its deadline (or refunded meanwhile): the requester is refunded. */
        EXPIRED(true),
        /** A challenger's: another worker's OP result to re-execute and compare, its trace kept once computed. */
        CHECKING(false),
        /** A challenger's: it disputes the result (its trace kept here) and plays the dispute to its end. */
        DISPUTING(false),
        /**
         * A challenger's, nothing to dispute: its re-execution agreed, the window closed first, or it could
         * not re-execute (the reason says).
         */
        AGREED(true),
        /** A challenger's dispute that ended: won, lost, or undecided by the referees (the reason says which). */
        DISPUTED(true);

        private final boolean terminal;

        State(boolean terminal) {
            this.terminal = terminal;
        }

        boolean terminal() {
            return terminal;
        }
    }

    record Entry(String taskId, State state, String reason) {}

    private final Path dir;

    TaskJournal(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the task journal " + dir, e);
        }
    }

    Optional<Entry> find(String taskId) {
        Path file = file(taskId);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            JsonNode node = JSON.readTree(file.toFile());
            return Optional.of(new Entry(taskId, State.valueOf(node.path("state").asText()), node.path("reason").asText("")));
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("the journal entry " + file + " is unreadable: " + e.getMessage(), e);
        }
    }

    void save(Entry entry) {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(JSON.createObjectNode().put("taskId", entry.taskId())
                    .put("state", entry.state().name()).put("reason", entry.reason()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        write(file(entry.taskId()), bytes);
    }

    /** Keeps task {@code taskId}'s trace, before its result is proposed. */
    void saveTrace(String taskId, Trace trace) {
        file(taskId); // checks the id before it names a file
        write(dir.resolve(taskId + ".trace"), trace.toText().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    /** Task {@code taskId}'s trace as {@link #saveTrace} kept it, if it did. */
    Optional<Trace> trace(String taskId) {
        file(taskId);
        Path file = dir.resolve(taskId + ".trace");
        try {
            return Files.exists(file) ? Optional.of(Trace.parse(Files.readString(file))) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the trace " + file, e);
        }
    }

    List<Entry> unfinished() {
        List<Entry> open = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String name = file.getFileName().toString();
                if (name.startsWith("0x") && name.endsWith(".json")) {
                    find(name.substring(0, name.length() - 5)).filter(e -> !e.state().terminal()).ifPresent(open::add);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the task journal " + dir, e);
        }
        return open;
    }

    long nextBlock() {
        Path file = dir.resolve("next-block");
        try {
            return Files.exists(file) ? Long.parseLong(Files.readString(file).strip()) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void setNextBlock(long block) {
        write(dir.resolve("next-block"), Long.toString(block).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private Path file(String taskId) {
        if (!taskId.matches("0x[0-9a-f]{64}")) {
            throw new IllegalArgumentException("not a task id: " + taskId);
        }
        return dir.resolve(taskId + ".json");
    }

    private static void write(Path file, byte[] bytes) {
        try {
            Path tmp = Files.createTempFile(file.getParent(), ".write-", ".tmp");
            Files.write(tmp, bytes);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
