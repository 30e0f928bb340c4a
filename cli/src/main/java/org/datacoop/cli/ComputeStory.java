package org.datacoop.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.datacoop.chain.ChainConnection;
import org.datacoop.chain.ComputeChain;
import org.datacoop.chain.DataCoopChain;
import org.datacoop.chain.Deployment;
import org.datacoop.chain.QueryChain;
import org.datacoop.chain.ReadsDocument;
import org.datacoop.chain.TaskReport;
import org.datacoop.chain.Wallet;
import org.datacoop.chain.devnet.Anvil;
import org.datacoop.compute.builtin.LinearModel;
import org.datacoop.protocol.Address;
import org.datacoop.sdk.compute.ComputeClient;
import org.datacoop.storage.HttpBlobStore;

/**
 * The demo's compute step: the builder of the paid query trains a logistic regression on the refined
 * table in the validator's enclave, reads the weights and accuracy, re-checks the proof, and sees the
 * contributors' share; an algorithm the DataDAO does not allow is refused before anything is charged.
 */
final class ComputeStory {
    static final String SQL = "SELECT distance_km, steps FROM daily_steps";
    static final String PARAMS = "{\"features\": [\"distance_km\"], \"label\": {\"column\": \"steps\", \"above\": 8000},"
            + " \"epochs\": 100, \"learningRate\": 1, \"seed\": 1}";
    private static final BigInteger WORKER_FEE = BigInteger.TEN.pow(15);
    private static final Duration PROOF_TIMEOUT = Duration.ofMinutes(2);

    private final Deployment deployment;
    private final PrintWriter story;
    private final Path dir;
    private final ObjectNode json = Json.object();

    ComputeStory(Deployment deployment, PrintWriter story, Path dir) {
        this.deployment = deployment;
        this.story = story;
        this.dir = dir;
    }

    /** The builder, who holds permissions on steps and distance_km, computes over the rows it may read. */
    void builderTrains(int number, Wallet builder, List<QueryStory.Contributor> contributors) {
        DemoCommand.step(story, number, "The builder trains a model on the table, in the validator's enclave, verified on-chain");
        long dlpId = deployment.sampleDlpId();
        try (ChainConnection owner = ChainConnection.open(deployment.rpcUrl(), Anvil.DEV_ACCOUNT_KEY);
                ChainConnection asBuilder = ChainConnection.open(deployment.rpcUrl(), builder)) {
            String allowed = client(owner, Wallet.fromPrivateKey(Anvil.DEV_ACCOUNT_KEY)).allowAlgorithm(dlpId, "logistic-regression");
            story.println("  the DataDAO's owner allows builtin:logistic-regression/v1 on its data in " + allowed);
            story.println("  (an algorithm is pinned by digest: one it has not checked could copy the rows into its output)");
            ComputeClient client = client(asBuilder, builder);
            ComputeChain compute = new ComputeChain(asBuilder, deployment);

            BigInteger balance = asBuilder.balance(builder.address());
            story.println("  the builder asks for builtin:linear-regression/v1, which the DataDAO does not allow:");
            try {
                client.submit(request("linear-regression", "{\"features\": [\"distance_km\"], \"label\": \"steps\"}"));
                throw new IllegalStateException("a task with a non-allowed algorithm was accepted");
            } catch (IllegalArgumentException refused) {
                story.println("  refused: " + refused.getMessage());
            }
            boolean unchanged = asBuilder.balance(builder.address()).equals(balance);
            story.println("  its balance is " + (unchanged ? "unchanged: nothing was charged, not even gas" : "CHANGED"));

            story.println("  it submits: logistic-regression over " + SQL);
            story.println("  params " + PARAMS);
            ComputeClient.Submitted task = client.submit(request("logistic-regression", PARAMS));
            story.println("  task " + task.taskId() + " paid " + Outcomes.tokens(task.paid()) + " ETH into escrow ("
                    + Outcomes.tokens(task.workerFee()) + " worker fee + " + Outcomes.tokens(task.quote().dataPrice())
                    + " for the data) in " + task.txHash());
            story.println("  its inputs are encrypted to the worker, " + task.quote().worker() + ", the DataDAO's query service");
            ComputeChain.Record record = client.waitFor(task.taskId(), PROOF_TIMEOUT, line -> {
                story.println("  " + line);
                story.flush();
            });
            if (record.status() != ComputeChain.Status.VERIFIED) {
                throw new IllegalStateException("the training task ended " + record.status() + ": " + record.failureReason());
            }
            Path output = dir.resolve("trained-model");
            client.result(task.taskId(), output);
            LinearModel model = LinearModel.read(output);
            JsonNode metrics = Json.MAPPER.readTree(output.resolve("metrics.json").toFile());
            LinearModel.Output above = model.outputs().stream().filter(o -> o.name().equals("true")).findFirst()
                    .orElse(model.outputs().get(0));
            story.println("  the output, decrypted with the builder's key and checked against the recorded result hash:");
            story.println("    model.json: P(steps > 8000) rises with distance_km, weight " + above.weights()[0] + ", bias "
                    + above.bias() + String.format(Locale.ROOT, " (even odds at %.2f km)", -above.bias() / above.weights()[0]));
            story.println("    metrics.json: accuracy " + metrics.path("accuracy").asDouble() + ", log-loss "
                    + metrics.path("logLoss").asDouble() + " over " + metrics.path("rows").asLong() + " rows");

            List<ComputeClient.Check> checks = client.verify(task.taskId());
            boolean verified = checks.stream().allMatch(ComputeClient.Check::passed);
            story.println("  `coop task verify` re-checks it from the chain and storage, trusting no one: "
                    + checks.stream().filter(ComputeClient.Check::passed).count() + " of " + checks.size() + " checks pass"
                    + (verified ? "" : " (FAILED: " + checks.stream().filter(c -> !c.passed()).map(ComputeClient.Check::name)
                            .toList() + ")"));
            boolean verifyResult = compute.verifyResult(task.taskId());
            story.println("  Verifier.verifyResult(" + task.taskId().substring(0, 10) + "...) = " + verifyResult);

            BigInteger contributorsCut = contributorsCut(owner, task);
            TaskReport.Decoded report = TaskReport.decode(compute.proof(task.taskId()).orElseThrow().report());
            ReadsDocument reads = ReadsDocument.parse(HttpBlobStore.fetchBytes(report.leavesUrl()));
            long total = reads.reads().stream().mapToLong(r -> r.totalRows()).sum();
            story.println("  the Settlement paid the worker " + Outcomes.tokens(task.workerFee()) + " ETH and split the data's "
                    + Outcomes.tokens(task.quote().dataPrice()) + " ETH as a query's; the contributors' "
                    + Outcomes.tokens(contributorsCut) + " ETH is committed under the root of the rows the task read:");
            DataCoopChain chain = new DataCoopChain(asBuilder, deployment);
            reads.reads().forEach(read -> read.rowsByFile().forEach((file, rows) -> {
                Address fileOwner = chain.file(file).owner();
                String who = contributors.stream().filter(c -> c.address().equals(fileOwner)).map(QueryStory.Contributor::who)
                        .findFirst().orElse(fileOwner.value());
                story.println("    " + who + "'s file " + file + ": " + rows + " rows read, a share of "
                        + Outcomes.tokens(contributorsCut.multiply(BigInteger.valueOf(rows)).divide(BigInteger.valueOf(total)))
                        + " ETH");
            }));
            json.put("taskId", task.taskId());
            json.put("algorithmRefused", true);
            json.put("balanceUnchangedAfterRefusal", unchanged);
            json.put("verifyResult", verifyResult);
            json.put("verified", verified);
            json.put("accuracy", metrics.path("accuracy").asDouble());
            json.put("contributorsCut", contributorsCut.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("reading the trained model", e);
        }
    }

    /** The contributors' part of the data price, as the Settlement splits each charge (ReadsLedger._split). */
    private BigInteger contributorsCut(ChainConnection connection, ComputeClient.Submitted task) {
        QueryChain.Shares shares = new QueryChain(connection, deployment).shares(deployment.sampleDlpId());
        BigInteger cut = BigInteger.ZERO;
        for (long permissionId : task.quote().permissionIds()) {
            BigInteger price = new QueryChain(connection, deployment).permission(permissionId).price();
            cut = cut.add(price.subtract(price.multiply(BigInteger.valueOf(shares.protocolBps())).divide(BigInteger.valueOf(10_000)))
                    .subtract(price.multiply(BigInteger.valueOf(shares.dataDaoBps())).divide(BigInteger.valueOf(10_000))));
        }
        return cut;
    }

    private ComputeClient.Request request(String algorithm, String params) {
        return new ComputeClient.Request(deployment.sampleDlpId(), SQL, algorithm, params, Optional.empty(), WORKER_FEE,
                Optional.empty(), Duration.ofMinutes(10), ComputeChain.Mode.TEE);
    }

    private ComputeClient client(ChainConnection connection, Wallet wallet) {
        return new ComputeClient(new DataCoopChain(connection, deployment), new QueryChain(connection, deployment),
                new ComputeChain(connection, deployment), wallet, new HttpBlobStore(deployment.service(Deployment.STORAGE_URL)),
                HttpBlobStore::fetchBytes);
    }

    ObjectNode json() {
        return json;
    }
}
