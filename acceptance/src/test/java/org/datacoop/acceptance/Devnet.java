package org.datacoop.acceptance;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.datacoop.chain.ChainConnection;
import org.datacoop.chain.DataCoopChain;
import org.datacoop.chain.Deployer;
import org.datacoop.chain.Deployment;
import org.datacoop.chain.QueryChain;
import org.datacoop.chain.VanaMoksha;
import org.datacoop.chain.Wallet;
import org.datacoop.chain.devnet.Anvil;
import org.datacoop.chain.devnet.Toolchain;
import org.datacoop.node.ValidatorService;
import org.datacoop.node.job.JobSettings;
import org.datacoop.protocol.Address;
import org.datacoop.protocol.ValidationJob;
import org.datacoop.protocol.crypto.KeyWrapping;
import org.datacoop.protocol.query.Refiner;
import org.datacoop.protocol.crypto.PasswordEncryption;
import org.datacoop.protocol.storage.BlobId;
import org.datacoop.sdk.contribute.Contribution;
import org.datacoop.sdk.contribute.Contributor;
import org.datacoop.sdk.contribute.Progress;
import org.datacoop.sdk.query.QueryClient;
import org.datacoop.storage.HttpBlobStore;
import org.datacoop.storage.LocalBlobStore;
import org.datacoop.storage.StorageGateway;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;
import org.datacoop.sdk.contribute.Contribution;
import org.datacoop.sdk.contribute.Contributor;
import org.datacoop.sdk.contribute.Progress;

/**
 * A whole local network for an end-to-end test: anvil with DataCoop's contracts, a storage gateway
 * and one validator, with what tests do to it (fund a wallet, create a DataDAO with a program,
 * contribute a file, wait for its job). New suites use this rather than a copy of their own.
 */
final class Devnet implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(90);

    final Anvil anvil;
    final ChainConnection admin;
    final StorageGateway gateway;
    final HttpBlobStore storage;
    final Deployment deployment;
    final DataCoopChain chain;
    /** Null when started {@link #startWithoutValidator without one}. */
    final ValidatorService validator;
    final Path nodeDir;
    /** The validator's JSON-RPC calls, when the network was started counting them. */
    final Optional<RpcCounter> validatorCalls;

    private Devnet(Anvil anvil, ChainConnection admin, StorageGateway gateway, Deployment deployment, ValidatorService validator,
            Path nodeDir, Optional<RpcCounter> validatorCalls) {
        this.anvil = anvil;
        this.admin = admin;
        this.gateway = gateway;
        this.storage = new HttpBlobStore(gateway.baseUrl());
        this.deployment = deployment;
        this.chain = new DataCoopChain(admin, deployment);
        this.validator = validator;
        this.nodeDir = nodeDir;
        this.validatorCalls = validatorCalls;
    }

    /** Starts the network in {@code dir}, the validator with {@code settings} changed as given. */
    static Devnet start(Path dir, UnaryOperator<JobSettings> settings) {
        return start(dir, settings, false, false, Optional.empty());
    }

    /**
     * Starts the network with its storage gateway admitting the web app at {@code webOrigin}, as
     * {@code coop up}'s does: the page then reads what the validator stores there (leaves documents).
     */
    static Devnet startForWebApp(Path dir, String webOrigin) {
        return start(dir, settings -> settings, false, false, Optional.of(webOrigin));
    }

    /** Starts the network with the validator's JSON-RPC calls going through a {@link RpcCounter}. */
    static Devnet startCountingValidatorCalls(Path dir) {
        return start(dir, settings -> settings, false, true, Optional.empty());
    }

    /** Starts the network as a stand-in for Vana's Moksha testnet ({@link VanaMoksha}), as {@code coop up --vana-moksha}. */
    static Devnet startVanaMoksha(Path dir) {
        return start(dir, settings -> settings, true, false, Optional.empty());
    }

    /**
     * Starts the network without a validator, its deployment written to {@code dir} as
     * {@code coop up --no-validator} does, for a {@code coop node run --data-dir dir} started as its own process.
     */
    static Devnet startWithoutValidator(Path dir) {
        return start(dir, null, false, false, Optional.empty());
    }

    /** With {@code settings} null, no validator. */
    private static Devnet start(Path dir, UnaryOperator<JobSettings> settings, boolean vanaMoksha, boolean countCalls,
            Optional<String> webOrigin) {
        Anvil anvil = null;
        ChainConnection admin = null;
        StorageGateway gateway = null;
        RpcCounter counter = null;
        try {
            anvil = Anvil.start(Toolchain.discover(), 0, vanaMoksha ? VanaMoksha.CHAIN_ID : Anvil.CHAIN_ID, Optional.empty(),
                    Optional.empty());
            admin = ChainConnection.open(anvil.rpcUrl(), Anvil.DEV_ACCOUNT_KEY);
            gateway = StorageGateway.start(new LocalBlobStore(dir.resolve("blobs"), 1L << 30), "127.0.0.1", 0, webOrigin);
            ChainConnection deployer = admin;
            UnaryOperator<Map<String, String>> placement = vanaMoksha
                    ? core -> VanaMoksha.relocate(deployer.rpcUrl(), deployer.chainId(), core)
                    : UnaryOperator.identity();
            Deployment deployed = new Deployer(admin, step -> {}).deploy(Deployer.Settings.DEFAULT, true, placement)
                    .withService(Deployment.STORAGE_URL, gateway.baseUrl());
            // The validator admits the page's queries by the web app's origin, as under `coop up`.
            Deployment deployment = webOrigin.map(origin -> deployed.withService(Deployment.WEB_URL, origin)).orElse(deployed);
            Path nodeDir = dir.resolve("node");
            if (settings == null) {
                deployment.writeTo(dir);
                return new Devnet(anvil, admin, gateway, deployment, null, nodeDir, Optional.empty());
            }
            counter = countCalls ? new RpcCounter(anvil.rpcUrl()) : null;
            ValidatorService validator = ValidatorService.start(
                    counter == null ? deployment : deployment.withRpcUrl(counter.url()), nodeDir,
                    settings.apply(JobSettings.DEFAULT), "127.0.0.1", 0, Optional.of(Anvil.DEV_ACCOUNT_KEY));
            return new Devnet(anvil, admin, gateway, deployment, validator, nodeDir, Optional.ofNullable(counter));
        } catch (RuntimeException e) {
            closeAll(counter, gateway, admin, anvil);
            throw e;
        }
    }

    Wallet fundedWallet() {
        Wallet wallet = Wallet.create();
        admin.sendEther(wallet.address(), BigDecimal.ONE);
        return wallet;
    }

    /** A DataDAO whose program is {@code program}, stored here and pinned by its digest. */
    long dataDaoWithProgram(byte[] program) {
        BlobId stored = storage.put(new ByteArrayInputStream(program));
        return chain.createDataDao("Program " + stored.sha256().substring(0, 6), "Program Token", "PRG",
                BigInteger.TEN.pow(24), BigInteger.TEN.pow(20), stored.bytes(), storage.urlOf(stored)).id();
    }

    long dataDaoWithScript(String script) {
        return dataDaoWithProgram(script.getBytes(StandardCharsets.UTF_8));
    }

    /** A new wallet's file with {@code content}, registered, its validation paid and its key shared on-chain. */
    long contribute(long dlpId, byte[] content) {
        Wallet owner = fundedWallet();
        try (ChainConnection connection = ChainConnection.open(anvil.rpcUrl(), owner)) {
            DataCoopChain ownerChain = new DataCoopChain(connection, deployment);
            BlobId stored = storeEncrypted(content);
            long fileId = ownerChain.addFile(storage.urlOf(stored), stored.bytes()).fileId();
            long jobId = ownerChain.requestContributionProof(fileId, dlpId, chain.teeFee()).jobId();
            shareKey(ownerChain, fileId, validator.address());
            return jobId;
        }
    }

    /**
     * {@code owner}'s fitness export of {@code days} days ({@link ValidatorNodeTest#stepsExport}), written to
     * {@code dir} and contributed to the sample DataDAO with the SDK as {@code coop contribute --wait} does;
     * returns once it is rewarded, failing if it is not.
     */
    void contributeSteps(Wallet owner, int days, int variant, Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve(owner.address().value() + ".json"),
                ValidatorNodeTest.stepsExport(owner.address(), days, variant));
        try (Contributor contributor = Contributor.connect(deployment, owner, dir.resolve("tmp"))) {
            Contribution contribution =
                    contributor.contribute(file, deployment.sampleDlpId(), Wallet.DEFAULT_SEED, Progress.SILENT);
            if (!contributor.awaitReward(contribution.jobId(), WAIT, Progress.SILENT).rewarded()) {
                throw new AssertionError(owner.address() + "'s contribution was not rewarded in " + WAIT);
            }
        }
    }

    /** Returns once refiner {@code refinerId} has refined {@code count} files, failing after {@link #WAIT}. */
    void awaitRefined(long refinerId, long count) {
        QueryChain queries = new QueryChain(admin, deployment);
        Instant deadline = Instant.now().plus(WAIT);
        while (queries.refinedFilesCount(refinerId) < count) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("refiner " + refinerId + " did not refine " + count + " files in " + WAIT);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** A file with {@code content} registered by {@code ownerChain}'s account, its key shared with {@code validator}; no job yet. */
    long registerShared(DataCoopChain ownerChain, byte[] content, Address validator) {
        BlobId stored = storeEncrypted(content);
        long fileId = ownerChain.addFile(storage.urlOf(stored), stored.bytes()).fileId();
        shareKey(ownerChain, fileId, validator);
        return fileId;
    }

    private BlobId storeEncrypted(byte[] content) {
        var encrypted = new java.io.ByteArrayOutputStream();
        new PasswordEncryption().encrypt(new ByteArrayInputStream(content), encrypted, "pw".toCharArray(), "data");
        return storage.put(new ByteArrayInputStream(encrypted.toByteArray()));
    }

    private void shareKey(DataCoopChain ownerChain, long fileId, Address validator) {
        byte[] wrapped = HexFormat.of().parseHex(new KeyWrapping().wrapEcies("pw".getBytes(StandardCharsets.UTF_8),
                chain.validator(validator).secp256k1PublicKey()));
        ownerChain.grantPermission(fileId, validator, wrapped);
    }

    /**
     * {@code wallet}'s steps export ({@link ValidatorNodeTest#stepsExport}, {@code days} days of
     * {@code variant}) contributed to the sample DataDAO through the SDK, written and encrypted in
     * {@code dir}, and rewarded; returns its file id.
     */
    long contributeSteps(Wallet wallet, Path dir, int days, int variant) {
        try (Contributor client = Contributor.connect(deployment, wallet, dir.resolve("tmp"))) {
            Path file = Files.writeString(dir.resolve(wallet.address().value() + ".json"),
                    ValidatorNodeTest.stepsExport(wallet.address(), days, variant));
            Contribution contribution = client.contribute(file, deployment.sampleDlpId(), Wallet.DEFAULT_SEED, Progress.SILENT);
            if (!client.awaitReward(contribution.jobId(), WAIT, Progress.SILENT).rewarded()) {
                throw new AssertionError("file " + contribution.fileId() + " was not rewarded within " + WAIT);
            }
            return contribution.fileId();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The sample DataDAO's first refiner and the two files {@link #refinedSteps} contributed to it. */
    record SampleData(Refiner refiner, long firstFile, long secondFile) {}

    /**
     * {@code first}'s 30 days and a new wallet's 20 days of steps ({@link #contributeSteps(Wallet, Path, int, int)}),
     * rewarded and refined by the sample DataDAO's first refiner: two contributors, the least a released aggregate covers.
     */
    SampleData refinedSteps(Path dir, Wallet first) {
        Refiner refiner = new QueryChain(admin, deployment).refinersOf(deployment.sampleDlpId()).get(0);
        long firstFile = contributeSteps(first, dir, 30, 0);
        long secondFile = contributeSteps(fundedWallet(), dir, 20, 1);
        awaitRefined(refiner.id(), 2);
        return new SampleData(refiner, firstFile, secondFile);
    }

    /** The hash bound for {@code fileId}: the binding follows the proof, so it may land a moment after the reward. */
    String awaitBound(long fileId) throws InterruptedException {
        Instant deadline = Instant.now().plus(WAIT);
        Optional<String> hash = chain.ownership().hashOfFile(fileId);
        while (hash.isEmpty() && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
            hash = chain.ownership().hashOfFile(fileId);
        }
        return hash.orElseThrow(() -> new AssertionError("file " + fileId + " was not bound within " + WAIT));
    }

    /** Waits until refiner {@code refinerId} has refined {@code count} files; fails after {@link #WAIT}. */
    void awaitRefined(long refinerId, int count) {
        QueryChain queries = new QueryChain(admin, deployment);
        Instant deadline = Instant.now().plus(WAIT);
        while (queries.refinedFilesCount(refinerId) < count) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("refiner " + refinerId + " did not refine " + count + " files within " + WAIT);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /**
     * A new wallet, granted {@code table.column} on refiner {@code refinerId} for {@code price} wei by
     * the sample DataDAO's owner, deposits the price and pays for {@code sql} on the sample DataDAO.
     */
    void paidQuery(long refinerId, String table, String column, BigInteger price, String sql) {
        Wallet payer = fundedWallet();
        new QueryChain(admin, deployment).addPermission(payer.address(), refinerId, table, column, price, Address.ZERO);
        try (ChainConnection connection = ChainConnection.open(anvil.rpcUrl(), payer)) {
            QueryChain queries = new QueryChain(connection, deployment);
            queries.deposit(Address.ZERO, price);
            new QueryClient(new DataCoopChain(connection, deployment), queries, payer).query(sql, deployment.sampleDlpId(),
                    Optional.empty());
        }
    }

    /** What transaction {@code hash} cost its sender in gas, so a test can account for a wallet's balance exactly. */
    BigInteger feeOf(String hash) throws IOException {
        Web3j web3j = Web3j.build(new HttpService(anvil.rpcUrl()));
        try {
            TransactionReceipt receipt = web3j.ethGetTransactionReceipt(hash).send().getTransactionReceipt().orElseThrow();
            return receipt.getGasUsed().multiply(new BigInteger(receipt.getEffectiveGasPrice().substring(2), 16));
        } finally {
            web3j.shutdown();
        }
    }

    /** The job once it has ended on-chain, or as it is after {@link #WAIT}. */
    ValidationJob awaitEnd(long jobId) {
        Instant deadline = Instant.now().plus(WAIT);
        ValidationJob job = chain.job(jobId);
        while (job.status() == ValidationJob.Status.SUBMITTED && Instant.now().isBefore(deadline)) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            job = chain.job(jobId);
        }
        return job;
    }

    @Override
    public void close() {
        closeAll(validator, validatorCalls.orElse(null), gateway, admin, anvil);
    }

    /** Each on its own: a setup that failed half way must still stop what it started. */
    private static void closeAll(AutoCloseable... started) {
        for (AutoCloseable closeable : started) {
            if (closeable != null) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    e.printStackTrace();
                }
            }
        }
    }
}
