package org.datacoop.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.datacoop.acceptance.CoopProcess.coopLogging;
import static org.datacoop.acceptance.CoopProcess.readPrintedLines;
import static org.datacoop.acceptance.CoopProcess.stop;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.datacoop.chain.ChainConnection;
import org.datacoop.chain.ComputeChain;
import org.datacoop.chain.QueryChain;
import org.datacoop.chain.TaskSpec;
import org.datacoop.chain.Wallet;
import org.datacoop.compute.ResultBundle;
import org.datacoop.protocol.Address;
import org.datacoop.protocol.Sha256;
import org.datacoop.protocol.query.Refiner;
import org.datacoop.storage.HttpBlobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A validator ({@code coop node run}, its own process) killed with SIGKILL while its compute worker
 * runs a task's program in the sandbox, then restarted on the same data dir: the task is taken up
 * again from the worker's journal, proved once, and its output is the program's.
 */
class ComputeWorkerKillTest {
    /** Slow enough that the kill falls while it runs; then counts the rows it was given. */
    private static final String PROGRAM = "#!/bin/sh\nsleep 4\nwc -l < \"$INPUT_DIR/rows.csv\" > \"$OUTPUT_DIR/lines.txt\"\n";
    private static final BigInteger PRICE = BigInteger.TEN.pow(15);

    @TempDir
    Path dataDir;

    @Test
    void aTaskCutByKillNineIsProvedOnceAfterTheRestart() throws Exception {
        try (Devnet net = Devnet.startWithoutValidator(dataDir)) {
            Process node = nodeRun().start();
            Address worker;
            String taskId;
            Wallet builder = net.fundedWallet();
            try {
                worker = Address.of(readPrintedLines(node, "validator-url").get("validator"));
                QueryChain admin = new QueryChain(net.admin, net.deployment);
                Refiner refiner = admin.refinersOf(net.deployment.sampleDlpId()).get(0);
                ComputeTasks.contribute(net, dataDir, net.fundedWallet(), 10, 0);
                ComputeTasks.contribute(net, dataDir, net.fundedWallet(), 12, 1);
                ComputeTasks.awaitRefined(admin, refiner.id(), 2);
                List<Long> permissions = List.of(admin.addPermission(builder.address(), refiner.id(), "daily_steps", "steps",
                        PRICE, Address.ZERO).id());
                byte[] program = PROGRAM.getBytes(StandardCharsets.UTF_8);
                String digest = "0x" + HexFormat.of().formatHex(Sha256.of(program));
                String programUrl = net.storage.urlOf(net.storage.put(new ByteArrayInputStream(program)));
                new ComputeChain(net.admin, net.deployment).allowAlgorithm(net.deployment.sampleDlpId(), digest);
                String sql = "SELECT steps FROM daily_steps";
                TaskSpec spec = new TaskSpec(net.deployment.sampleDlpId(), sql, digest, "{}", builder.publicKey(),
                        Optional.empty(), Optional.of(programUrl));
                try (ChainConnection connection = ChainConnection.open(net.anvil.rpcUrl(), builder)) {
                    taskId = ComputeTasks.submit(net, new ComputeChain(connection, net.deployment), builder, worker,
                            new ComputeTasks.Task(net.deployment.sampleDlpId(), refiner.id(), permissions, digest, spec), sql)
                            .taskId();
                }
                NodeScratch scratch = NodeScratch.of(dataDir);
                awaitRunning(scratch, taskId);
                node.destroyForcibly(); // SIGKILL: no shutdown hook, no cleanup
                assertThat(node.waitFor()).isEqualTo(137);
            } finally {
                node.destroyForcibly();
            }
            try (ChainConnection connection = ChainConnection.open(net.anvil.rpcUrl(), builder)) {
                ComputeChain compute = new ComputeChain(connection, net.deployment);
                assertThat(compute.record(taskId).status()).as("not proved before the kill")
                        .isEqualTo(ComputeChain.Status.SUBMITTED);
                Process restarted = nodeRun().start();
                try {
                    readPrintedLines(restarted, "validator-url");
                    ComputeChain.Record record = ComputeTasks.await(compute, taskId);
                    assertThat(record.status()).as(record.failureReason()).isEqualTo(ComputeChain.Status.VERIFIED);
                    byte[] bundle = builder.unwrapEcies(new String(HttpBlobStore.fetchBytes(record.outputUrl()),
                            StandardCharsets.US_ASCII));
                    Path out = dataDir.resolve("out");
                    ResultBundle.unpack(bundle, out, 1 << 20);
                    assertThat(Files.readString(out.resolve("lines.txt")).strip()).as("a header and 22 rows").isEqualTo("23");
                    assertThat(journalState(taskId)).isEqualTo("PROVED");
                } finally {
                    stop(restarted);
                }
            }
        }
    }

    /** Waits until the worker has journaled the task and its program runs in the sandbox. */
    private void awaitRunning(NodeScratch scratch, String taskId) throws Exception {
        long deadline = System.nanoTime() + ComputeTasks.WAIT.toNanos();
        while (journalState(taskId) == null || scratch.programsRunning() == 0) {
            assertThat(System.nanoTime()).as("the task's program running in time").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private String journalState(String taskId) throws Exception {
        Path tasks = dataDir.resolve("node").resolve("tasks");
        if (!Files.isDirectory(tasks)) {
            return null;
        }
        try (Stream<Path> deployments = Files.list(tasks)) {
            for (Path deployment : deployments.toList()) {
                Path entry = deployment.resolve(taskId + ".json");
                if (Files.exists(entry)) {
                    return new ObjectMapper().readTree(entry.toFile()).path("state").asText();
                }
            }
        }
        return null;
    }

    private ProcessBuilder nodeRun() throws IOException {
        ProcessBuilder run = coopLogging("node", "run", "--data-dir", dataDir.toString());
        run.environment().put("JAVA_TOOL_OPTIONS", "-Dorg.slf4j.simpleLogger.log.org.datacoop.worker=info");
        return run;
    }
}
