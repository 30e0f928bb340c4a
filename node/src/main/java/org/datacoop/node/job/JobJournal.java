package org.datacoop.node.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * The node's durable memory of its jobs: one JSON file per job, replaced atomically (written
 * beside, forced to disk, renamed) on every change, plus the next block to scan for new jobs. A
 * kill at any point leaves either the old or the new version of each file.
 */
public final class JobJournal {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    /** Each job's state, read once at start and kept with every save, so counting reads no file. */
    private final Map<Long, JobState> states = new ConcurrentHashMap<>();

    public JobJournal(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the job journal in " + dir, e);
        }
        all().forEach(job -> states.put(job.jobId(), job.state()));
    }

    public synchronized void save(NodeJob job) {
        try {
            write(dir.resolve("job-" + job.jobId() + ".json"), JSON.writeValueAsBytes(job));
            states.put(job.jobId(), job.state());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record job " + job.jobId() + " in " + dir, e);
        }
    }

    /** Replaces job {@code jobId} with {@code change} applied to what is recorded now, in one step. */
    public synchronized Optional<NodeJob> update(long jobId, UnaryOperator<NodeJob> change) {
        Optional<NodeJob> changed = find(jobId).map(change);
        changed.ifPresent(this::save);
        return changed;
    }

    /** How many recorded jobs are in each state. */
    public Map<JobState, Integer> counts() {
        Map<JobState, Integer> counts = new EnumMap<>(JobState.class);
        states.values().forEach(state -> counts.merge(state, 1, Integer::sum));
        return counts;
    }

    public Optional<NodeJob> find(long jobId) {
        Path file = dir.resolve("job-" + jobId + ".json");
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), NodeJob.class));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Every job recorded, in no particular order. */
    public List<NodeJob> all() {
        List<NodeJob> jobs = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().matches("job-\\d+\\.json")).toList()) {
                jobs.add(JSON.readValue(file.toFile(), NodeJob.class));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the job journal in " + dir, e);
        }
        return jobs;
    }

    /** The first block not yet scanned for jobs. */
    public long nextBlock() {
        Path file = dir.resolve("next-block");
        try {
            return Files.exists(file) ? Long.parseLong(Files.readString(file).strip()) : 0;
        } catch (IOException | NumberFormatException e) {
            return 0; // rescanning from the start only finds jobs already journaled
        }
    }

    public synchronized void setNextBlock(long block) {
        try {
            write(dir.resolve("next-block"), Long.toString(block).getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the scanned block in " + dir, e);
        }
    }

    private static void write(Path target, byte[] content) throws IOException {
        Path partial = target.resolveSibling(target.getFileName() + ".partial");
        try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            channel.write(ByteBuffer.wrap(content));
            channel.force(true);
        }
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
