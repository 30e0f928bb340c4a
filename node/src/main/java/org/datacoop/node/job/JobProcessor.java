package org.datacoop.node.job;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.datacoop.chain.ChainException;
import org.datacoop.chain.DataCoopChain;
import org.datacoop.chain.Deployment;
import org.datacoop.node.attestation.Attestation;
import org.datacoop.node.enclave.Archives;
import org.datacoop.node.enclave.Enclave;
import org.datacoop.node.enclave.Evidence;
import org.datacoop.node.enclave.Workspace;
import org.datacoop.node.program.ContributionProgram;
import org.datacoop.node.program.ProgramException;
import org.datacoop.node.program.ProgramLoader;
import org.datacoop.node.program.ProgramResults;
import org.datacoop.node.program.ProgramRun;
import org.datacoop.node.refine.Refinery;
import org.datacoop.protocol.Address;
import org.datacoop.protocol.ContributedFile;
import org.datacoop.protocol.FileProof;
import org.datacoop.protocol.Hex;
import org.datacoop.protocol.ProofData;
import org.datacoop.protocol.Sha256;
import org.datacoop.protocol.ValidationJob;
import org.datacoop.protocol.crypto.CryptoException;
import org.datacoop.protocol.crypto.PasswordEncryption;
import org.datacoop.protocol.storage.BlobId;
import org.datacoop.protocol.storage.StorageException;
import org.datacoop.storage.HttpBlobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes one job from {@link JobState#QUEUED} to {@link JobState#COMPLETED}, or to a failure with a
 * reason: wait for the file's key, fetch and check the encrypted file, decrypt it inside the
 * enclave's workspace, run the DataDAO's program, sign and store the attestation, and submit the
 * EIP-712 proof. Each step is journaled before it starts (on disk where a restart must know it), so a
 * restart knows where a job was.
 */
final class JobProcessor {
    private static final Logger LOG = LoggerFactory.getLogger(JobProcessor.class);
    private static final int MAX_METADATA_CHARS = 2048;
    /** Reasons go on-chain in a transaction the validator pays for: long ones are cut. */
    private static final int MAX_REASON_CHARS = 300;
    private static final int MAX_ZIP_ENTRIES = 10_000;
    private static final Duration RETRY = Duration.ofSeconds(2);
    private static final String WRONG_KEY = "the key shared with this validator does not open the file "
            + "(it was wrapped to another key, or it is not the file's password)";
    /** Closes downloads that outlive their time: a blocking read has no timeout of its own. */
    private static final ScheduledExecutorService WATCHDOG =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("fetch-watchdog").daemon().factory());

    private final DataCoopChain chain;
    private final Enclave enclave;
    private final HttpBlobStore storage;
    private final ProgramLoader programs;
    private final JobJournal journal;
    private final JobSettings settings;
    private final String nodeUrl;
    private final Object chainWrites;
    private final Refinery refinery;

    /**
     * @param chainWrites held where a transaction depends on what was read just before it (failing a job
     *     still open on-chain); the connection orders the nonces of parallel transactions itself
     */
    JobProcessor(DataCoopChain chain, Enclave enclave, HttpBlobStore storage, ProgramLoader programs, JobJournal journal,
            JobSettings settings, String nodeUrl, Object chainWrites, Refinery refinery) {
        this.chain = chain;
        this.enclave = enclave;
        this.storage = storage;
        this.programs = programs;
        this.journal = journal;
        this.settings = settings;
        this.nodeUrl = nodeUrl;
        this.chainWrites = chainWrites;
        this.refinery = refinery;
    }

    /** A file's password and where it came from: its owner on-chain, or a caller over HTTP. */
    private record FileKey(char[] password, boolean fromCaller) {}

    /**
     * Runs {@code job} (journaled, in {@link JobState#QUEUED} or {@link JobState#WAITING_FOR_KEY})
     * to its end. A failure of the job itself ends it {@link JobState#FAILED} on the node and
     * on-chain; {@link RetryLater} leaves it where it is, to be taken up again.
     */
    NodeJob process(NodeJob job) {
        Instant started = Instant.now();
        try {
            if (job.state() == JobState.REFINING) {
                return refineAfterRestart(job);
            }
            if (job.state() == JobState.QUEUED) {
                job = step(job, JobState.WAITING_FOR_KEY);
            }
            ValidationJob onChain = chain.job(job.jobId());
            if (onChain.status() != ValidationJob.Status.SUBMITTED) {
                return closedOnChain(job, onChain);
            }
            DataCoopChain.Program pinned = chain.programOf(onChain);
            // before the key is opened: a job waiting for its variables holds no password
            RequiredVariables.await(programs.load(job.dlpId(), pinned.digest(), pinned.url()), job.dlpId(), job.request(),
                    Instant.ofEpochSecond(onChain.addedAtSeconds()).plus(settings.jobTimeout()), settings.jobTimeout(),
                    settings.pollInterval());
            FileKey key = key(job, onChain);
            ContributedFile file = chain.file(job.fileId());
            try (Workspace workspace = enclave.openWorkspace(job.jobId())) {
                job = step(job, JobState.FETCHING);
                Path encrypted = fetch(file, workspace);
                // Without a registered checksum the attestation names the hash of what was judged.
                String encryptedChecksum = file.hasChecksum() ? file.checksum() : sha256Hex(encrypted);

                job = step(job, JobState.DECRYPTING);
                Decrypted decrypted = decrypt(job, key, encrypted, workspace);
                String decryptedChecksum = decrypted.checksum();

                job = step(job, JobState.RUNNING_PROGRAM);
                ContributionProgram program = programs.load(job.dlpId(), pinned.digest(), pinned.url());
                ProgramRun run = new ProgramRun(job.jobId(), job.fileId(), job.dlpId(), file.owner(), decryptedChecksum,
                        workspace.inputDir(), workspace.outputDir(), environment(job), settings.programTimeout(),
                        settings.maxDocumentBytes());
                ProgramResults results = ContributionProgram.judge(program, run);
                LOG.info("[jobId:{} fileId:{}] program judged the file: valid={} score={}", job.jobId(), job.fileId(),
                        results.valid(), results.score());

                job = step(job, JobState.ATTESTING);
                String proofUrl = store(attest(job, file, encryptedChecksum, pinned, decryptedChecksum, results, program.execution(run), started));
                // On disk with the result before the proof is sent: a restart that finds the proof on-chain then
                // knows the result, and refines the file as this run would have.
                job = step(job.withResult(new NodeJob.Result(results.valid(), results.score(), proofUrl, null, null)),
                        JobState.SUBMITTING);
                ProofData data = new ProofData(results.scaledScore(), job.dlpId(), pinned.digest(),
                        onChainMetadata(results), proofUrl, "");
                // No lock: the connection numbers parallel transactions itself, and the receipt is awaited unlocked.
                byte[] digest = chain.proofDigest(file, job.jobId(), enclave.identity().address(), data);
                DataCoopChain.ProofSubmission submission =
                        chain.addProof(job.jobId(), data, enclave.identity().signDigest(digest));
                job = job.withResult(new NodeJob.Result(results.valid(), results.score(), proofUrl, submission.proofIndex(),
                        submission.txHash()));
                LOG.info("[jobId:{} fileId:{}] proof {} recorded in {}", job.jobId(), job.fileId(), submission.proofIndex(),
                        submission.txHash());
                if (results.valid() && results.scaledScore().signum() > 0) {
                    // Signed and journaled before it is sent: whatever happens to the transaction, the proof stands
                    // and a retry (after a restart too) sends the same binding.
                    job = save(job.withBinding(signBinding(job, file, decrypted.dataHash())).moveTo(JobState.REFINING));
                    job = bind(job);
                    refine(job, file, workspace);
                }
                return save(job.moveTo(JobState.COMPLETED));
            }
        } catch (RuntimeException | Error e) {
            return handle(job, e);
        }
    }

    /**
     * Refines a proved file anew: after a restart cut its refinement short, or as a backfill when its
     * DataDAO gained a refiner (or took this node as its service) after the proof. The plaintext was
     * wiped with the workspace, so the file is fetched and decrypted again with the key its owner
     * shared on-chain. Its data's binding is sent first when it is still pending, or signed then when
     * the run that proved it stopped before signing one. Without the key (revoked by its owner, or a
     * caller's, lost) or on any failure the job still completes: its proof stands.
     */
    private NodeJob refineAfterRestart(NodeJob job) {
        try {
            job = bind(job);
            ValidationJob onChain = chain.job(job.jobId());
            FileKey key = key(job, onChain);
            ContributedFile file = chain.file(job.fileId());
            try (Workspace workspace = enclave.openWorkspace(job.jobId())) {
                Decrypted decrypted = decrypt(job, key, fetch(file, workspace), workspace);
                if (job.binding() == null) {
                    job = bind(save(job.withBinding(signBinding(job, file, decrypted.dataHash()))));
                }
                refine(job, file, workspace);
            }
        } catch (ChainException e) {
            if (e.isUnreachable()) {
                throw new RetryLater(RETRY, "the chain is unreachable: " + e.getMessage(), true);
            }
            LOG.warn("[jobId:{} fileId:{}] cannot refine after a restart: {}", job.jobId(), job.fileId(), e.getMessage());
        } catch (RetryLater | JobFailure | CryptoException | UncheckedIOException e) {
            if (e instanceof RetryLater retry && retry.fault()) {
                throw retry;
            }
            LOG.warn("[jobId:{} fileId:{}] cannot refine after a restart: {}", job.jobId(), job.fileId(), e.getMessage());
        }
        return save(job.moveTo(JobState.COMPLETED));
    }

    /**
     * The enclave's signature binding the file's keyed data hash to its registered owner, now; null on a
     * deployment made before the ownership registry existed.
     */
    private NodeJob.Binding signBinding(NodeJob job, ContributedFile file, byte[] dataHash) {
        if (!chain.deployment().contracts().containsKey(Deployment.OWNERSHIP_REGISTRY)) {
            LOG.info("[jobId:{} fileId:{}] no ownership registry in this deployment: the data is not bound", job.jobId(),
                    job.fileId());
            return null;
        }
        long boundAt = Instant.now().getEpochSecond();
        byte[] digest = chain.ownership().bindingDigest(dataHash, file.owner(), job.fileId(), boundAt);
        return NodeJob.Binding.signed(Hex.prefixed(dataHash), file.owner().value(), boundAt,
                Hex.prefixed(enclave.identity().signDigest(digest)));
    }

    /**
     * Records the job's binding in the ownership registry unless it was already recorded or refused. An
     * unreachable chain leaves it journaled, to be sent again (the job stays {@link JobState#REFINING});
     * a refusal is journaled and logged, and the job goes on: its proof stands either way.
     */
    private NodeJob bind(NodeJob job) {
        NodeJob.Binding binding = job.binding();
        if (binding == null || !binding.pending()) {
            return job;
        }
        try {
            String tx = chain.ownership().bind(Hex.bytes(binding.dataHash()), Address.of(binding.owner()), job.fileId(),
                    binding.boundAt(), Hex.bytes(binding.signature()));
            LOG.info("[jobId:{} fileId:{}] data bound to its owner {} in {}", job.jobId(), job.fileId(), binding.owner(), tx);
            return save(job.withBinding(binding.recordedIn(tx)));
        } catch (ChainException e) {
            if (e.isUnreachable()) {
                throw new RetryLater(RETRY, "the chain is unreachable: " + e.getMessage(), true);
            }
            // A receipt lost after the binding landed: sent again it is refused, yet it is recorded.
            if (alreadyBound(job, binding)) {
                return save(job.withBinding(binding.recordedIn(null)));
            }
            LOG.warn("[jobId:{} fileId:{}] the ownership registry refused the binding: {}", job.jobId(), job.fileId(),
                    e.getMessage());
            return save(job.withBinding(binding.refusedFor(bounded(e.getMessage()))));
        }
    }

    private boolean alreadyBound(NodeJob job, NodeJob.Binding binding) {
        try {
            return chain.ownership().hashOfFile(job.fileId()).filter(binding.dataHash()::equalsIgnoreCase).isPresent();
        } catch (ChainException e) {
            if (e.isUnreachable()) {
                throw new RetryLater(RETRY, "the chain is unreachable: " + e.getMessage(), true);
            }
            return false;
        }
    }

    /**
     * Runs the DataDAO's refiners. An unreachable chain leaves the job {@link JobState#REFINING}, to
     * be taken up again; any other failure is logged and the job completes, its proof standing. That
     * includes exhausting memory or stack: a refiner reads the whole file, which only the decrypted
     * limit bounds, and would exhaust them again on every try.
     */
    private void refine(NodeJob job, ContributedFile file, Workspace workspace) {
        try {
            refinery.refine(job.jobId(), job.fileId(), job.dlpId(), file.owner(), workspace);
        } catch (ChainException e) {
            if (e.isUnreachable()) {
                throw new RetryLater(RETRY, "the chain is unreachable: " + e.getMessage(), true);
            }
            LOG.warn("[jobId:{} fileId:{}] the chain refused the refinement: {}", job.jobId(), job.fileId(), e.getMessage());
        } catch (UncheckedIOException e) {
            LOG.warn("[jobId:{} fileId:{}] refinement failed: {}", job.jobId(), job.fileId(), e.getMessage());
        } catch (OutOfMemoryError | StackOverflowError e) {
            LOG.warn("[jobId:{} fileId:{}] refinement failed: {}", job.jobId(), job.fileId(), e.getClass().getSimpleName());
        }
    }

    /**
     * Sorts a failure: the job's own (it fails, with a reason), or not its fault (it is tried again).
     * Every throwable ends up one or the other, so no job is left in a state no worker will take up.
     */
    private NodeJob handle(NodeJob job, Throwable e) {
        if (e instanceof CancellationException || Thread.currentThread().isInterrupted()) {
            throw new CancellationException("the validator is stopping; job " + job.jobId() + " resumes on its next start");
        }
        return switch (e) {
            case RetryLater retry -> throw retry;
            case ChainException refused when refused.isUnreachable() ->
                    throw new RetryLater(RETRY, "the chain is unreachable: " + refused.getMessage(), true);
            case ChainException refused -> fail(job, "the chain refused this validator's transaction: " + refused.getMessage());
            case UncheckedIOException disk -> throw new RetryLater(RETRY, "this validator's disk failed: " + disk.getMessage(), true);
            case JobFailure failure -> fail(job, failure.getMessage());
            case ProgramException failure -> fail(job, failure.getMessage());
            case CryptoException failure -> fail(job, reasonOf(failure));
            // Programs' exhaustion is theirs (ContributionProgram.judge); elsewhere, as in streaming decryption
            // or in signing, memory or stack running short is this node's trouble.
            case VirtualMachineError exhausted -> throw new RetryLater(RETRY,
                    "this validator's JVM failed in " + job.state() + ": " + exhausted.getClass().getSimpleName(), true);
            default -> {
                LOG.warn("[jobId:{} fileId:{}] unexpected failure", job.jobId(), job.fileId(), e);
                yield fail(job, "the validator failed unexpectedly: " + e.getClass().getSimpleName());
            }
        };
    }

    /** Ends a job whose failure reason is known: on the node at once, then on-chain. */
    NodeJob fail(NodeJob job, String reason) {
        job = job.state() == JobState.FAILING ? job : save(job.moveTo(JobState.FAILING, bounded(reason)));
        LOG.info("[jobId:{} fileId:{}] failed: {}", job.jobId(), job.fileId(), job.reason());
        try {
            synchronized (chainWrites) {
                ValidationJob onChain = chain.job(job.jobId());
                if (onChain.status() != ValidationJob.Status.SUBMITTED) {
                    return closedOnChain(job, onChain);
                }
                chain.failJob(job.jobId(), job.reason());
            }
        } catch (ChainException e) {
            if (e.isUnreachable()) {
                throw new RetryLater(RETRY, "the chain is unreachable: " + e.getMessage(), true);
            }
            LOG.warn("[jobId:{}] the TeePool refused to record the failure: {}", job.jobId(), e.getMessage());
            return save(job.moveTo(JobState.FAILED, job.reason() + " (not recorded on-chain: the TeePool refused it)"));
        }
        return save(job.moveTo(JobState.FAILED, job.reason()));
    }

    /** The job ended on-chain without this run: proved before a restart, failed, or cancelled by its payer. */
    NodeJob closedOnChain(NodeJob job, ValidationJob onChain) {
        return switch (onChain.status()) {
            case COMPLETED -> provedEarlier(job);
            case FAILED -> save(job.moveTo(JobState.FAILED, onChain.failureReason()));
            default -> save(job.moveTo(JobState.CANCELED, "the job was " + onChain.status().name().toLowerCase() + " on-chain"));
        };
    }

    /**
     * A job proved on-chain whose end this node did not record: it stopped (a kill, a crash) between
     * sending the proof and its receipt, or a second proof of a run taken up again was refused. The
     * proof's index and url come from the chain, and a file the program accepted is refined as the
     * run would have refined it.
     */
    private NodeJob provedEarlier(NodeJob job) {
        NodeJob.Result result = job.result();
        if (result == null || result.proofIndex() != null) {
            return save(job.moveTo(JobState.COMPLETED, job.reason()));
        }
        Optional<FileProof> proof = chain.proofsOf(job.fileId()).stream().filter(p -> p.jobId() == job.jobId()).findFirst();
        NodeJob proved = job.moveTo(JobState.COMPLETED).withResult(new NodeJob.Result(result.valid(), result.score(),
                proof.map(p -> p.data().proofUrl()).orElse(result.proofUrl()), proof.map(FileProof::index).orElse(null),
                result.txHash()));
        LOG.info("[jobId:{} fileId:{}] proof {} found on-chain, sent before this run saw its receipt", job.jobId(),
                job.fileId(), proved.result().proofIndex());
        // The binding is signed after the proof's receipt, so a run stopped before it has none.
        if (result.valid() && result.score() > 0 && (job.binding() == null || lacksRefinement(job))) {
            return refineAfterRestart(save(proved.moveTo(JobState.REFINING)));
        }
        return save(proved);
    }

    /** Whether a refiner this node runs has yet to refine the job's file; a refused read, like a failed refinement, leaves the proof standing. */
    private boolean lacksRefinement(NodeJob job) {
        try {
            return refinery.lacksRefinement(job.fileId(), job.dlpId());
        } catch (ChainException e) {
            if (e.isUnreachable()) {
                throw e;
            }
            LOG.warn("[jobId:{} fileId:{}] cannot tell whether it was refined: {}", job.jobId(), job.fileId(), e.getMessage());
            return false;
        }
    }

    private NodeJob step(NodeJob job, JobState next) {
        LOG.debug("[jobId:{} fileId:{}] {} -> {}", job.jobId(), job.fileId(), job.state(), next);
        return save(job.moveTo(next));
    }

    /**
     * Records {@code job}, keeping the request as journaled now (a caller may have added to it meanwhile);
     * on disk only in the states a restart must find (see {@link JobJournal#progress}).
     */
    private NodeJob save(NodeJob job) {
        return journal.progress(job.jobId(), recorded -> job.withRequest(recorded.request())).orElseThrow();
    }

    /**
     * The file's password: shared on-chain by its owner first, else sent by a caller. A caller's key
     * that does not open is dropped, not held against the job. With none yet, the job waits (its
     * worker freed) until the job timeout after its request, then fails.
     */
    private FileKey key(NodeJob job, ValidationJob onChain) {
        byte[] shared = chain.filePermission(job.fileId(), enclave.identity().address());
        if (shared.length > 0) {
            try {
                return new FileKey(utf8(enclave.unwrap(shared)), false);
            } catch (CryptoException e) {
                throw new JobFailure(WRONG_KEY);
            }
        }
        String sent = job.request().wrappedKey();
        if (sent != null) {
            try {
                return new FileKey(utf8(enclave.unwrap(Hex.bytes(sent))), true);
            } catch (CryptoException | IllegalArgumentException e) {
                dropCallersKey(job);
            }
        }
        if (Instant.now().isAfter(Instant.ofEpochSecond(onChain.addedAtSeconds()).plus(settings.jobTimeout()))) {
            throw new JobFailure("the contributor did not share the file's key with validator "
                    + enclave.identity().address() + " within " + settings.jobTimeout().toSeconds() + " s of the request");
        }
        throw new RetryLater(settings.pollInterval(), "waiting for the file's key", false);
    }

    private void dropCallersKey(NodeJob job) {
        LOG.info("[jobId:{} fileId:{}] the key a caller sent does not open the file; waiting for the owner's", job.jobId(),
                job.fileId());
        journal.update(job.jobId(), recorded -> recorded.withRequest(recorded.request().withoutKey()));
    }

    /**
     * Downloads the file, checked against its on-chain checksum when it has one, and bounded in size
     * and time.
     */
    private Path fetch(ContributedFile file, Workspace workspace) {
        Path target = workspace.file("encrypted");
        long limit = settings.maxFileBytes();
        AtomicBoolean timedOut = new AtomicBoolean();
        try (InputStream in = file.hasChecksum()
                        ? HttpBlobStore.fetch(file.url(), new BlobId(file.checksum()))
                        : HttpBlobStore.fetch(file.url());
                OutputStream out = Files.newOutputStream(target)) {
            ScheduledFuture<?> watchdog = WATCHDOG.schedule(() -> {
                timedOut.set(true);
                closeQuietly(in);
            }, settings.jobTimeout().toMillis(), TimeUnit.MILLISECONDS);
            try {
                byte[] buffer = new byte[1 << 16];
                long total = 0;
                for (int n; (n = in.read(buffer)) > 0; ) {
                    total += n;
                    if (total > limit) {
                        throw new JobFailure("the file at " + file.url() + " is too large: over this validator's limit of "
                                + limit + " bytes");
                    }
                    out.write(buffer, 0, n);
                }
            } finally {
                watchdog.cancel(false);
            }
        } catch (StorageException e) {
            throw new JobFailure(e.reason() == StorageException.Reason.CORRUPTED
                    ? "the file at " + file.url() + " does not match its on-chain checksum"
                    : "cannot fetch the file: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new JobFailure(timedOut.get()
                    ? "the file at " + file.url() + " did not arrive within " + settings.jobTimeout().toSeconds() + " s"
                    : "cannot fetch the file from " + file.url() + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new JobFailure("the file's url " + file.url() + " is not one this validator can fetch (http or https)");
        }
        return target;
    }

    /**
     * Decrypts into the workspace (plaintext released only after the integrity check, and bounded:
     * compressed data can expand), then lays out the input dir, extracting a zip archive.
     */
    /** The decrypted file's SHA-256 (hex, for the attestation) and its keyed hash (for the ownership registry). */
    private record Decrypted(String checksum, byte[] dataHash) {}

    private Decrypted decrypt(NodeJob job, FileKey key, Path encrypted, Workspace workspace) {
        Path decrypted = workspace.file("decrypted");
        try {
            new PasswordEncryption().decryptFile(encrypted, decrypted, key.password(), settings.maxDecryptedBytes());
        } catch (CryptoException e) {
            // Both alike, for the reason reasonOf gives one reason for both.
            boolean doesNotOpen = e.reason() == CryptoException.Reason.WRONG_PASSWORD || e.reason() == CryptoException.Reason.TAMPERED;
            if (doesNotOpen && key.fromCaller()) {
                dropCallersKey(job);
                throw new RetryLater(settings.pollInterval(), "the caller's key did not open the file", false);
            }
            throw e;
        } finally {
            Arrays.fill(key.password(), '\0');
        }
        try {
            String checksum = HexFormat.of().formatHex(Sha256.of(decrypted));
            byte[] dataHash = enclave.dataHash(job.dlpId(), decrypted);
            if (isZip(decrypted)) {
                try {
                    Archives.extract(decrypted, workspace.inputDir(), settings.maxDecryptedBytes(), MAX_ZIP_ENTRIES);
                } catch (Archives.Refused e) {
                    throw new JobFailure("the decrypted file: " + e.getMessage());
                }
                Files.delete(decrypted);
            } else {
                Files.move(decrypted, workspace.inputDir().resolve("data"));
            }
            Files.delete(encrypted);
            return new Decrypted(checksum, dataHash);
        } catch (IOException e) {
            throw new JobFailure("cannot lay out the decrypted file: " + e.getMessage(), e);
        }
    }

    /** The request's env vars and its secrets, opened inside the enclave. */
    private Map<String, String> environment(NodeJob job) {
        Map<String, String> environment = new HashMap<>(job.request().envVars());
        job.request().wrappedSecrets().forEach((name, wrapped) -> {
            try {
                environment.put(name, new String(enclave.unwrapSecret(Hex.bytes(wrapped)),
                        StandardCharsets.UTF_8));
            } catch (CryptoException | IllegalArgumentException e) {
                throw new JobFailure("secret " + name + " was not wrapped to this validator's key");
            }
        });
        return environment;
    }

    private static String sha256Hex(Path file) {
        try {
            return HexFormat.of().formatHex(Sha256.of(file));
        } catch (IOException e) {
            throw new JobFailure("cannot read the downloaded file back: " + e.getMessage(), e);
        }
    }

    /** Stores the signed attestation; this validator's storage failing is not the job's fault. */
    private String store(Attestation attestation) {
        try {
            return storage.urlOf(storage.put(new ByteArrayInputStream(attestation.toJson().getBytes(StandardCharsets.UTF_8))));
        } catch (StorageException e) {
            throw new RetryLater(RETRY, "cannot store the attestation: " + e.getMessage(), true);
        }
    }

    private Attestation attest(NodeJob job, ContributedFile file, String encryptedChecksum, DataCoopChain.Program program, String decryptedChecksum,
            ProgramResults results, ContributionProgram.Execution execution, Instant started) {
        JsonNodeFactory json = JsonNodeFactory.instance;
        ObjectNode fields = json.objectNode();
        ObjectNode subject = fields.putObject("subject");
        subject.put("url", file.url());
        subject.put("file_id", file.id());
        subject.put("owner_address", file.owner().value());
        subject.put("decrypted_file_checksum", decryptedChecksum);
        subject.put("encrypted_file_checksum", encryptedChecksum);
        subject.put("encryption_seed", job.request().encryptionSeed());

        ObjectNode jobFields = fields.putObject("job");
        jobFields.put("job_id", job.jobId());
        jobFields.put("chain_id", chain.deployment().chainId());
        jobFields.put("tee_pool", chain.deployment().address(Deployment.TEE_POOL).value());
        if (job.request().nonce() == null) {
            jobFields.putNull("nonce");
        } else {
            jobFields.put("nonce", job.request().nonce());
        }

        Evidence evidence = enclave.evidence(Sha256.of(Attestation.canonical(fields).getBytes(StandardCharsets.UTF_8)));
        ObjectNode prover = fields.putObject("prover");
        prover.put("type", evidence.proverType());
        prover.put("address", enclave.identity().address().value());
        prover.put("url", nodeUrl);

        ObjectNode enclaveFields = fields.putObject("enclave");
        enclaveFields.put("type", evidence.enclaveType());
        enclaveFields.put("measurement", evidence.measurement());
        enclaveFields.put("report_data", evidence.reportData());
        enclaveFields.put("quote", evidence.quote());

        ObjectNode proof = fields.putObject("proof");
        proof.put("image_url", program.url().startsWith("data:") ? "data:(inline definition)" : program.url());
        proof.put("program_digest", program.digest());
        // What the program could see: the sandbox and the whole command line it ran as.
        ObjectNode sandbox = proof.putObject("sandbox");
        sandbox.put("type", execution.sandbox());
        execution.commandLine().forEach(sandbox.putArray("command")::add);
        proof.put("created_at", Instant.now().getEpochSecond());
        proof.put("duration", Duration.between(started, Instant.now()).toMillis() / 1000.0);
        proof.setAll(results.toJson());
        proof.put("dlp_id", job.dlpId());
        return Attestation.sign(fields, enclave.identity());
    }

    /** The program's metadata as it goes on-chain, bounded so a chatty program cannot make the proof costly. */
    private static String onChainMetadata(ProgramResults results) {
        String metadata = results.metadata().toString();
        if (metadata.length() <= MAX_METADATA_CHARS) {
            return metadata;
        }
        ObjectNode short_ = JsonNodeFactory.instance.objectNode();
        short_.put("truncated", true);
        short_.put("reason", bounded(results.metadata().path("reason").asText("")));
        return short_.toString();
    }

    private String reasonOf(CryptoException e) {
        return switch (e.reason()) {
            case WRONG_KEY_OR_TAMPERED -> WRONG_KEY;
            // One reason for both, written on-chain: told apart, "wrong password" (OpenPGP's two-byte
            // quick check) against "integrity check failed" would let anyone who pairs a copy of another
            // file's shared key with an altered body learn plaintext bytes, job by job.
            case WRONG_PASSWORD, TAMPERED -> "the file does not open with the password shared with this validator, or"
                    + " fails its integrity check (a wrong password, or a file corrupted or altered)";
            case NOT_OPENPGP, NOT_PASSWORD_ENCRYPTED -> "the file is not OpenPGP data encrypted with a password";
            case NO_INTEGRITY_PROTECTION -> "the file uses the old OpenPGP format without integrity protection; it is refused";
            case TOO_LARGE -> "the file is too large: it decrypts to more than this validator's limit of "
                    + settings.maxDecryptedBytes() + " bytes";
            default -> "the file cannot be decrypted: " + e.getMessage();
        };
    }

    private static boolean isZip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] magic = in.readNBytes(4);
            return magic.length == 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4;
        }
    }

    private static String bounded(String reason) {
        return reason.length() <= MAX_REASON_CHARS ? reason : reason.substring(0, MAX_REASON_CHARS - 1) + "…";
    }

    private static char[] utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8).toCharArray();
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // the read it interrupts reports the failure
        }
    }
}
