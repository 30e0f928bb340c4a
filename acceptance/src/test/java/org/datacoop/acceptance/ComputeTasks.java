package org.datacoop.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.datacoop.chain.ComputeChain;
import org.datacoop.chain.DataCoopChain;
import org.datacoop.chain.QueryChain;
import org.datacoop.chain.TaskSpec;
import org.datacoop.chain.VanaMoksha;
import org.datacoop.chain.Wallet;
import org.datacoop.compute.builtin.Builtin;
import org.datacoop.protocol.Address;
import org.datacoop.protocol.query.Refiner;
import org.datacoop.sdk.compute.ComputeClient;
import org.datacoop.sdk.contribute.Contribution;
import org.datacoop.sdk.contribute.Contributor;
import org.datacoop.sdk.contribute.Progress;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

/**
 * Compute tasks submitted through the chain alone, as a requester's client does: the spec sealed to
 * the worker's key in storage (an OP task's also to the DataDAO's refinement services), the task paying the worker's fee and the data price. Shared by the
 * worker's end-to-end tests.
 */
final class ComputeTasks {
    static final BigInteger FEE = BigInteger.TEN.pow(14);
    static final String NO_MODEL = Numeric.toHexString(new byte[32]);
    static final Duration WAIT = Duration.ofSeconds(90);
    /** A logistic regression over the sample DataDAO's steps: does a day's distance tell 8,000 steps or more? */
    static final String TRAINING_SQL = "SELECT distance_km, steps FROM daily_steps";
    static final String TRAINING_PARAMS = "{\"features\": [\"distance_km\"], \"label\": {\"column\": \"steps\","
            + " \"above\": 8000}, \"epochs\": 5, \"seed\": 7}";

    private ComputeTasks() {}

    /** What a test's task reads and runs. */
    record Task(long dlpId, List<Long> refinerIds, List<Long> permissions, String algorithmDigest, TaskSpec spec) {
        Task(long dlpId, long refinerId, List<Long> permissions, String algorithmDigest, TaskSpec spec) {
            this(dlpId, List.of(refinerId), permissions, algorithmDigest, spec);
        }
    }

    /** Submits {@code task} as {@code requester} for {@code worker}; {@code chainSql} is what the chain's sqlHash covers. */
    static ComputeChain.Submitted submit(Devnet net, ComputeChain compute, Wallet requester, Address worker, Task task,
            String chainSql) {
        return submit(net, compute, requester, worker, task, chainSql, Instant.now().plus(Duration.ofHours(1)).getEpochSecond());
    }

    /** As above, due at {@code deadline} (unix seconds). */
    static ComputeChain.Submitted submit(Devnet net, ComputeChain compute, Wallet requester, Address worker, Task task,
            String chainSql, long deadline) {
        return submit(net, compute, requester, worker, task, chainSql, deadline, ComputeChain.Mode.TEE);
    }

    /** As above, its result verified in {@code mode}. */
    static ComputeChain.Submitted submit(Devnet net, ComputeChain compute, Wallet requester, Address worker, Task task,
            String chainSql, long deadline, ComputeChain.Mode mode) {
        String sqlHash = new TaskSpec(task.dlpId(), chainSql, "", "{}", requester.publicKey(), Optional.empty()).sqlHash();
        return submitHashed(net, compute, requester, worker, task, sqlHash, deadline, mode);
    }

    /** As above, the chain keeping {@code sqlHash} whatever the spec says. */
    static ComputeChain.Submitted submitHashed(Devnet net, ComputeChain compute, Wallet requester, Address worker, Task task,
            String sqlHash, long deadline, ComputeChain.Mode mode) {
        DataCoopChain chain = new DataCoopChain(net.admin, net.deployment);
        String sealed = task.spec().sealTo(ComputeClient.specReaders(chain, new QueryChain(net.admin, net.deployment),
                chain.findValidator(worker).orElseThrow(), List.of(task.dlpId()), mode));
        String specUrl = net.storage.urlOf(net.storage.put(new ByteArrayInputStream(sealed.getBytes(StandardCharsets.US_ASCII))));
        BigInteger price = compute.quote(requester.address(), Address.ZERO, task.permissions());
        return compute.submitTask(new ComputeChain.TaskRequest(sqlHash, task.refinerIds(), task.permissions(),
                task.algorithmDigest(), NO_MODEL, task.spec().paramsHash(), worker, Address.ZERO, FEE, price, deadline,
                specUrl, mode), FEE.add(price));
    }

    /** A builder with a permission, at {@code price}, on each column of the sample DataDAO's refined files. */
    record Builder(Wallet wallet, Refiner refiner, List<Long> permissions) {}

    /**
     * What the worker's tests start from: two contributors' files refined in the sample DataDAO, a
     * funded builder holding permissions on their distance_km and steps, and logistic regression allowed.
     */
    static Builder trainingBuilder(Devnet net, Path dir, BigInteger price) throws Exception {
        QueryChain adminQueries = new QueryChain(net.admin, net.deployment);
        Refiner refiner = adminQueries.refinersOf(net.deployment.sampleDlpId()).get(0);
        contribute(net, dir, net.fundedWallet(), 30, 0);
        contribute(net, dir, net.fundedWallet(), 20, 1);
        awaitRefined(adminQueries, refiner.id(), 2);
        Wallet builder = net.fundedWallet();
        List<Long> permissions = List.of(
                adminQueries.addPermission(builder.address(), refiner.id(), "daily_steps", "distance_km", price, Address.ZERO).id(),
                adminQueries.addPermission(builder.address(), refiner.id(), "daily_steps", "steps", price, Address.ZERO).id());
        new ComputeChain(net.admin, net.deployment).allowAlgorithm(net.deployment.sampleDlpId(),
                Builtin.LOGISTIC_REGRESSION.digest().toString());
        return new Builder(builder, refiner, permissions);
    }

    /** The task's record once it is no longer waiting for its proof. */
    static ComputeChain.Record await(ComputeChain compute, String taskId) throws InterruptedException {
        return await(compute, taskId, ComputeChain.Status.SUBMITTED);
    }

    /** The task's record once it is no longer {@code waiting}: an OP task's once {@code PROPOSED} is finalized. */
    static ComputeChain.Record await(ComputeChain compute, String taskId, ComputeChain.Status waiting) throws InterruptedException {
        Instant deadline = Instant.now().plus(WAIT);
        ComputeChain.Record record = compute.record(taskId);
        while (record.status() == waiting) {
            assertThat(Instant.now()).as("task " + taskId + " ended in time").isBefore(deadline);
            Thread.sleep(200);
            record = compute.record(taskId);
        }
        return record;
    }

    /** Mines {@code blocks} empty blocks (anvil's {@code anvil_mine}): OP windows and dispute deadlines pass. */
    static void mine(Devnet net, long blocks) throws IOException {
        Response<?> response = new Request<>("anvil_mine", List.of("0x" + Long.toHexString(Math.max(1, blocks))),
                new HttpService(net.anvil.rpcUrl()), VanaMoksha.Text.class).send();
        assertThat(response.hasError()).as(() -> "anvil_mine: " + response.getError().getMessage()).isFalse();
    }

    /** Waits until refiner {@code refinerId} has refined {@code files} files. */
    static void awaitRefined(QueryChain queries, long refinerId, int files) throws InterruptedException {
        Instant deadline = Instant.now().plus(WAIT);
        while (queries.refinedFilesCount(refinerId) < files) {
            assertThat(Instant.now()).as(files + " files of refiner " + refinerId + " refined in time").isBefore(deadline);
            Thread.sleep(100);
        }
    }

    /** Contributes a fitness export of {@code days} days to the sample DataDAO and waits for its reward. */
    static void contribute(Devnet net, Path dir, Wallet owner, int days, int variant) throws Exception {
        contribute(net, dir, net.deployment.sampleDlpId(), owner, days, variant);
    }

    /** Contributes a fitness export of {@code days} days to DataDAO {@code dlpId} and waits for its reward. */
    static void contribute(Devnet net, Path dir, long dlpId, Wallet owner, int days, int variant) throws Exception {
        Path file = Files.writeString(dir.resolve(owner.address().value() + "-" + dlpId + ".json"), walks(owner, days, variant));
        try (Contributor contributor = Contributor.connect(net.deployment, owner, dir.resolve("tmp"))) {
            Contribution contribution = contributor.contribute(file, dlpId, Wallet.DEFAULT_SEED, Progress.SILENT);
            assertThat(contributor.awaitReward(contribution.jobId(), WAIT, Progress.SILENT).rewarded()).isTrue();
        }
    }

    /** A fitness export whose days walk further and further: steps follow the distance, about 1,300 a km. */
    static String walks(Wallet owner, int days, int variant) {
        StringBuilder json = new StringBuilder("{\"owner\": \"" + owner.address() + "\", \"variant\": " + variant
                + ", \"days\": [");
        for (int day = 0; day < days; day++) {
            long metres = 2000 + 300L * day + 170L * variant;
            json.append(day == 0 ? "" : ", ").append("{\"date\": \"2026-10-").append(String.format("%02d", day + 1))
                    .append("\", \"steps\": ").append(metres * 13 / 10 + (day * 37) % 400).append(", \"distance_m\": ")
                    .append(metres).append('}');
        }
        return json.append("]}").toString();
    }
}
