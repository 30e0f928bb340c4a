package org.datacoop.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.datacoop.acceptance.CoopProcess.coopLogging;
import static org.datacoop.acceptance.CoopProcess.readPrintedLines;
import static org.datacoop.acceptance.CoopProcess.stop;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.datacoop.chain.ChainConnection;
import org.datacoop.chain.DataCoopChain;
import org.datacoop.chain.Wallet;
import org.datacoop.node.job.JobState;
import org.datacoop.node.job.NodeJob;
import org.datacoop.protocol.Address;
import org.datacoop.protocol.ValidationJob;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A validator ({@code coop node run}, its own process) killed with SIGKILL in the middle of a burst
 * of jobs from several wallets, some proved and some not, then restarted on the same data dir:
 * every job ends proved exactly once with its data bound once, its journal agrees with the chain,
 * and nothing of the first run (a sandbox, decrypted input) is left.
 */
class NodeBurstKillTest {
    private static final int WALLETS = 6;
    private static final int FILES_PER_WALLET = 6;
    private static final int JOBS = WALLETS * FILES_PER_WALLET;
    /** Proofs on-chain before the kill: enough that the kill falls among proofs, not before them. */
    private static final int PROVED_BEFORE_KILL = 5;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;

    @Test
    void aBurstCutByKillNineEndsWithEveryJobProvedOnceAndEveryJournalAgreeingWithTheChain() throws Exception {
        try (Devnet net = Devnet.startWithoutValidator(dataDir)) {
            // A program slow enough (a few jobs a second per worker) that the burst is still in flight at the kill.
            long dlpId = net.dataDaoWithScript("#!/bin/sh\nsleep 0.3\n"
                    + "echo '{\"valid\": true, \"score\": 1}' > \"$OUTPUT_DIR/results.json\"\n");
            Process node = nodeRun().start();
            Map<Long, Long> fileOfJob = new ConcurrentHashMap<>();
            int provedAtKill;
            NodeScratch scratch;
            ExecutorService senders = Executors.newFixedThreadPool(WALLETS);
            try {
                Address validator = Address.of(readPrintedLines(node, "validator-url").get("validator"));
                // Probed once the node has: a probe's sandbox still exiting as the node starts would be a leftover to it.
                scratch = NodeScratch.of(dataDir);
                List<Future<?>> sent = new ArrayList<>();
                for (int w = 0; w < WALLETS; w++) {
                    Wallet owner = net.fundedWallet();
                    int wallet = w;
                    sent.add(senders.submit(() -> {
                        try (ChainConnection connection = ChainConnection.open(net.anvil.rpcUrl(), owner)) {
                            DataCoopChain ownerChain = new DataCoopChain(connection, net.deployment);
                            List<Long> files = new ArrayList<>();
                            for (int f = 0; f < FILES_PER_WALLET; f++) {
                                byte[] content = ("file " + f + " of wallet " + wallet).getBytes(StandardCharsets.UTF_8);
                                files.add(net.registerShared(ownerChain, content, validator));
                            }
                            for (long fileId : files) {
                                fileOfJob.put(ownerChain.requestContributionProof(fileId, dlpId, net.chain.teeFee()).jobId(), fileId);
                            }
                        }
                        return null;
                    }));
                }
                provedAtKill = awaitProofs(net, fileOfJob, PROVED_BEFORE_KILL);
                node.destroyForcibly(); // SIGKILL: no shutdown hook, no cleanup
                assertThat(node.waitFor()).isEqualTo(137);
                for (Future<?> wallet : sent) {
                    wallet.get(); // every request sent (some while the node was down)
                }
            } finally {
                node.destroyForcibly();
                senders.shutdownNow();
            }
            assertThat(fileOfJob).hasSize(JOBS);
            assertThat(provedAtKill).as("proofs on-chain when the node was killed").isBetween(PROVED_BEFORE_KILL, JOBS - 1);
            // A sandbox starting as its node died can escape --die-with-parent; the restarted node stops it.
            List<ProcessHandle> leftAtKill = scratch.sandboxes();

            Process restarted = nodeRun().start();
            try {
                readPrintedLines(restarted, "validator-url");
                assertThat(leftAtKill).as("sandboxes of the killed node once the restarted one runs").noneMatch(ProcessHandle::isAlive);
                for (var job : fileOfJob.entrySet()) {
                    ValidationJob ended = net.awaitEnd(job.getKey());
                    assertThat(ended.status()).as("job %d on-chain (%s)", job.getKey(), ended.failureReason())
                            .isEqualTo(ValidationJob.Status.COMPLETED);
                    assertThat(net.chain.proofsOf(job.getValue())).as("proofs of file %d", job.getValue()).hasSize(1);
                }
                Map<Long, NodeJob> journal = awaitJournalTerminal(fileOfJob.size());
                assertThat(journal.keySet()).as("jobs journaled").containsExactlyInAnyOrderElementsOf(fileOfJob.keySet());
                journal.values().forEach(job -> {
                    assertThat(job.state()).as("job %d in the journal", job.jobId()).isEqualTo(JobState.COMPLETED);
                    assertThat(job.fileId()).as("file of job %d", job.jobId()).isEqualTo(fileOfJob.get(job.jobId()));
                    assertThat(job.result()).as("result of job %d", job.jobId()).isNotNull();
                    assertThat(job.result().proofIndex()).as("proof of job %d", job.jobId()).isNotNull();
                    assertThat(net.chain.proofsOf(job.fileId()).get(0).index())
                            .as("job %d's proof index, journal against chain", job.jobId())
                            .isEqualTo(job.result().proofIndex());
                    // Signed after the proof and journaled before it is sent: a kill anywhere loses no binding.
                    assertThat(job.binding()).as("binding of job %d", job.jobId()).isNotNull();
                    assertThat(job.binding().recorded()).as("binding of job %d recorded", job.jobId()).isTrue();
                    assertThat(net.chain.ownership().hashOfFile(job.fileId()))
                            .as("file %d's data hash, journal against chain", job.fileId())
                            .contains(job.binding().dataHash());
                });
                assertThat(scratch.programsRunning()).as("sandboxed programs once every job ended").isZero();
                // Only the query engine's workspace (job 0) stays while the node runs, with nothing in it.
                assertThat(scratch.filesLeft()).as("decrypted input or downloads left in the scratch area").isEmpty();
                assertThat(scratch.workspaces()).allMatch(name -> name.startsWith("job-0-"));
            } finally {
                stop(restarted);
            }
        }
    }

    /** {@code coop node run} on this test's data dir, logging what it does with each job. */
    private ProcessBuilder nodeRun() throws java.io.IOException {
        ProcessBuilder run = coopLogging("node", "run", "--data-dir", dataDir.toString());
        run.environment().put("JAVA_TOOL_OPTIONS", "-Dorg.slf4j.simpleLogger.log.org.datacoop.node.job=info");
        return run;
    }

    /** How many jobs are proved on-chain once at least {@code atLeast} are (read as the senders go on). */
    private static int awaitProofs(Devnet net, Map<Long, Long> fileOfJob, int atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + Devnet.WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            int proved = 0;
            for (long jobId : List.copyOf(fileOfJob.keySet())) {
                if (net.chain.jobStatus(jobId) == ValidationJob.Status.COMPLETED) {
                    proved++;
                }
            }
            if (proved >= atLeast) {
                return proved;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("fewer than " + atLeast + " of the burst's jobs were proved within " + Devnet.WAIT);
    }

    /**
     * Every job file of the node's journal, parsed, once {@code jobs} of them are terminal (the node
     * records a job's end a little after its proof is on-chain); no half-written file is left.
     */
    private Map<Long, NodeJob> awaitJournalTerminal(int jobs) throws Exception {
        List<Path> deployments;
        try (var dirs = Files.list(dataDir.resolve("node").resolve("jobs"))) {
            deployments = dirs.toList();
        }
        assertThat(deployments).as("one journal, for the one deployment").hasSize(1);
        Path journalDir = deployments.get(0);
        long deadline = System.nanoTime() + Devnet.WAIT.toNanos();
        while (true) {
            Map<Long, NodeJob> journal = new HashMap<>();
            List<String> others = new ArrayList<>();
            try (var files = Files.list(journalDir)) {
                for (Path file : files.toList()) {
                    String name = file.getFileName().toString();
                    if (name.matches("job-\\d+\\.json")) {
                        NodeJob job = JSON.readValue(file.toFile(), NodeJob.class);
                        assertThat(name).isEqualTo("job-" + job.jobId() + ".json");
                        journal.put(job.jobId(), job);
                    } else if (!name.equals("next-block")) {
                        others.add(name);
                    }
                }
            }
            long terminal = journal.values().stream().filter(job -> job.state().isTerminal()).count();
            if ((terminal == jobs && others.isEmpty()) || System.nanoTime() > deadline) {
                assertThat(others).as("files in the journal besides jobs and the next block").isEmpty();
                return journal;
            }
            Thread.sleep(50);
        }
    }
}
