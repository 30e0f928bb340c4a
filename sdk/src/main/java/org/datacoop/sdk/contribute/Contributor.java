package org.datacoop.sdk.contribute;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.datacoop.chain.ChainConnection;
import org.datacoop.chain.ChainException;
import org.datacoop.chain.DataCoopChain;
import org.datacoop.chain.Deployment;
import org.datacoop.chain.Wallet;
import org.datacoop.protocol.Address;
import org.datacoop.protocol.ContributedFile;
import org.datacoop.protocol.DataDao;
import org.datacoop.protocol.FileProof;
import org.datacoop.protocol.IoFailures;
import org.datacoop.protocol.ProofRequest;
import org.datacoop.protocol.Sha256;
import org.datacoop.protocol.ValidationJob;
import org.datacoop.protocol.Validator;
import org.datacoop.protocol.crypto.KeyWrapping;
import org.datacoop.protocol.crypto.PasswordEncryption;
import org.datacoop.protocol.storage.BlobId;
import org.datacoop.storage.HttpBlobStore;

/**
 * The contributor's side of DataCoop: encrypt with the wallet-derived password, upload, register,
 * pay for a validation job and share the password with the assigned validator only, wrapped to
 * its key on-chain, so the validator needs no call from the client.
 *
 * <p>Contributing is idempotent: the same wallet and content always encrypt to the same bytes
 * (the OpenPGP randomness is derived from the password and the content), hence the same url, so a
 * file registered before is found and reported, and a job or permission missing after an
 * interrupted run is completed rather than duplicated. Everything that can be refused is checked
 * before the first transaction: nothing is registered or paid for a contribution that fails them.
 */
public final class Contributor implements AutoCloseable {
    private static final int BUFFER = 1 << 16;
    private static final Date FIXED_DATE = new Date(0);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration STILL_WAITING_EVERY = Duration.ofSeconds(15);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private final ChainConnection connection;
    private final DataCoopChain chain;
    private final HttpBlobStore storage;
    private final Wallet wallet;
    private final Path scratch;

    private Contributor(ChainConnection connection, DataCoopChain chain, HttpBlobStore storage, Wallet wallet, Path scratch) {
        this.connection = connection;
        this.chain = chain;
        this.storage = storage;
        this.wallet = wallet;
        this.scratch = scratch;
    }

    /** A contributor acting as {@code wallet} on the network {@code deployment} describes. */
    public static Contributor connect(Deployment deployment, Wallet wallet, Path scratch) {
        ChainConnection connection = ChainConnection.open(deployment.rpcUrl(), wallet);
        try {
            return new Contributor(connection, new DataCoopChain(connection, deployment),
                    new HttpBlobStore(deployment.service(Deployment.STORAGE_URL)), wallet, scratch);
        } catch (RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    public Address address() {
        return wallet.address();
    }

    /** Contributes {@code file} to DataDAO {@code dlpId}, its password derived from {@code seed}. */
    public Contribution contribute(Path file, long dlpId, String seed, Progress progress) {
        return contribute(file, dlpId, seed, ProgramVariables.NONE, progress);
    }

    /**
     * Contributes {@code file} and gives the DataDAO's program {@code variables}: after paying, a
     * {@code /RunProof} signed by the wallet takes them to the assigned validator (secrets wrapped
     * to its RSA key), and only then is the key shared on-chain, so the job cannot run without them.
     * If the validator refuses them (a reserved name, for one) or cannot be reached, the key is not
     * shared and nothing runs; calling again with the same file sends them again (with a new,
     * higher nonce) and shares the key.
     */
    public Contribution contribute(Path file, long dlpId, String seed, ProgramVariables variables, Progress progress) {
        return contribute(file, dlpId, seed, variables, KeySharing.UNLESS_REVOKED, progress);
    }

    /**
     * Whether a contribution run again shares the file's key with a validator its owner took the key
     * away from ({@code DataRegistry.revokeFilePermission}): a revocation stands until the owner asks
     * for the key to be shared again, so resuming an interrupted run never undoes it.
     */
    public enum KeySharing {
        /** Share only with validators the owner never revoked it from; refuse to pay a job for a file with revoked keys. */
        UNLESS_REVOKED,
        /** Share with the job's validator even when the owner revoked the key from it before. */
        EVEN_IF_REVOKED
    }

    /**
     * As {@link #contribute(Path, long, String, ProgramVariables, Progress)}; with
     * {@link KeySharing#UNLESS_REVOKED} a key revoked from the job's validator is left unshared (the
     * result says why), and no new job is paid for a file whose key was revoked from anyone, since
     * it could not be opened.
     */
    public Contribution contribute(Path file, long dlpId, String seed, ProgramVariables variables, KeySharing sharing,
            Progress progress) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no file at " + file);
        }
        chain.requireDataDao(dlpId); // an unknown DataDAO is refused here, before anything is sent
        char[] password = wallet.encryptionPassword(seed).toCharArray();

        Optional<String> registerTx = Optional.empty();
        Optional<String> feeTx = Optional.empty();
        Optional<String> keyShareTx = Optional.empty();
        Path encrypted = encrypt(file, password, progress);
        try {
            BlobId blob = blobIdOf(encrypted);
            String url = storage.urlOf(blob);
            var known = chain.fileIdByUrl(wallet.address(), url);
            Optional<ValidationJob> live = known.isPresent() ? liveJob(known.getAsLong(), dlpId) : Optional.empty();
            BigInteger fee = chain.teeFee();
            Set<Address> revoked = known.isPresent() ? chain.revokedFrom(known.getAsLong()) : Set.of();
            boolean honourRevocations = sharing == KeySharing.UNLESS_REVOKED;
            if (live.isEmpty()) {
                if (honourRevocations && !revoked.isEmpty()) {
                    throw new ChainException("the key of file " + known.getAsLong() + " was revoked from " + join(revoked)
                            + "; nothing was paid, since a new job could not open it. Share the key again explicitly "
                            + "(coop contribute --share) to have it validated");
                }
                requireValidationCanBePaid(fee); // before the first transaction: nothing is half done
            }
            long fileId;
            if (known.isPresent()) {
                fileId = known.getAsLong();
                progress.step("file already registered as " + fileId);
            } else {
                progress.step("uploading the encrypted file");
                try (InputStream in = counting(Files.newInputStream(encrypted), Files.size(encrypted), progress)) {
                    BlobId stored = storage.put(in);
                    if (!stored.equals(blob)) {
                        throw new ChainException("the storage gateway stored " + stored + " for blob " + blob);
                    }
                }
                progress.step("registering the file");
                DataCoopChain.FileRegistration registration = chain.addFile(url, blob.bytes());
                fileId = registration.fileId();
                registerTx = Optional.of(registration.txHash());
            }

            ValidationJob job = live.orElse(null);
            if (job == null) {
                progress.step("paying for a validation job");
                DataCoopChain.JobRequest request = chain.requestContributionProof(fileId, dlpId, fee);
                feeTx = Optional.of(request.txHash());
                job = chain.job(request.jobId());
            }
            Validator validator = chain.validator(job.validator());
            OptionalLong requestNonce = OptionalLong.empty();
            if (!variables.isEmpty()) {
                if (job.status() == ValidationJob.Status.SUBMITTED) {
                    progress.step("sending the env vars and secrets, signed, to validator " + validator.address());
                    requestNonce = OptionalLong.of(sendVariables(job, fileId, seed, validator, variables));
                } else {
                    progress.step("job " + job.id() + " is already proved; the env vars and secrets were not sent");
                }
            }
            Optional<String> keyWithheld = Optional.empty();
            if (chain.filePermission(fileId, validator.address()).length == 0) {
                if (honourRevocations && revoked.contains(validator.address())) {
                    keyWithheld = Optional.of("the key was revoked from validator " + validator.address()
                            + " and is not shared again without an explicit request (coop contribute --share)");
                    progress.step(keyWithheld.get());
                } else {
                    progress.step("sharing the key with validator " + validator.address());
                    keyShareTx = Optional.of(chain.grantPermission(fileId, validator.address(), wrapTo(validator, password)));
                }
            }
            ContributedFile registered = chain.file(fileId);
            return new Contribution(fileId, job.id(), dlpId, registered.url(), registered.checksum(), wallet.address(),
                    validator.address(), known.isPresent(), registerTx, feeTx, keyShareTx, requestNonce, keyWithheld);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + encrypted + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(encrypted);
        }
    }

    /**
     * Waits until job {@code jobId} ends (validated, failed, or cancelled), then asks for the reward
     * when the proof earns one. Safe to call again: a reward paid before is reported, not asked twice.
     */
    public Outcome awaitReward(long jobId, Duration timeout, Progress progress) {
        ValidationJob job = chain.job(jobId);
        Instant deadline = Instant.now().plus(timeout);
        if (job.status() == ValidationJob.Status.SUBMITTED) {
            progress.step("waiting for validator " + job.validator() + " to prove job " + jobId);
        }
        Instant nextNote = Instant.now().plus(STILL_WAITING_EVERY);
        while (job.status() == ValidationJob.Status.SUBMITTED) {
            if (Instant.now().isAfter(nextNote)) {
                progress.step("still waiting for job " + jobId + " (coop job show " + jobId + " shows the validator's view)");
                nextNote = Instant.now().plus(STILL_WAITING_EVERY);
            }
            if (Instant.now().isAfter(deadline)) {
                throw new ChainException("job " + jobId + " is still open after " + timeout.toSeconds()
                        + " s; look again with coop job show " + jobId);
            }
            sleep();
            job = chain.job(jobId);
        }
        return reward(job, progress);
    }

    /**
     * Claims the reward of {@code fileId} from DataDAO {@code dlpId} (null: the DataDAO of its latest
     * job), waiting for that job first when it is still open.
     */
    public Outcome reward(long fileId, Long dlpId, Duration timeout, Progress progress) {
        chain.file(fileId); // an unknown file is refused by name
        ValidationJob job = chain.jobsOf(fileId).stream()
                .filter(candidate -> dlpId == null || candidate.dlpId() == dlpId)
                .reduce((first, later) -> later)
                .orElseThrow(() -> new IllegalArgumentException("file " + fileId + " has no validation job"
                        + (dlpId == null ? "" : " for DataDAO " + dlpId)));
        return awaitReward(job.id(), timeout, progress);
    }

    private Outcome reward(ValidationJob job, Progress progress) {
        DataDao dao = chain.dataDao(job.dlpId());
        if (job.status() != ValidationJob.Status.COMPLETED) {
            String why = switch (job.status()) {
                case FAILED -> "validation failed: " + job.failureReason();
                case CANCELED -> "the job was cancelled";
                default -> "the job is still open";
            };
            return new Outcome(job, Optional.empty(), BigInteger.ZERO, dao.tokenSymbol(), Optional.empty(), Optional.of(why));
        }
        FileProof proof = chain.proofsOf(job.fileId()).stream()
                .filter(candidate -> candidate.jobId() == job.id())
                .findFirst()
                .orElseThrow(() -> new ChainException("job " + job.id() + " is completed but file " + job.fileId()
                        + " has no proof from it"));
        BigInteger paid = chain.rewardPaid(job.dlpId(), job.fileId());
        if (paid.signum() > 0) {
            return new Outcome(job, Optional.of(proof), paid, dao.tokenSymbol(), Optional.empty(), Optional.empty());
        }
        BigInteger due = job.rewardFor(proof.score());
        if (due.signum() == 0) {
            return new Outcome(job, Optional.of(proof), BigInteger.ZERO, dao.tokenSymbol(), Optional.empty(),
                    Optional.of(unpaid(job, proof)));
        }
        progress.step("job " + job.id() + " is proved; asking DataDAO " + job.dlpId() + " for the reward of file " + job.fileId());
        DataCoopChain.Reward reward = chain.requestReward(job.dlpId(), job.fileId(), proof.index());
        return new Outcome(job, Optional.of(proof), reward.amount(), dao.tokenSymbol(), Optional.of(reward.txHash()),
                Optional.empty());
    }

    /** Why a proof pays nothing: a zero score (with the program's reason), a DataDAO that pays nothing, or a score too small. */
    public static String unpaid(ValidationJob job, FileProof proof) {
        if (proof.score().signum() == 0) {
            return "scored 0: " + reasonIn(proof.data().metadata());
        }
        return job.rewardPerFile().signum() == 0 ? "DataDAO " + job.dlpId() + " paid no reward per file when the job was requested"
                : "the score is too small to pay a whole token unit; the file may be validated again";
    }

    /** The program's reason in a proof's metadata, or the metadata itself. */
    private static String reasonIn(String metadata) {
        try {
            String reason = JSON.readTree(metadata).path("reason").asText("");
            return reason.isEmpty() ? metadata : reason;
        } catch (IOException e) {
            return metadata;
        }
    }

    /** {@code owner}'s balance of DataDAO {@code dlpId}'s token, in its smallest unit. */
    public BigInteger tokenBalance(long dlpId) {
        return chain.tokenBalance(chain.dataDao(dlpId).token(), wallet.address());
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChainException("interrupted while waiting for the proof", e);
        }
    }

    /** The wallet's files with their jobs, oldest first. */
    public List<FileStatus> files() {
        return files(chain, wallet.address());
    }

    /** {@code owner}'s files with their jobs, oldest first: public chain data, so any reader may list them. */
    public static List<FileStatus> files(DataCoopChain chain, Address owner) {
        return chain.filesOf(owner).stream()
                .map(file -> new FileStatus(file, chain.jobsOf(file.id())))
                .toList();
    }

    /** A new job needs an active validator to take it and a wallet that can pay its fee. */
    private void requireValidationCanBePaid(BigInteger fee) {
        if (!chain.hasActiveValidator()) {
            throw new ChainException("the TeePool has no active validator to validate the file; nothing was registered or paid");
        }
        BigInteger balance = connection.balance(wallet.address());
        if (balance.compareTo(fee) <= 0) {
            throw new ChainException("wallet " + wallet.address() + " holds " + balance + " wei, less than the validation fee of "
                    + fee + " wei plus gas (on the devnet: coop faucet " + wallet.address() + ")");
        }
    }

    /** A file and every job opened for it. */
    public record FileStatus(ContributedFile file, List<ValidationJob> jobs) {}

    private Optional<ValidationJob> liveJob(long fileId, long dlpId) {
        return chain.jobsOf(fileId).stream()
                .filter(job -> job.dlpId() == dlpId)
                .filter(job -> job.status() == ValidationJob.Status.SUBMITTED || job.status() == ValidationJob.Status.COMPLETED)
                .findFirst();
    }

    /**
     * Sends {@code variables} to the validator of {@code job} in a {@code /RunProof} the wallet
     * signs, its secrets wrapped to the validator's RSA key. The nonce is the time in milliseconds,
     * so a later call's request replaces an earlier one's. The answer must carry the nonce signed by
     * the job's validator on-chain, or the key is not shared. Returns the nonce.
     */
    private long sendVariables(ValidationJob job, long fileId, String seed, Validator validator, ProgramVariables variables) {
        if (validator.rsaPublicKey().length == 0) {
            throw new ChainException("validator " + validator.address() + " publishes no RSA key to wrap the secrets to");
        }
        if (validator.url().isBlank()) {
            throw new ChainException("validator " + validator.address() + " publishes no url to send the env vars and secrets to");
        }
        KeyWrapping wrapping = new KeyWrapping();
        var rsaKey = KeyWrapping.rsaPublicKeyFromDer(validator.rsaPublicKey());
        Map<String, String> wrapped = new HashMap<>();
        variables.secrets().forEach((name, value) -> wrapped.put(name,
                wrapping.wrapRsa(value.getBytes(StandardCharsets.UTF_8), rsaKey, KeyWrapping.Scheme.RSA_OAEP_SHA256)));
        long nonce = System.currentTimeMillis();
        long chainId = chain.deployment().chainId();
        Address teePool = chain.deployment().address(Deployment.TEE_POOL);
        ProofRequest request = new ProofRequest(job.id(), fileId, nonce, seed, null, null, variables.envVars(), wrapped);
        String url = validator.url().replaceFirst("/+$", "") + "/RunProof";
        String refusal = "; the key was not shared, so the job waits: run the contribution again to retry";
        HttpResponse<String> response;
        try {
            response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(REQUEST_TIMEOUT)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(SignedRunProof.body(request, wallet, chainId, teePool)))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new ChainException("validator " + validator.address() + " at " + url + " did not answer: " + IoFailures.describe(e)
                    + refusal, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChainException("interrupted while sending the env vars and secrets to " + url, e);
        }
        if (response.statusCode() != 200) {
            String why;
            try {
                why = JSON.readTree(response.body()).path("error").asText("no reason given");
            } catch (IOException e) {
                why = "no JSON answer";
            }
            throw new ChainException("validator " + validator.address() + " refused the env vars and secrets for job " + job.id()
                    + " (HTTP " + response.statusCode() + "): " + why + refusal);
        }
        try {
            SignedRunProof.requireSignedBy(job.validator(), response.body(), request, chainId, teePool);
        } catch (IllegalArgumentException e) {
            throw new ChainException("the answer from " + url + " to the request for job " + job.id()
                    + " is not from its validator " + job.validator() + ": " + e.getMessage() + refusal, e);
        }
        return nonce;
    }

    /** What sharing or revoking a file's key sent. */
    public record KeyChange(long fileId, Address account, String txHash) {}

    /**
     * Shares the key of the wallet's file {@code fileId} with validator {@code account}, wrapped to
     * the key it publishes now: again after a revocation, or anew after the validator rotated its
     * keys. The password is derived from {@code seed}, which must be the one the file was encrypted
     * with. Refused, naming why, before anything is sent: an unknown file, another owner's, or an
     * account that is no registered validator (only those publish a key to wrap to).
     */
    public KeyChange shareKey(long fileId, Address account, String seed) {
        chain.requireFileOwner(fileId, "shares its key");
        Validator validator = chain.findValidator(account).orElseThrow(() -> new ChainException(account
                + " is not a registered validator; a key is shared only wrapped to a validator's published key"));
        char[] password = wallet.encryptionPassword(seed).toCharArray();
        return new KeyChange(fileId, account, chain.grantPermission(fileId, account, wrapTo(validator, password)));
    }

    /**
     * Takes the key of the wallet's file {@code fileId} away from {@code account}: it opens the file
     * no more for new jobs, and {@link #contribute} will not share it again unless asked to. A copy
     * the account made while it held the key is beyond recall. Refused, naming why, before anything
     * is sent: an unknown file, another owner's, or an account holding no key of it.
     */
    public KeyChange revokeKey(long fileId, Address account) {
        return new KeyChange(fileId, account, chain.revokePermission(fileId, account));
    }

    private static String join(Set<Address> accounts) {
        return String.join(", ", accounts.stream().map(Address::value).toList());
    }

    /** The password wrapped to the validator's published key: ECIES when it has a secp256k1 key, else RSA-OAEP. */
    private static byte[] wrapTo(Validator validator, char[] password) {
        byte[] secret = new String(password).getBytes(StandardCharsets.UTF_8);
        KeyWrapping wrapping = new KeyWrapping();
        String hex;
        if (validator.secp256k1PublicKey().length > 0) {
            hex = wrapping.wrapEcies(secret, validator.secp256k1PublicKey());
        } else {
            hex = wrapping.wrapRsa(secret, KeyWrapping.rsaPublicKeyFromDer(validator.rsaPublicKey()),
                    KeyWrapping.Scheme.RSA_OAEP_SHA256);
        }
        return HexFormat.of().parseHex(hex);
    }

    private Path encrypt(Path file, char[] password, Progress progress) {
        try {
            Files.createDirectories(scratch);
            Path encrypted = Files.createTempFile(scratch, "contribution-", ".gpg");
            long size = Files.size(file);
            byte[] contentHash = Sha256.of(file);
            progress.step("encrypting " + file.getFileName() + " (" + size + " bytes)");
            PasswordEncryption pgp = new PasswordEncryption(derivedRandom(password, contentHash));
            try (InputStream in = counting(Files.newInputStream(file), size, progress);
                    OutputStream out = Files.newOutputStream(encrypted)) {
                pgp.encrypt(in, out, password, file.getFileName().toString(), FIXED_DATE);
            }
            return encrypted;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot encrypt " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Randomness for the salt, session key and IV derived from the password (a secret) and the
     * content: the same wallet and content encrypt to the same bytes, which reveals only that one
     * owner contributed the same content twice.
     */
    private static SecureRandom derivedRandom(char[] password, byte[] contentHash) {
        try {
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(new String(password).getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] seed = hmac.doFinal(contentHash);
            SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
            random.setSeed(seed); // seeded before first use, SHA1PRNG is deterministic
            return random;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks HMAC-SHA256 or SHA1PRNG", e);
        }
    }

    private static BlobId blobIdOf(Path file) throws IOException {
        return BlobId.of(Sha256.of(file));
    }

    private static InputStream counting(InputStream in, long total, Progress progress) {
        return new FilterInputStream(in) {
            private long done;

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = super.read(buffer, offset, length);
                if (n > 0) {
                    done += n;
                    progress.bytes(done, total);
                }
                return n;
            }
        };
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a leftover temporary file holds only ciphertext
        }
    }

    @Override
    public void close() {
        connection.close();
    }
}
