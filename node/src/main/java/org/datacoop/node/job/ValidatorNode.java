package org.datacoop.node.job;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.datacoop.chain.BlockRange;
import org.datacoop.chain.ChainException;
import org.datacoop.chain.CommitmentsChain;
import org.datacoop.chain.DataCoopChain;
import org.datacoop.chain.JobRequestDigest;
import org.datacoop.chain.QueryChain;
import org.datacoop.node.claim.ClaimService;
import org.datacoop.node.query.QueryService;
import org.datacoop.node.refine.ColumnCommitter;
import org.datacoop.node.refine.Refinery;
import org.datacoop.chain.Deployment;
import org.datacoop.node.enclave.Enclave;
import org.datacoop.node.enclave.Workspace;
import org.datacoop.node.program.FileContentIndex;
import org.datacoop.node.program.ProgramLoader;
import org.datacoop.node.program.ProgramSandbox;
import org.datacoop.protocol.Address;
import org.datacoop.protocol.Hex;
import org.datacoop.protocol.ProofRequest;
import org.datacoop.protocol.ValidationJob;
import org.datacoop.protocol.Validator;
import org.datacoop.protocol.crypto.CryptoException;
import org.datacoop.protocol.crypto.KeyWrapping;
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
    private static final Duration RETRY = Duration.ofSeconds(2);
    private static final Duration CLAIM_EVERY = Duration.ofSeconds(5);
    private static final int MAX_FAULTS = 30;

    private final DataCoopChain chain;
    private final QueryChain queries;
    private final Enclave enclave;
    private final JobJournal journal;
    private final JobSettings settings;
    private final JobProcessor processor;
    private final Refinery refinery;
    private final QueryService queryService;
    /** Empty when this validator commits to nothing (no circuits built, or a deployment without commitments). */
    private final Optional<ClaimService> claims;
    private final HttpBlobStore storage;
    private final Workspace queryWorkspace;
    private final Object chainWrites = new Object();
    private final Set<Long> active = ConcurrentHashMap.newKeySet();
    private final Set<Long> wakeUps = ConcurrentHashMap.newKeySet();
    /** Failed tries of each job that is being retried, to give up on one that keeps failing. */
    private final Map<Long, Integer> faults = new ConcurrentHashMap<>();
    private final PublicKey ownRsaKey;
    private final ExecutorService workers;
    private final ScheduledExecutorService scheduler;

    /**
     * @param dir the node's data dir: its journal and duplicate index go there per deployment (job
     *     ids and blocks start again on a new chain), its program cache beside them
     * @param nodeUrl where the node's API answers, named in attestations
     * @param sandbox where external programs and refiners run
     * @param commitments where refined files' columns are committed (empty on a deployment that predates it)
     */
    public ValidatorNode(DataCoopChain chain, QueryChain queries, Enclave enclave, Path dir, JobSettings settings,
            String nodeUrl, ProgramSandbox sandbox, Optional<CommitmentsChain> commitments) {
        this.chain = chain;
        this.queries = queries;
        this.enclave = enclave;
        String deployment = chain.deployment().chainId() + "-" + chain.deployment().address(Deployment.TEE_POOL).value();
        this.journal = new JobJournal(dir.resolve("jobs").resolve(deployment));
        this.settings = settings;
        this.ownRsaKey = KeyWrapping.rsaPublicKeyFromDer(enclave.descriptor("").rsaPublicKey());
        ProgramLoader programs = new ProgramLoader(new FileContentIndex(dir.resolve("content-index-" + deployment + ".tsv")),
                sandbox.sandbox(), sandbox.unavailableReason(), settings.programLimits());
        this.storage = new HttpBlobStore(chain.deployment().service(Deployment.STORAGE_URL));
        Optional<ColumnCommitter> committer = ColumnCommitter.of(enclave, commitments);
        this.refinery = new Refinery(queries, enclave, storage, programs, committer,
                service -> chain.findValidator(service).filter(Validator::active).map(Validator::secp256k1PublicKey));
        this.processor = new JobProcessor(chain, enclave, storage, programs, journal, settings, nodeUrl, chainWrites, refinery);
        // Job ids start at 1, so workspace 0 is the query engine's: wiped with the others on start and on close.
        this.queryWorkspace = enclave.openWorkspace(0);
        this.queryService = new QueryService(queries, chain, enclave, refinery, storage, queryWorkspace.file("tables"), chainWrites);
        this.claims = committer.map(c -> new ClaimService(chain, queries, enclave, refinery, c, queryWorkspace.file("claims")));
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

    /**
     * This validator's EIP-712 signature (r, s, v) of the {@link JobRequestDigest#receipt} for a
     * request with {@code nonce} it took for {@code jobId}: Vana's nonce "echoed back signed", so the
     * caller can check that the validator the chain assigned answered, and not whoever sits at its url.
     */
    public byte[] signReceipt(long jobId, long fileId, long nonce) {
        return enclave.identity().signDigest(JobRequestDigest.receipt(chain.deployment().chainId(),
                chain.deployment().address(Deployment.TEE_POOL), jobId, fileId, nonce, address()));
    }

    /** What this node knows of {@code jobId}, if it ever took it. */
    public Optional<NodeJob> job(long jobId) {
        return journal.find(jobId);
    }

    /** How many of this node's jobs are in each state. */
    public Map<JobState, Integer> counts() {
        return journal.counts();
    }

    public DataCoopChain chain() {
        return chain;
    }

    /** The storage gateway of the deployment. */
    public HttpBlobStore storage() {
        return storage;
    }

    /**
     * Held where a transaction depends on what was read just before it; the connection orders the
     * nonces of parallel transactions itself.
     */
    public Object chainWrites() {
        return chainWrites;
    }

    /** The query engine this node serves for the DataDAOs that trust it as their refinement service. */
    /** The dataset claims this validator proves, if it commits to refined data. */
    public Optional<ClaimService> claims() {
        return claims;
    }

    public QueryService queries() {
        return queryService;
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
     * and makes sure it runs. Env vars, secrets and the nonce are taken only when the file's owner
     * signed the request ({@link RequestAuthority}); a signed request is kept until the owner sends
     * one with a higher nonce. Every secret must open with this validator's key now, so a bad one
     * is the caller's 400 rather than the job's failure later. A password sent in the clear is
     * wrapped to this validator's own key at once, so it is never written down. Refused, naming
     * why, for a job that does not exist, is another node's, names another file, or is past the
     * point where the parameters could be used.
     *
     * @param source {@code RunProof} or {@code proof}
     * @param signature the owner's EIP-712 signature of {@code request} (r, s, v); null when unsigned
     */
    public synchronized NodeJob accept(String source, ProofRequest request, byte[] signature) {
        long jobId = request.jobId();
        ValidationJob onChain = chain.findJob(jobId)
                .orElseThrow(() -> new RequestRefused(404, "there is no job " + jobId + " on-chain"));
        if (!onChain.validator().equals(address())) {
            throw new RequestRefused(409, "job " + jobId + " is assigned to validator " + onChain.validator() + ", not to this one ("
                    + address() + ")");
        }
        if (onChain.fileId() != request.fileId()) {
            throw new RequestRefused(400, "file_id " + request.fileId() + " is not the file of job " + jobId + " (file "
                    + onChain.fileId() + ")");
        }
        if (onChain.status() != ValidationJob.Status.SUBMITTED) {
            throw new RequestRefused(409, "job " + jobId + " already ended: " + onChain.status().name().toLowerCase() + " on-chain");
        }
        Address signer = RequestAuthority.authorize(request, signature, chain.deployment().chainId(),
                chain.deployment().address(Deployment.TEE_POOL), chain.file(request.fileId()).owner());
        request.secrets().forEach(this::requireOpens);
        String wrappedKey = request.encryptionKey() == null ? request.encryptedEncryptionKey() : new KeyWrapping().wrapRsa(
                request.encryptionKey().getBytes(StandardCharsets.UTF_8), ownRsaKey, KeyWrapping.Scheme.RSA_OAEP_SHA256);
        JobRequest accepted = new JobRequest(source, request.nonce(), request.encryptionSeed(), request.envVars(),
                request.secrets(), wrappedKey, signer == null ? null : signer.value());
        NodeJob job = journal.update(jobId, recorded -> {
                    if (recorded.state().compareTo(JobState.WAITING_FOR_KEY) > 0) {
                        throw new RequestRefused(409, "job " + jobId + " is already " + recorded.state()
                                + (recorded.state().isTerminal() ? "" : " with the key shared on-chain")
                                + "; follow it at /jobs/" + jobId);
                    }
                    RequestAuthority.requireMayReplace(jobId, recorded.request(), accepted);
                    return recorded.withRequest(accepted);
                })
                .orElseGet(() -> {
                    NodeJob queued = NodeJob.queued(jobId, onChain.fileId(), onChain.dlpId(), accepted);
                    journal.save(queued);
                    return queued;
                });
        if (signer != null) {
            LOG.info("[jobId:{} fileId:{}] took the request signed by the file's owner {} (nonce {}, {} env vars, {} secrets)",
                    jobId, request.fileId(), signer, request.nonce(), request.envVars().size(), request.secrets().size());
        }
        enqueue(jobId);
        return job;
    }

    /** Refuses (400, naming it) a secret that does not open with this validator's key; the opened value is wiped at once. */
    private void requireOpens(String name, String wrappedHex) {
        try {
            Arrays.fill(enclave.unwrapSecret(Hex.bytes(wrappedHex)), (byte) 0);
        } catch (CryptoException | IllegalArgumentException e) {
            throw new RequestRefused(400, "secret " + name + " does not open with this validator's key: wrap it with RSA-OAEP "
                    + "(SHA-256) to the RSA key validator " + address() + " publishes in the TeePool");
        }
    }

    private void scan() {
        try {
            long head = chain.blockNumber();
            // No job is older than the deployment; a journal that never scanned starts there.
            long from = Math.max(journal.nextBlock(), chain.deployment().deploymentBlock());
            for (BlockRange range : BlockRange.split(from, head, BlockRange.MAX_BLOCKS)) {
                List<Long> ids = chain.jobsAssignedTo(address(), range.from(), range.to());
                for (long id : ids) {
                    take(id);
                }
                backfill(queries.dataDaosWithNewRefinement(address(), range.from(), range.to()));
                journal.setNextBlock(range.to() + 1); // after the jobs are journaled: a crash here rescans, never skips
            }
        } catch (RuntimeException | Error e) {
            // Caught whatever it is: a periodic task that throws is never run again, and no new job would be found.
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

    /**
     * Refines the files this node proved for {@code dlpIds} that a refiner it runs has not refined: a
     * DataDAO that gains a refiner, or takes this node as its refinement service, after files were
     * proved would otherwise never have them refined. Each such job goes back to
     * {@link JobState#REFINING}, journaled, so a restart finishes the backfill; its worker fetches and
     * decrypts the file again with the key the owner shared on-chain.
     *
     * @return the jobs sent back to refining
     */
    public synchronized List<Long> backfill(Set<Long> dlpIds) {
        if (dlpIds.isEmpty()) {
            return List.of();
        }
        List<Long> reopened = new ArrayList<>();
        for (NodeJob job : journal.all()) {
            if (job.state() == JobState.COMPLETED && dlpIds.contains(job.dlpId()) && job.result() != null
                    && job.result().valid() && job.result().score() > 0 && job.result().proofIndex() != null
                    && refinery.lacksRefinement(job.fileId(), job.dlpId())) {
                journal.update(job.jobId(), recorded -> recorded.moveTo(JobState.REFINING, "refining for a new refiner"));
                LOG.info("[jobId:{} fileId:{}] refining again: DataDAO {} has a refiner that has not refined it", job.jobId(),
                        job.fileId(), job.dlpId());
                reopened.add(job.jobId());
                enqueue(job.jobId());
            }
        }
        return reopened;
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

    /** Runs {@code jobId} now, or once its current run ends if it is running: what woke it may be news to that run. */
    private void enqueue(long jobId) {
        if (active.add(jobId)) {
            workers.execute(() -> run(jobId));
            return;
        }
        wakeUps.add(jobId);
        // The run may have ended between the two lines above, before it could see the wake-up.
        if (active.add(jobId)) {
            wakeUps.remove(jobId);
            workers.execute(() -> run(jobId));
        }
    }

    private void run(long jobId) {
        Duration retryIn = null;
        try {
            NodeJob job = journal.find(jobId).orElseThrow();
            if (job.state() == JobState.FAILING) {
                processor.fail(job, job.reason());
            } else if (!job.state().isTerminal()) {
                if (job.state() != JobState.QUEUED && job.state() != JobState.WAITING_FOR_KEY
                        && job.state() != JobState.REFINING) {
                    job = journal.update(jobId, recorded -> recorded.moveTo(JobState.QUEUED, "taken up again")).orElseThrow();
                }
                processor.process(job);
            }
            faults.remove(jobId);
        } catch (RetryLater e) {
            retryIn = e.fault() ? afterFault(jobId, e.getMessage()) : e.delay();
        } catch (CancellationException e) {
            LOG.info("[jobId:{}] left for the next start: {}", jobId, e.getMessage());
        } catch (RuntimeException | Error e) {
            // Caught whatever it is: escaping, it would end this worker's thread and leave the job open until a restart.
            LOG.error("[jobId:{}] failed unexpectedly", jobId, e);
            retryIn = afterFault(jobId, e.toString());
        } finally {
            active.remove(jobId);
        }
        // A request or the backfill came while it ran (a job waiting for its variables sleeps until one comes).
        if (wakeUps.remove(jobId)) {
            enqueue(jobId);
            return;
        }
        if (retryIn != null && !scheduler.isShutdown()) {
            scheduler.schedule(() -> enqueue(jobId), retryIn.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** When to try a job again after a fault; null, leaving it for the next start, once it failed too often. */
    private Duration afterFault(long jobId, String why) {
        int count = faults.merge(jobId, 1, Integer::sum);
        if (count >= MAX_FAULTS) {
            LOG.error("[jobId:{}] giving up after {} tries (it resumes on the next start): {}", jobId, count, why);
            faults.remove(jobId);
            return null;
        }
        LOG.warn("[jobId:{}] trying again in {} s: {}", jobId, RETRY.toSeconds(), why);
        return RETRY;
    }

    private void claimFees() {
        try {
            // No lock: this task alone claims, and the connection numbers its transaction among the workers' proofs.
            BigInteger claimable = chain.claimable(address());
            if (claimable.signum() > 0) {
                String tx = chain.claim();
                LOG.info("claimed {} wei of validation fees in {}", claimable, tx);
            }
        } catch (ChainException e) {
            LOG.warn("cannot claim fees: {}", e.getMessage());
        } catch (RuntimeException | Error e) {
            // Caught whatever it is: a periodic task that throws is never run again.
            LOG.error("claiming fees failed; trying again in {} s", CLAIM_EVERY.toSeconds(), e);
        }
    }

    /** Stops taking jobs; jobs in flight stop where they are and resume on the next start. */
    @Override
    public void close() {
        scheduler.shutdownNow();
        workers.shutdownNow();
        queryService.close();
        queryWorkspace.close();
        try {
            workers.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
