package org.datacoop.node.job;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.function.Function;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.datacoop.chain.ChainException;
import org.datacoop.chain.DataCoopChain;
import org.datacoop.node.attestation.Attestation;
import org.datacoop.node.enclave.Enclave;
import org.datacoop.node.enclave.Evidence;
import org.datacoop.node.enclave.Workspace;
import org.datacoop.node.program.ContributionProgram;
import org.datacoop.node.program.ProgramException;
import org.datacoop.node.program.ProgramLoader;
import org.datacoop.node.program.ProgramResults;
import org.datacoop.node.program.ProgramRun;
import org.datacoop.protocol.ContributedFile;
import org.datacoop.protocol.DataDao;
import org.datacoop.protocol.ProofData;
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
 * EIP-712 proof. Each step is journaled before it starts, so a restart knows where a job was.
 */
final class JobProcessor {
    private static final Logger LOG = LoggerFactory.getLogger(JobProcessor.class);
    private static final int MAX_METADATA_CHARS = 2048;
    private static final int MAX_ZIP_ENTRIES = 10_000;
    private static final String WRONG_KEY = "the key shared with this validator does not open the file "
            + "(it was wrapped to another key, or it is not the file's password)";

    private final DataCoopChain chain;
    private final Enclave enclave;
    private final HttpBlobStore storage;
    private final ProgramLoader programs;
    private final JobJournal journal;
    private final JobSettings settings;
    private final String nodeUrl;
    private final Object chainWrites;
    private final Function<NodeJob, JobRequest> latestRequest;

    /**
     * @param latestRequest what callers have sent for a job so far (a key sent over HTTP while the
     *     job waits for one is taken up at once)
     * @param chainWrites held around every transaction, so transactions from parallel jobs get their nonces in order
     */
    JobProcessor(DataCoopChain chain, Enclave enclave, HttpBlobStore storage, ProgramLoader programs, JobJournal journal,
            JobSettings settings, String nodeUrl, Object chainWrites, Function<NodeJob, JobRequest> latestRequest) {
        this.chain = chain;
        this.enclave = enclave;
        this.storage = storage;
        this.programs = programs;
        this.journal = journal;
        this.settings = settings;
        this.nodeUrl = nodeUrl;
        this.chainWrites = chainWrites;
        this.latestRequest = latestRequest;
    }

    /**
     * Runs {@code job} to its end. A failure of the job itself ends it {@link JobState#FAILED} on
     * the node and on-chain; a {@link ChainException} (the RPC node is unreachable) is thrown so
     * the caller can try again later.
     */
    NodeJob process(NodeJob job, Instant deadline) {
        Instant started = Instant.now();
        try (Workspace workspace = enclave.openWorkspace(job.jobId())) {
            job = step(job, JobState.WAITING_FOR_KEY);
            ValidationJob onChain = chain.job(job.jobId());
            if (onChain.status() != ValidationJob.Status.SUBMITTED) {
                return closedOnChain(job, onChain);
            }
            ContributedFile file = chain.file(job.fileId());
            DataDao dao = chain.dataDao(job.dlpId());
            char[] password = password(job, deadline);
            job = save(job.withRequest(latestRequest.apply(job)));

            job = step(job, JobState.FETCHING);
            Path encrypted = fetch(job, file, workspace);

            job = step(job, JobState.DECRYPTING);
            String decryptedChecksum = decrypt(encrypted, password, workspace);

            job = step(job, JobState.RUNNING_PROGRAM);
            ContributionProgram program = programs.load(dao, job.request().programUrl());
            ProgramResults results = program.run(new ProgramRun(job.jobId(), job.fileId(), job.dlpId(), file.owner(),
                    decryptedChecksum, workspace.inputDir(), workspace.outputDir(), environment(job), settings.programTimeout()));
            LOG.info("[jobId:{} fileId:{}] program judged the file: valid={} score={}", job.jobId(), job.fileId(),
                    results.valid(), results.score());

            job = step(job, JobState.ATTESTING);
            Attestation attestation = attest(job, file, dao, decryptedChecksum, results, started);
            BlobId stored = storage.put(new ByteArrayInputStream(attestation.toJson().getBytes(StandardCharsets.UTF_8)));
            String proofUrl = storage.urlOf(stored);
            job = save(job.withResult(new NodeJob.Result(results.valid(), results.score(), proofUrl, null, null)));

            job = step(job, JobState.SUBMITTING);
            ProofData data = new ProofData(results.scaledScore(), job.dlpId(), dao.programDigest(),
                    onChainMetadata(results), proofUrl, "");
            DataCoopChain.ProofSubmission submission;
            synchronized (chainWrites) {
                if (chain.job(job.jobId()).status() != ValidationJob.Status.SUBMITTED) {
                    return closedOnChain(job, chain.job(job.jobId()));
                }
                byte[] digest = chain.proofDigest(job.jobId(), enclave.identity().address(), data);
                submission = chain.addProof(job.jobId(), data, enclave.identity().signDigest(digest));
            }
            job = job.withResult(new NodeJob.Result(results.valid(), results.score(), proofUrl, submission.proofIndex(),
                    submission.txHash()));
            LOG.info("[jobId:{} fileId:{}] proof {} recorded in {}", job.jobId(), job.fileId(), submission.proofIndex(),
                    submission.txHash());
            return save(job.moveTo(JobState.COMPLETED));
        } catch (ChainException | CancellationException e) {
            throw e; // not the job's fault: it stays where it is and is taken up again
        } catch (JobFailure | ProgramException | StorageException e) {
            return fail(job, e.getMessage());
        } catch (CryptoException e) {
            return fail(job, reasonOf(e));
        } catch (RuntimeException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new CancellationException("the validator is stopping; the job resumes on its next start");
            }
            LOG.warn("[jobId:{}] unexpected failure", job.jobId(), e);
            return fail(job, "the validator failed unexpectedly: " + e.getClass().getSimpleName());
        }
    }

    /** Ends a job whose failure reason is known: on the node at once, then on-chain. */
    NodeJob fail(NodeJob job, String reason) {
        LOG.info("[jobId:{} fileId:{}] failed: {}", job.jobId(), job.fileId(), reason);
        job = job.state() == JobState.FAILING ? job : save(job.moveTo(JobState.FAILING, reason));
        synchronized (chainWrites) {
            ValidationJob onChain = chain.job(job.jobId());
            if (onChain.status() != ValidationJob.Status.SUBMITTED) {
                return closedOnChain(job, onChain);
            }
            chain.failJob(job.jobId(), reason);
        }
        return save(job.moveTo(JobState.FAILED, reason));
    }

    /** The job ended on-chain without this run: proved before a restart, failed, or cancelled by its payer. */
    NodeJob closedOnChain(NodeJob job, ValidationJob onChain) {
        return save(switch (onChain.status()) {
            case COMPLETED -> job.moveTo(JobState.COMPLETED, job.reason());
            case FAILED -> job.moveTo(JobState.FAILED, onChain.failureReason());
            default -> job.moveTo(JobState.CANCELED, "the job was " + onChain.status().name().toLowerCase() + " on-chain");
        });
    }

    private NodeJob step(NodeJob job, JobState next) {
        LOG.debug("[jobId:{} fileId:{}] {} -> {}", job.jobId(), job.fileId(), job.state(), next);
        return save(job.moveTo(next));
    }

    private NodeJob save(NodeJob job) {
        journal.save(job);
        return job;
    }

    /** The file's password: given in the request, wrapped in the request, or shared on-chain (waited for). */
    private char[] password(NodeJob job, Instant deadline) {
        byte[] wrapped;
        while (true) {
            JobRequest request = latestRequest.apply(job);
            if (request.plainKey() != null) {
                return request.plainKey().toCharArray();
            }
            if (request.wrappedKey() != null) {
                wrapped = parseHex(request.wrappedKey(), "the wrapped encryption key");
                break;
            }
            wrapped = chain.filePermission(job.fileId(), enclave.identity().address());
            if (wrapped.length > 0) {
                break;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new JobFailure("the contributor did not share the file's key with validator "
                        + enclave.identity().address() + " within " + settings.jobTimeout().toSeconds() + " s of the request");
            }
            sleep(settings.pollInterval());
        }
        try {
            return new String(enclave.unwrap(wrapped), StandardCharsets.UTF_8).toCharArray();
        } catch (CryptoException e) {
            throw new JobFailure(WRONG_KEY);
        }
    }

    private Path fetch(NodeJob job, ContributedFile file, Workspace workspace) {
        Path target = workspace.file("encrypted");
        long limit = settings.maxFileBytes();
        try (InputStream in = HttpBlobStore.fetch(file.url(), new BlobId(file.checksum()));
                OutputStream out = Files.newOutputStream(target)) {
            byte[] buffer = new byte[1 << 16];
            long total = 0;
            int n;
            while ((n = in.read(buffer)) > 0) {
                total += n;
                if (total > limit) {
                    throw new JobFailure("the file at " + file.url() + " is larger than this validator's limit of "
                            + limit + " bytes");
                }
                out.write(buffer, 0, n);
            }
        } catch (StorageException e) {
            throw new JobFailure(e.reason() == StorageException.Reason.CORRUPTED
                    ? "the file at " + file.url() + " does not match its on-chain checksum"
                    : "cannot fetch the file: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new JobFailure("cannot fetch the file from " + file.url() + ": " + e.getMessage(), e);
        }
        return target;
    }

    /** Decrypts into the workspace (plaintext released only after the integrity check), then lays out the input dir. */
    private String decrypt(Path encrypted, char[] password, Workspace workspace) {
        Path decrypted = workspace.file("decrypted");
        try {
            new PasswordEncryption().decryptFile(encrypted, decrypted, password);
        } catch (CryptoException e) {
            throw e.reason() == CryptoException.Reason.WRONG_PASSWORD ? new JobFailure(WRONG_KEY) : e;
        } finally {
            Arrays.fill(password, '\0');
        }
        try {
            String checksum = sha256Hex(decrypted);
            if (isZip(decrypted)) {
                unzip(decrypted, workspace.inputDir());
                Files.delete(decrypted);
            } else {
                Files.move(decrypted, workspace.inputDir().resolve("data"));
            }
            Files.delete(encrypted);
            return checksum;
        } catch (IOException e) {
            throw new JobFailure("cannot lay out the decrypted file: " + e.getMessage(), e);
        }
    }

    private void unzip(Path zip, Path into) throws IOException {
        long budget = settings.maxFileBytes() * 4; // a zip bomb stops here
        int entries = 0;
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            ZipEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                if (++entries > MAX_ZIP_ENTRIES) {
                    throw new JobFailure("the archive holds over " + MAX_ZIP_ENTRIES + " entries");
                }
                Path target = into.resolve(entry.getName()).normalize();
                if (!target.startsWith(into)) {
                    throw new JobFailure("the archive entry " + entry.getName() + " points outside its folder");
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                    continue;
                }
                Files.createDirectories(target.getParent());
                try (OutputStream out = Files.newOutputStream(target)) {
                    byte[] buffer = new byte[1 << 16];
                    int n;
                    while ((n = in.read(buffer)) > 0) {
                        budget -= n;
                        if (budget < 0) {
                            throw new JobFailure("the archive expands past " + settings.maxFileBytes() * 4 + " bytes");
                        }
                        out.write(buffer, 0, n);
                    }
                }
            }
        } catch (java.util.zip.ZipException e) {
            throw new JobFailure("the decrypted file looks like a zip archive but is not a valid one: " + e.getMessage());
        }
    }

    /** The request's env vars and its secrets, opened inside the enclave. */
    private Map<String, String> environment(NodeJob job) {
        Map<String, String> environment = new HashMap<>(job.request().envVars());
        job.request().wrappedSecrets().forEach((name, wrapped) -> {
            try {
                environment.put(name, new String(enclave.unwrap(parseHex(wrapped, "secret " + name)), StandardCharsets.UTF_8));
            } catch (CryptoException e) {
                throw new JobFailure("secret " + name + " was not wrapped to this validator's key");
            }
        });
        return environment;
    }

    private Attestation attest(NodeJob job, ContributedFile file, DataDao dao, String decryptedChecksum,
            ProgramResults results, Instant started) {
        JsonNodeFactory json = JsonNodeFactory.instance;
        ObjectNode fields = json.objectNode();
        ObjectNode subject = fields.putObject("subject");
        subject.put("url", file.url());
        subject.put("file_id", file.id());
        subject.put("owner_address", file.owner().value());
        subject.put("decrypted_file_checksum", decryptedChecksum);
        subject.put("encrypted_file_checksum", file.checksum());
        subject.put("encryption_seed", job.request().encryptionSeed());

        ObjectNode jobFields = fields.putObject("job");
        jobFields.put("job_id", job.jobId());
        jobFields.put("chain_id", chain.deployment().chainId());
        jobFields.put("tee_pool", chain.deployment().address(org.datacoop.chain.Deployment.TEE_POOL).value());
        if (job.request().nonce() == null) {
            jobFields.putNull("nonce");
        } else {
            jobFields.put("nonce", job.request().nonce());
        }

        Evidence evidence = enclave.evidence(sha256(Attestation.canonical(fields).getBytes(StandardCharsets.UTF_8)));
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
        proof.put("image_url", dao.programUrl().startsWith("data:") ? "data:(inline definition)" : dao.programUrl());
        proof.put("program_digest", dao.programDigest());
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
        short_.put("reason", results.metadata().path("reason").asText(""));
        return short_.toString();
    }

    private static String reasonOf(CryptoException e) {
        return switch (e.reason()) {
            case WRONG_PASSWORD, WRONG_KEY_OR_TAMPERED -> WRONG_KEY;
            case NOT_OPENPGP, NOT_PASSWORD_ENCRYPTED -> "the file is not OpenPGP data encrypted with a password";
            case TAMPERED -> "the file fails its OpenPGP integrity check (corrupted, or tampered with before upload)";
            case NO_INTEGRITY_PROTECTION -> "the file uses the old OpenPGP format without integrity protection; it is refused";
            default -> "the file cannot be decrypted: " + e.getMessage();
        };
    }

    private static boolean isZip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] magic = in.readNBytes(4);
            return magic.length == 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4;
        }
    }

    private static byte[] parseHex(String hex, String what) {
        try {
            return HexFormat.of().parseHex(hex.startsWith("0x") ? hex.substring(2) : hex);
        } catch (IllegalArgumentException e) {
            throw new JobFailure(what + " is not hex");
        }
    }

    private static String sha256Hex(Path file) throws IOException {
        try (DigestInputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(in.getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("the validator is stopping; the job resumes on its next start");
        }
    }
}
