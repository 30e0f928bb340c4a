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
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * The node's durable memory of its jobs: one JSON file per job, replaced atomically (written
 * beside, forced to disk, renamed), plus the next block to scan for new jobs. A kill at any point
 * leaves either the old or the new version of each file. A job's steps between its queueing and its
 * proof ({@link #progress}) are kept in memory only: a restart takes such a job up again from the
 * start whichever step it was in, so only the states a restart treats differently, and every change
 * of a job's request, go to disk. Jobs are locked one by one, so one job's disk write does not wait
 * for another's.
 */
public final class JobJournal {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The states a restart must find on disk: the others all resume as {@link JobState#QUEUED}.
     * {@link JobState#SUBMITTING} carries the program's result, which a proof already on-chain needs.
     */
    private static final Set<JobState> DURABLE = EnumSet.of(JobState.QUEUED, JobState.SUBMITTING, JobState.REFINING,
            JobState.FAILING, JobState.COMPLETED, JobState.FAILED, JobState.CANCELED);

    private final Path dir;
    /** Each job's state, read once at start and kept with every save, so counting reads no file. */
    private final Map<Long, JobState> states = new ConcurrentHashMap<>();
    /** Jobs whose newest version is a step not yet on disk ({@link #progress}). */
    private final Map<Long, NodeJob> inMemory = new ConcurrentHashMap<>();
    private final Map<Long, Object> locks = new ConcurrentHashMap<>();

    public JobJournal(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the job journal in " + dir, e);
        }
        all().forEach(job -> states.put(job.jobId(), job.state()));
    }

    /** Records {@code job} on disk. */
    public void save(NodeJob job) {
        synchronized (lock(job.jobId())) {
            try {
                write(dir.resolve("job-" + job.jobId() + ".json"), JSON.writeValueAsBytes(job), true);
                inMemory.remove(job.jobId());
                states.put(job.jobId(), job.state());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot record job " + job.jobId() + " in " + dir, e);
            }
        }
    }

    /** Replaces job {@code jobId} with {@code change} applied to what is recorded now, in one step, on disk. */
    public Optional<NodeJob> update(long jobId, UnaryOperator<NodeJob> change) {
        synchronized (lock(jobId)) {
            Optional<NodeJob> changed = find(jobId).map(change);
            changed.ifPresent(this::save);
            return changed;
        }
    }

    /**
     * Like {@link #update}, but the change stays in memory (seen by {@link #find} and {@link #counts})
     * when it is a step a restart repeats anyway: disk is written only for a state a restart must find,
     * or a changed request.
     */
    public Optional<NodeJob> progress(long jobId, UnaryOperator<NodeJob> change) {
        synchronized (lock(jobId)) {
            Optional<NodeJob> recorded = find(jobId);
            Optional<NodeJob> changed = recorded.map(change);
            changed.ifPresent(job -> {
                if (DURABLE.contains(job.state()) || !job.request().equals(recorded.get().request())) {
                    save(job);
                } else {
                    inMemory.put(jobId, job);
                    states.put(jobId, job.state());
                }
            });
            return changed;
        }
    }

    /** How many recorded jobs are in each state. */
    public Map<JobState, Integer> counts() {
        Map<JobState, Integer> counts = new EnumMap<>(JobState.class);
        states.values().forEach(state -> counts.merge(state, 1, Integer::sum));
        return counts;
    }

    public Optional<NodeJob> find(long jobId) {
        NodeJob stepping = inMemory.get(jobId);
        if (stepping != null) {
            return Optional.of(stepping);
        }
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
                NodeJob job = JSON.readValue(file.toFile(), NodeJob.class);
                jobs.add(inMemory.getOrDefault(job.jobId(), job));
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

    public void setNextBlock(long block) {
        try {
            // Not forced to disk: it changes with every block scanned, and a mark lost in a crash only
            // makes the next start rescan blocks whose jobs are journaled already.
            write(dir.resolve("next-block"), Long.toString(block).getBytes(StandardCharsets.US_ASCII), false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the scanned block in " + dir, e);
        }
    }

    private Object lock(long jobId) {
        return locks.computeIfAbsent(jobId, id -> new Object());
    }

    /** Replaces {@code target} atomically: a reader sees the old content or the new, never part of it. */
    private static void write(Path target, byte[] content, boolean durable) throws IOException {
        Path partial = target.resolveSibling(target.getFileName() + ".partial");
        try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            channel.write(ByteBuffer.wrap(content));
            if (durable) {
                channel.force(true);
            }
        }
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
