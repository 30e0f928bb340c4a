package org.datacoop.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.datacoop.chain.ChainConnection;
import org.datacoop.chain.ComputeChain;
import org.datacoop.chain.DataCoopChain;
import org.datacoop.chain.TaskReport;
import org.datacoop.chain.TaskSpec;
import org.datacoop.chain.Wallet;
import org.datacoop.compute.ResultBundle;
import org.datacoop.compute.ResultHash;
import org.datacoop.compute.builtin.Builtin;
import org.datacoop.protocol.Address;
import org.datacoop.protocol.Sha256;
import org.datacoop.protocol.query.Refiner;
import org.datacoop.storage.HttpBlobStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/**
 * The validator's compute worker on a real devnet, driven through the chain alone: a builder
 * submits a training task with its spec sealed to the worker; the worker selects the rows in its
 * enclave, trains, encrypts the output to the builder and proves it; the Verifier accepts it, the
 * output opens for the builder and hashes to the recorded result, and the report re-checks. A task
 * whose spec lies about its SQL is failed on-chain with the reason and refunded.
 */
class ComputeWorkerTest {
    private static final BigInteger PRICE = BigInteger.TEN.pow(15);
    private static final String SQL = "SELECT distance_km, steps FROM daily_steps";
    private static final String PARAMS = "{\"features\": [\"distance_km\"], \"label\": {\"column\": \"steps\", \"above\": 8000},"
            + " \"epochs\": 5, \"seed\": 7}";

    @TempDir
    static Path dir;

    private static Devnet net;
    private static Refiner refiner;
    private static Wallet builder;
    private static List<Long> permissions;

    @BeforeAll
    static void refineTwoContributorsFilesAndLetTheBuilderTrain() throws Exception {
        net = Devnet.start(dir, s -> s);
        ComputeTasks.Builder trainer = ComputeTasks.trainingBuilder(net, dir, PRICE);
        refiner = trainer.refiner();
        builder = trainer.wallet();
        permissions = trainer.permissions();
    }

    @AfterAll
    static void stopNetwork() {
        if (net != null) {
            net.close();
        }
    }

    @Test
    void aTrainingTaskIsProvedAndItsOutputOpensForTheBuilderOnly() throws Exception {
        try (ChainConnection connection = ChainConnection.open(net.anvil.rpcUrl(), builder)) {
            ComputeChain compute = new ComputeChain(connection, net.deployment);
            ComputeChain.Submitted submitted = submit(compute, SQL);

            ComputeChain.Record record = ComputeTasks.await(compute, submitted.taskId());
            assertThat(record.status()).as(record.failureReason()).isEqualTo(ComputeChain.Status.VERIFIED);
            assertThat(compute.verifyResult(submitted.taskId())).isTrue();

            byte[] sealed = HttpBlobStore.fetchBytes(record.outputUrl());
            byte[] bundle = builder.unwrapEcies(new String(sealed, StandardCharsets.US_ASCII));
            assertThat(Numeric.toHexString(Sha256.of(bundle))).isEqualTo(record.resultHash());
            Path out = dir.resolve("trained");
            ResultBundle.unpack(bundle, out, 1 << 20);
            assertThat(out.resolve("model.json")).exists();
            assertThat(Files.readString(out.resolve("metrics.json"))).contains("accuracy");
            assertThat(Numeric.toHexString(ResultHash.of(out))).isEqualTo(record.resultHash());
            Wallet stranger = Wallet.create();
            assertThatThrownBy(() -> stranger.unwrapEcies(new String(sealed, StandardCharsets.US_ASCII)))
                    .as("the output opens for the requester only").isInstanceOf(RuntimeException.class);

            ComputeChain.Proof proof = compute.proof(submitted.taskId()).orElseThrow();
            TaskReport.Decoded report = TaskReport.decode(proof.report());
            assertThat(report.resultHash()).isEqualTo(record.resultHash());
            assertThat(report.dataRoot()).isEqualTo(record.dataRoot());
            assertThat(report.roots()).singleElement().satisfies(r -> assertThat(r.totalRows()).isEqualTo(50));
            assertThat(Wallet.addressOf(Wallet.signerPublicKeyOfDigest(compute.teeResultDigest(submitted.taskId(),
                    record.resultHash(), Hash.sha3(proof.report())), proof.signature())))
                    .isEqualTo(net.validator.address());
            assertThat(compute.earnings(Address.ZERO, net.validator.address())).isGreaterThanOrEqualTo(ComputeTasks.FEE);

            ComputeChain.Record again = ComputeTasks.await(compute, submit(compute, SQL).taskId());
            assertThat(again.resultHash()).as("the same task run again: what the optimistic mode re-executes")
                    .isEqualTo(record.resultHash());
        }
    }

    @Test
    void aSpecThatLiesAboutItsSqlIsFailedOnChainWithTheReasonAndRefunded() throws Exception {
        try (ChainConnection connection = ChainConnection.open(net.anvil.rpcUrl(), builder)) {
            ComputeChain compute = new ComputeChain(connection, net.deployment);
            ComputeChain.Submitted submitted = submit(compute, "SELECT steps, distance_km FROM daily_steps WHERE steps > 0",
                    SQL);
            ComputeChain.Record record = ComputeTasks.await(compute, submitted.taskId());
            assertThat(record.status()).isEqualTo(ComputeChain.Status.FAILED);
            assertThat(record.failureReason()).contains("sqlHash");
            BigInteger before = compute.earnings(Address.ZERO, builder.address());
            compute.refund(submitted.taskId());
            assertThat(compute.earnings(Address.ZERO, builder.address()))
                    .isEqualTo(before.add(ComputeTasks.FEE).add(PRICE.multiply(BigInteger.TWO)));
        }
    }

    @Test
    void aTaskThatWouldLearnFromOneContributorAloneIsFailedWithTheReason() throws Exception {
        try (ChainConnection connection = ChainConnection.open(net.anvil.rpcUrl(), builder)) {
            ComputeChain compute = new ComputeChain(connection, net.deployment);
            // Only the first contributor walked more than 8 km a day; the sample DataDAO's minimum group is 2.
            ComputeChain.Record record = ComputeTasks.await(compute,
                    submit(compute, SQL + " WHERE distance_km > 8").taskId());
            assertThat(record.status()).isEqualTo(ComputeChain.Status.FAILED);
            assertThat(record.failureReason()).contains("come from 1 contributor(s)", "at least 2");
        }
    }

    @Test
    void aTaskNotProvedByItsDeadlineIsRefundedWholeAndCannotBeProvedLate() throws Exception {
        byte[] program = "#!/bin/sh\nsleep 4\necho late > \"$OUTPUT_DIR/late.txt\"\n".getBytes(StandardCharsets.UTF_8);
        String digest = "0x" + HexFormat.of().formatHex(Sha256.of(program));
        String programUrl = net.storage.urlOf(net.storage.put(new ByteArrayInputStream(program)));
        new ComputeChain(net.admin, net.deployment).allowAlgorithm(net.deployment.sampleDlpId(), digest);
        TaskSpec spec = new TaskSpec(net.deployment.sampleDlpId(), SQL, digest, "{}", builder.publicKey(), Optional.empty(),
                Optional.of(programUrl));
        try (ChainConnection connection = ChainConnection.open(net.anvil.rpcUrl(), builder)) {
            ComputeChain compute = new ComputeChain(connection, net.deployment);
            long deadline = new DataCoopChain(connection, net.deployment).head().seconds() + 2;
            String taskId = ComputeTasks.submit(net, compute, builder, net.validator.address(), new ComputeTasks.Task(
                    net.deployment.sampleDlpId(), refiner.id(), permissions, digest, spec), SQL, deadline).taskId();
            assertThatThrownBy(() -> compute.refund(taskId)).as("not before its deadline")
                    .hasMessageContaining("TaskCoordinatorRefundTooEarly");

            Thread.sleep(6_000); // the program's 4 s run ends past the deadline
            assertThat(compute.record(taskId).status()).as("never proved late").isEqualTo(ComputeChain.Status.SUBMITTED);
            BigInteger before = compute.earnings(Address.ZERO, builder.address());
            compute.refund(taskId);
            assertThat(compute.record(taskId).status()).isEqualTo(ComputeChain.Status.REFUNDED);
            assertThat(compute.earnings(Address.ZERO, builder.address()))
                    .isEqualTo(before.add(ComputeTasks.FEE).add(PRICE.multiply(BigInteger.TWO)));
            assertThat(compute.verifyResult(taskId)).isFalse();
        }
    }

    @Test
    void aResultKeyOtherThanTheRequestersGetsTheOutputOnlyWhenTheTaskBindsIt() throws Exception {
        Wallet resultKey = Wallet.create();
        TaskSpec spec = new TaskSpec(net.deployment.sampleDlpId(), SQL, Builtin.LOGISTIC_REGRESSION.descriptor(), PARAMS,
                resultKey.publicKey(), Optional.empty());
        ComputeTasks.Task task = new ComputeTasks.Task(net.deployment.sampleDlpId(), refiner.id(), permissions,
                Builtin.LOGISTIC_REGRESSION.digest().toString(), spec);
        long deadline = Instant.now().plus(Duration.ofHours(1)).getEpochSecond();
        try (ChainConnection connection = ChainConnection.open(net.anvil.rpcUrl(), builder)) {
            ComputeChain compute = new ComputeChain(connection, net.deployment);
            ComputeChain.Record unbound = ComputeTasks.await(compute, ComputeTasks.submitHashed(net, compute, builder,
                    net.validator.address(), task, spec.sqlHash(), deadline, ComputeChain.Mode.TEE).taskId());
            assertThat(unbound.status()).isEqualTo(ComputeChain.Status.FAILED);
            assertThat(unbound.failureReason()).contains("the output would go to someone else");

            String boundToAnother = new TaskSpec(spec.dlpId(), SQL, spec.algorithm(), PARAMS, Wallet.create().publicKey(),
                    Optional.empty()).resultKeySqlHash();
            ComputeChain.Record swapped = ComputeTasks.await(compute, ComputeTasks.submitHashed(net, compute, builder,
                    net.validator.address(), task, boundToAnother, deadline, ComputeChain.Mode.TEE).taskId());
            assertThat(swapped.status()).isEqualTo(ComputeChain.Status.FAILED);
            assertThat(swapped.failureReason()).contains("do not hash to the task's sqlHash");

            ComputeChain.Record bound = ComputeTasks.await(compute, ComputeTasks.submitHashed(net, compute, builder,
                    net.validator.address(), task, spec.resultKeySqlHash(), deadline, ComputeChain.Mode.TEE).taskId());
            assertThat(bound.status()).as(bound.failureReason()).isEqualTo(ComputeChain.Status.VERIFIED);
            String sealed = new String(HttpBlobStore.fetchBytes(bound.outputUrl()), StandardCharsets.US_ASCII);
            assertThat(Numeric.toHexString(Sha256.of(resultKey.unwrapEcies(sealed)))).isEqualTo(bound.resultHash());
            assertThatThrownBy(() -> builder.unwrapEcies(sealed)).as("encrypted to the result key, not the wallet's")
                    .isInstanceOf(RuntimeException.class);
        }
    }

    private static ComputeChain.Submitted submit(ComputeChain compute, String sql) {
        return submit(compute, sql, sql);
    }

    /** A training task whose chain record hashes {@code chainSql} while its spec carries {@code specSql}. */
    private static ComputeChain.Submitted submit(ComputeChain compute, String specSql, String chainSql) {
        TaskSpec spec = new TaskSpec(net.deployment.sampleDlpId(), specSql, Builtin.LOGISTIC_REGRESSION.descriptor(), PARAMS,
                builder.publicKey(), Optional.empty());
        return ComputeTasks.submit(net, compute, builder, net.validator.address(), new ComputeTasks.Task(
                net.deployment.sampleDlpId(), refiner.id(), permissions, Builtin.LOGISTIC_REGRESSION.digest().toString(), spec),
                chainSql);
    }
}
