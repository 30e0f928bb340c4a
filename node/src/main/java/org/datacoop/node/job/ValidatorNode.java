package org.datacoop.node.job;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.datacoop.chain.ChainException;
import org.datacoop.chain.DataCoopChain;
import org.datacoop.node.enclave.Enclave;
import org.datacoop.node.program.FileContentIndex;
import org.datacoop.node.program.ProgramLoader;
import org.datacoop.protocol.Address;
import org.datacoop.protocol.ValidationJob;
import org.datacoop.storage.HttpBlobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The validator's job engine: finds the jobs assigned to it from {@code JobSubmitted} events (no
 * client call needed), takes extra parameters from callers over HTTP, runs jobs on a few workers,
 * and claims its fees. On start it takes up every unfinished job of its journal, checking each
 * against the chain, so a crash loses no job and proves none twice.
 */
public final class ValidatorNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ValidatorNode.class);
    private static final long MAX_LOG_RANGE = 10_000;
    private static final Duration RETRY = Duration.ofSeconds(2);
    private static final Duration CLAIM_EVERY = Duration.ofSeconds(5);

    private final DataCoopChain chain;
    private final Enclave enclave;
    private final JobJournal journal;
    private final JobSettings settings;
    private final JobProcessor processor;
    private final Object chainWrites = new Object();
    private final Map<Long, JobRequest> requests = new ConcurrentHashMap<>();
    private final Map<Long, Boolean> active = new ConcurrentHashMap<>();
    private final ExecutorService workers;
    private final ScheduledExecutorService scheduler;

    /**
     * @param dir the node's data dir (its journal, duplicate index and program cache go there)
     * @param nodeUrl where the node's API answers, named in attestations
     */
    public ValidatorNode(DataCoopChain chain, Enclave enclave, Path dir, JobSettings settings, String nodeUrl) {
        this.chain = chain;
        this.enclave = enclave;
        this.journal = new JobJournal(dir.resolve("jobs"));
        this.settings = settings;
        ProgramLoader programs = new ProgramLoader(dir.resolve("programs"), new FileContentIndex(dir.resolve("content-index.tsv")));
        this.processor = new JobProcessor(chain, enclave, new HttpBlobStore(chain.deployment().service(
                org.datacoop.chain.Deployment.STORAGE_URL)), programs, journal, settings, nodeUrl, chainWrites,
                job -> requests.getOrDefault(job.jobId(), job.request()));
        this.workers = Executors.newFixedThreadPool(settings.workers(), Thread.ofPlatform().name("job-worker-", 1).factory());
        this.scheduler = Executors.newScheduledThreadPool(1, Thread.ofPlatform().name("job-watcher").daemon().factory());
    }

    /** Takes up unfinished jobs, then watches the chain for new ones and claims fees as they accrue. */
    public void start() {
        for (NodeJob job : journal.all()) {
            if (!job.state().isTerminal()) {
                LOG.info("[jobId:{} fileId:{}] taking up again after a restart (was {})", job.jobId(), job.fileId(), job.state());
                enqueue(job.jobId());
            }
        }
        scheduler.scheduleWithFixedDelay(this::scan, 0, settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(this::claimFees, CLAIM_EVERY.toMillis(), CLAIM_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    public Address address() {
        return enclave.identity().address();
    }

    /** What this node knows of {@code jobId}, if it ever took it. */
    public Optional<NodeJob> job(long jobId) {
        return journal.find(jobId);
    }

    /** How many of this node's jobs are in each state. */
    public Map<JobState, Integer> counts() {
        Map<JobState, Integer> counts = new EnumMap<>(JobState.class);
        journal.all().forEach(job -> counts.merge(job.state(), 1, Integer::sum));
        return counts;
    }

    public DataCoopChain chain() {
        return chain;
    }

    /** Why a caller's request for a job is refused; {@link #status} is the HTTP status that fits. */
    public static final class RequestRefused extends RuntimeException {
        private final int status;

        public RequestRefused(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    /**
     * Adds a caller's parameters (a key, a nonce, env vars, secrets) to a job assigned to this node
     * and makes sure it runs. Refused, naming why, for a job that does not exist, is another node's,
     * names another file, or is past the point where the parameters could be used.
     */
    public synchronized NodeJob accept(long jobId, long fileId, JobRequest request) {
        if (jobId < 1 || jobId > chain.jobsCount()) {
            throw new RequestRefused(404, "there is no job " + jobId + " on-chain");
        }
        ValidationJob onChain = chain.job(jobId);
        if (!onChain.validator().equals(address())) {
            throw new RequestRefused(409, "job " + jobId + " is assigned to validator " + onChain.validator() + ", not to this one ("
                    + address() + ")");
        }
        if (onChain.fileId() != fileId) {
            throw new RequestRefused(400, "file_id " + fileId + " is not the file of job " + jobId + " (file " + onChain.fileId() + ")");
        }
        Optional<NodeJob> known = journal.find(jobId);
        if (known.isPresent() && known.get().state().isTerminal()) {
            throw new RequestRefused(409, "job " + jobId + " already ended: " + known.get().state()
                    + (known.get().reason() == null ? "" : " (" + known.get().reason() + ")"));
        }
        if (onChain.status() != ValidationJob.Status.SUBMITTED) {
            throw new RequestRefused(409, "job " + jobId + " is " + onChain.status().name().toLowerCase() + " on-chain");
        }
        if (known.isPresent() && known.get().state().compareTo(JobState.WAITING_FOR_KEY) > 0) {
            throw new RequestRefused(409, "job " + jobId + " is already " + known.get().state()
                    + " with the key shared on-chain; follow it at /jobs/" + jobId);
        }
        requests.put(jobId, request);
        NodeJob job = known.orElseGet(() -> NodeJob.queued(jobId, onChain.fileId(), onChain.dlpId(), request)).withRequest(request);
        journal.save(job);
        enqueue(jobId);
        return job;
    }

    private void scan() {
        try {
            long head = chain.blockNumber();
            long from = journal.nextBlock();
            while (from <= head) {
                long to = Math.min(head, from + MAX_LOG_RANGE - 1);
                List<Long> ids = chain.jobsAssignedTo(address(), from, to);
                for (long id : ids) {
                    take(id);
                }
                journal.setNextBlock(to + 1); // after the jobs are journaled: a crash here rescans, never skips
                from = to + 1;
            }
        } catch (RuntimeException e) {
            if (scheduler.isShutdown()) {
                return; // closing interrupts a scan: not worth a warning
            }
            if (e instanceof ChainException) {
                LOG.warn("cannot read new jobs from the chain: {}", e.getMessage());
            } else {
                LOG.error("scanning for jobs failed", e);
            }
        }
    }

    private synchronized void take(long jobId) {
        if (journal.find(jobId).isPresent()) {
            return;
        }
        ValidationJob onChain = chain.job(jobId);
        if (onChain.status() != ValidationJob.Status.SUBMITTED) {
            return; // ended before this node saw it (a rescan after a lost journal)
        }
        NodeJob job = NodeJob.queued(jobId, onChain.fileId(), onChain.dlpId(), JobRequest.FROM_CHAIN);
        journal.save(job);
        LOG.info("[jobId:{} fileId:{}] assigned to this validator for DataDAO {}", jobId, onChain.fileId(), onChain.dlpId());
        enqueue(jobId);
    }

    private void enqueue(long jobId) {
        if (active.putIfAbsent(jobId, Boolean.TRUE) == null) {
            workers.execute(() -> run(jobId));
        }
    }

    private void run(long jobId) {
        boolean retry = false;
        try {
            NodeJob job = journal.find(jobId).orElseThrow();
            if (job.state().isTerminal()) {
                return;
            }
            if (job.state() == JobState.FAILING) {
                processor.fail(job, job.reason());
                return;
            }
            if (job.state() != JobState.QUEUED) {
                job = job.moveTo(JobState.QUEUED, "resumed after a restart");
                journal.save(job);
            }
            ValidationJob onChain = chain.job(jobId);
            Instant deadline = Instant.ofEpochSecond(onChain.addedAtSeconds()).plus(settings.jobTimeout());
            NodeJob done = processor.process(job, deadline);
            if (done.state().isTerminal()) {
                requests.remove(jobId);
            }
        } catch (ChainException e) {
            LOG.warn("[jobId:{}] the chain is unreachable; trying again in {} s: {}", jobId, RETRY.toSeconds(), e.getMessage());
            retry = true;
        } catch (CancellationException e) {
            LOG.info("[jobId:{}] left for the next start: {}", jobId, e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("[jobId:{}] failed unexpectedly; trying again in {} s", jobId, RETRY.toSeconds(), e);
            retry = true;
        } finally {
            active.remove(jobId);
        }
        if (retry && !scheduler.isShutdown()) {
            scheduler.schedule(() -> enqueue(jobId), RETRY.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void claimFees() {
        try {
            synchronized (chainWrites) {
                BigInteger claimable = chain.claimable(address());
                if (claimable.signum() > 0) {
                    String tx = chain.claim();
                    LOG.info("claimed {} wei of validation fees in {}", claimable, tx);
                }
            }
        } catch (ChainException e) {
            LOG.warn("cannot claim fees: {}", e.getMessage());
        }
    }

    /** Stops taking jobs; jobs in flight stop where they are and resume on the next start. */
    @Override
    public void close() {
        scheduler.shutdownNow();
        workers.shutdownNow();
        try {
            workers.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
