package org.datacoop.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.datacoop.chain.ChainConnection;
import org.datacoop.chain.DataCoopChain;
import org.datacoop.chain.Deployer;
import org.datacoop.chain.Deployment;
import org.datacoop.chain.Wallet;
import org.datacoop.chain.devnet.Anvil;
import org.datacoop.chain.devnet.Toolchain;
import org.datacoop.node.ValidatorService;
import org.datacoop.node.job.JobSettings;
import org.datacoop.node.job.JobState;
import org.datacoop.protocol.Address;
import org.datacoop.protocol.FileProof;
import org.datacoop.protocol.ValidationJob;
import org.datacoop.protocol.crypto.KeyWrapping;
import org.datacoop.protocol.crypto.PasswordEncryption;
import org.datacoop.protocol.storage.BlobId;
import org.datacoop.storage.HttpBlobStore;
import org.datacoop.storage.LocalBlobStore;
import org.datacoop.storage.StorageGateway;

/**
 * The validator end to end on a real devnet started in process (anvil, the storage gateway, the
 * contracts and one validator with {@link JobSettings#DEFAULT}): latency from the contributor's
 * {@code requestContributionProof} to the proof on-chain, sequential jobs, p50 and p95, at 1 KiB
 * (the built-in declarative sample program and an external program that accepts anything), 1 MiB
 * and 64 MiB (external); then validations per second for a burst of 1 KiB jobs sent from several
 * wallets at once. The peer, measured in the same run: {@code gpg -d} of the same encrypted file,
 * the decryption step alone of Vana's and LazAI's Python validators. Files are encrypted, stored,
 * registered and their keys shared with the validator before the clock starts, so the time
 * measured is the validator's work and the chain round trips, not the contributor's.
 *
 * <p>Usage: {@code ValidationBenchmark [--json]}. Progress goes to stderr.
 */
public final class ValidationBenchmark {
    private static final int KIB = 1 << 10;
    private static final int MIB = 1 << 20;
    private static final long POLL_MILLIS = 10;
    private static final long JOB_TIMEOUT_NANOS = TimeUnit.MINUTES.toNanos(5);
    private static final String ACCEPT_ANYTHING =
            "#!/bin/sh\necho '{\"valid\": true, \"score\": 1}' > \"$OUTPUT_DIR/results.json\"\n";
    private static final int WARM_UP_JOBS = 5;
    private static final int BURST_JOBS = 100;
    private static final int BURST_WALLETS = 8;
    /** What Vana publishes for its sample proof-of-contribution program alone, per validation; not measured here. */
    private static final double VANA_SAMPLE_SECONDS = 9.12;
    private static final double GOAL_P50_MS_AT_1_MIB = 1000;
    private static final double GOAL_SMALL_FILES_PER_SECOND = 50;

    private ValidationBenchmark() {}

    private enum Program {
        DECLARATIVE("declarative"),
        EXTERNAL("external");

        final String label;

        Program(String label) {
            this.label = label;
        }
    }

    /** One latency row: {@code jobs} sequential jobs of {@code sizeBytes} under {@code program}. */
    private record Case(Program program, long sizeBytes, int jobs) {
        String name() {
            return sizeLabel(sizeBytes) + " " + program.label;
        }
    }

    private record Latency(Case of, double p50Ms, double p95Ms, double gpgP50Ms) {
        double ratioToGpg() {
            return p50Ms / gpgP50Ms;
        }
    }

    /**
     * @param completed the jobs proved on-chain
     * @param terminal the jobs the validator's journal holds in a terminal state once the burst is over
     */
    private record Throughput(Program program, long sizeBytes, int jobs, int wallets, double sendSeconds, double seconds,
            int completed, int terminal) {
        /** Jobs sent that the validator's journal lacks or left open. */
        int lost() {
            return jobs - terminal;
        }

        String name() {
            return sizeLabel(sizeBytes) + " " + program.label;
        }

        double perSecond() {
            return jobs / seconds;
        }
    }

    /** A file encrypted, stored, registered on-chain and its key shared with the validator; no job yet. */
    private record Prepared(long fileId, long dlpId, Path encrypted) {}

    private static final List<Case> CASES = List.of(
            new Case(Program.DECLARATIVE, KIB, 30),
            new Case(Program.EXTERNAL, KIB, 30),
            new Case(Program.EXTERNAL, MIB, 20),
            new Case(Program.EXTERNAL, 64L * MIB, 3));

    public static void main(String[] args) throws Exception {
        boolean json = false;
        for (String arg : args) {
            if (arg.equals("--json")) {
                json = true;
            } else if (arg.equals("--help") || arg.equals("-h")) {
                System.out.println("usage: coop bench validation [--json]");
                return;
            } else {
                System.err.println("unknown argument " + arg + "; usage: coop bench validation [--json]");
                System.exit(2);
            }
        }
        Path dir = Files.createTempDirectory("coop-bench-validation");
        try {
            run(dir, json);
        } finally {
            Gpg.stopAgent(dir.resolve("gnupg"));
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void run(Path dir, boolean json) throws Exception {
        List<Latency> latencies = new ArrayList<>();
        List<Throughput> throughputs = new ArrayList<>();
        JobSettings settings = JobSettings.DEFAULT;
        try (Devnet net = Devnet.start(dir, settings)) {
            Map<Program, Long> dataDaos = Map.of(
                    Program.DECLARATIVE, net.deployment.sampleDlpId(),
                    Program.EXTERNAL, net.dataDaoWithProgram(ACCEPT_ANYTHING));
            Gpg gpg = new Gpg(Files.createDirectories(dir.resolve("gnupg")));
            try (Contributor alice = net.contributor(BigDecimal.TEN)) {
                progress("warming up: %d jobs of 1 KiB per program ...", WARM_UP_JOBS);
                for (Program program : Program.values()) {
                    List<Prepared> files = prepare(net, alice, dataDaos.get(program), program, KIB, WARM_UP_JOBS, dir);
                    latenciesOf(net, alice, files);
                    deleteEncrypted(files);
                }
                for (Case c : CASES) {
                    progress("preparing %d files of %s for the %s program ...", c.jobs(), sizeLabel(c.sizeBytes()), c.program().label);
                    List<Prepared> files = prepare(net, alice, dataDaos.get(c.program()), c.program(), c.sizeBytes(), c.jobs(), dir);
                    progress("measuring %s: %d jobs one at a time ...", c.name(), c.jobs());
                    double[] ms = latenciesOf(net, alice, files);
                    checkAccepted(net, files.get(files.size() - 1));
                    progress("measuring the peer on the same file: gpg -d, %d runs ...", c.jobs());
                    double[] gpgMs = gpg.decryptMillis(files.get(0).encrypted(), alice.password, dir.resolve("gpg.out"), c.jobs());
                    latencies.add(new Latency(c, percentile(ms, 50), percentile(ms, 95), percentile(gpgMs, 50)));
                    deleteEncrypted(files);
                }
            }
            for (Program program : Program.values()) {
                throughputs.add(burst(net, dataDaos.get(program), program, dir));
            }
        }
        if (json) {
            printJson(latencies, throughputs, settings);
        } else {
            printTable(latencies, throughputs, settings);
        }
    }

    // ---- measuring

    /** Requests a proof for each file in turn and times each from just before the request to the proof on-chain. */
    private static double[] latenciesOf(Devnet net, Contributor contributor, List<Prepared> files) {
        double[] ms = new double[files.size()];
        for (int i = 0; i < files.size(); i++) {
            Prepared file = files.get(i);
            long start = System.nanoTime();
            long jobId = contributor.chain.requestContributionProof(file.fileId(), file.dlpId(), net.fee).jobId();
            awaitCompleted(contributor.chain, jobId, start);
            ms[i] = (System.nanoTime() - start) / 1e6;
        }
        return ms;
    }

    private static void awaitCompleted(DataCoopChain chain, long jobId, long since) {
        while (true) {
            ValidationJob.Status status = chain.jobStatus(jobId);
            if (status == ValidationJob.Status.COMPLETED) {
                return;
            }
            if (status != ValidationJob.Status.SUBMITTED) {
                throw new IllegalStateException("job " + jobId + " ended " + status + ": " + chain.job(jobId).failureReason());
            }
            if (System.nanoTime() - since > JOB_TIMEOUT_NANOS) {
                throw new IllegalStateException("job " + jobId + " was not proved within " + JOB_TIMEOUT_NANOS / 1_000_000_000 + " s");
            }
            sleep(POLL_MILLIS);
        }
    }

    /** Fails unless the program accepted {@code file} with a score above 0: the benchmark measures acceptance, not rejection. */
    private static void checkAccepted(Devnet net, Prepared file) {
        FileProof proof = net.chain.proofsOf(file.fileId()).get(0);
        if (proof.score().signum() <= 0) {
            throw new IllegalStateException("the program of DataDAO " + file.dlpId() + " rejected file " + file.fileId()
                    + ": " + proof.data().metadata());
        }
    }

    /**
     * {@link #BURST_JOBS} jobs of 1 KiB sent as fast as {@link #BURST_WALLETS} wallets send them,
     * one thread per wallet (each wallet's nonces stay in order); validations per second from the
     * first request sent to the last proof on-chain.
     */
    private static Throughput burst(Devnet net, long dlpId, Program program, Path dir) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(BURST_WALLETS);
        List<Contributor> wallets = new ArrayList<>();
        try {
            progress("preparing %d files of 1 KiB for the %s program from %d wallets ...", BURST_JOBS, program.label, BURST_WALLETS);
            List<Future<List<Prepared>>> preparing = new ArrayList<>();
            for (int w = 0; w < BURST_WALLETS; w++) {
                Contributor wallet = net.contributor(BigDecimal.ONE.add(BigDecimal.ONE));
                wallets.add(wallet);
                int count = BURST_JOBS / BURST_WALLETS + (w < BURST_JOBS % BURST_WALLETS ? 1 : 0);
                preparing.add(threads.submit(() -> prepare(net, wallet, dlpId, program, KIB, count, dir)));
            }
            List<List<Prepared>> files = new ArrayList<>();
            for (Future<List<Prepared>> f : preparing) {
                files.add(f.get());
            }

            progress("measuring %s throughput: %d jobs from %d wallets at once ...", program.label, BURST_JOBS, BURST_WALLETS);
            CountDownLatch go = new CountDownLatch(1);
            ConcurrentSkipListSet<Long> pending = new ConcurrentSkipListSet<>();
            ConcurrentSkipListSet<Long> sent = new ConcurrentSkipListSet<>();
            AtomicLong lastSent = new AtomicLong();
            List<Future<?>> senders = new ArrayList<>();
            for (int w = 0; w < BURST_WALLETS; w++) {
                Contributor wallet = wallets.get(w);
                List<Prepared> mine = files.get(w);
                senders.add(threads.submit(() -> {
                    go.await();
                    for (Prepared file : mine) {
                        long jobId = wallet.chain.requestContributionProof(file.fileId(), file.dlpId(), net.fee).jobId();
                        sent.add(jobId);
                        pending.add(jobId);
                    }
                    lastSent.accumulateAndGet(System.nanoTime(), Math::max);
                    return null;
                }));
            }
            long start = System.nanoTime();
            go.countDown();
            int completed = 0;
            while (completed < BURST_JOBS) {
                for (Future<?> sender : senders) {
                    if (sender.isDone()) {
                        sender.get(); // a sender that failed fails the benchmark here
                    }
                }
                // In id order, stopping at the first job still open: one read per poll while the
                // node works, and the end is seen within a poll of the last proof.
                for (Iterator<Long> it = pending.iterator(); it.hasNext(); ) {
                    long jobId = it.next();
                    ValidationJob.Status status = net.chain.jobStatus(jobId);
                    if (status == ValidationJob.Status.SUBMITTED) {
                        break;
                    }
                    if (status != ValidationJob.Status.COMPLETED) {
                        throw new IllegalStateException("job " + jobId + " ended " + status + ": " + net.chain.job(jobId).failureReason());
                    }
                    it.remove();
                    completed++;
                }
                if (System.nanoTime() - start > JOB_TIMEOUT_NANOS) {
                    throw new IllegalStateException("the burst did not finish within " + JOB_TIMEOUT_NANOS / 1_000_000_000 + " s");
                }
                if (completed < BURST_JOBS) {
                    sleep(POLL_MILLIS);
                }
            }
            long end = System.nanoTime();
            checkAccepted(net, files.get(0).get(0));
            files.forEach(ValidationBenchmark::deleteEncrypted);
            int terminal = net.terminalOnValidator(sent);
            if (sent.size() != BURST_JOBS || terminal != BURST_JOBS) {
                throw new IllegalStateException("the burst lost jobs: " + sent.size() + " of " + BURST_JOBS + " sent, "
                        + terminal + " ended in the validator's journal");
            }
            return new Throughput(program, KIB, BURST_JOBS, BURST_WALLETS, (lastSent.get() - start) / 1e9, (end - start) / 1e9,
                    completed, terminal);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } finally {
            threads.shutdownNow();
            wallets.forEach(Contributor::close);
        }
    }

    // ---- preparing files (not timed)

    private static final AtomicLong VARIANT = new AtomicLong();

    /**
     * {@code count} files of {@code size} bytes for {@code program} owned by {@code contributor}:
     * each encrypted with the contributor's password, stored, registered and its key wrapped
     * (ECIES) to the validator on-chain. Every file's content is distinct, so none is a duplicate.
     */
    private static List<Prepared> prepare(Devnet net, Contributor contributor, long dlpId, Program program, long size,
            int count, Path dir) throws IOException {
        PasswordEncryption pgp = new PasswordEncryption();
        KeyWrapping wrapping = new KeyWrapping();
        List<Prepared> files = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long variant = VARIANT.incrementAndGet();
            Path encrypted = dir.resolve("file-" + variant + ".gpg");
            try (InputStream plain = program == Program.DECLARATIVE
                            ? new java.io.ByteArrayInputStream(stepsExport(contributor.wallet.address(), variant, (int) size))
                            : randomContent(size, variant);
                    OutputStream out = Files.newOutputStream(encrypted)) {
                pgp.encrypt(plain, out, contributor.password.toCharArray(), "data");
            }
            BlobId stored;
            try (InputStream in = Files.newInputStream(encrypted)) {
                stored = net.storage.put(in);
            }
            long fileId = contributor.chain.addFile(net.storage.urlOf(stored), stored.bytes()).fileId();
            byte[] wrapped = HexFormat.of().parseHex(wrapping.wrapEcies(
                    contributor.password.getBytes(StandardCharsets.UTF_8), net.validatorKey));
            contributor.chain.grantPermission(fileId, net.validator.address(), wrapped);
            files.add(new Prepared(fileId, dlpId, encrypted));
        }
        return files;
    }

    /** A file in the sample DataDAO's format (daily step counts of {@code owner}), padded to exactly {@code size} bytes. */
    private static byte[] stepsExport(Address owner, long variant, int size) {
        StringBuilder json = new StringBuilder("{\"owner\":\"" + owner + "\",\"variant\":" + variant + ",\"days\":[");
        String pad = "\",\"pad\":\"";
        for (int day = 0; day < 28; day++) {
            String entry = (day == 0 ? "" : ",") + "{\"date\":\"2026-10-" + String.format("%02d", day + 1) + "\",\"steps\":"
                    + (7000 + day) + "}";
            if (json.length() + entry.length() + pad.length() + 4 > size) {
                break;
            }
            json.append(entry);
        }
        json.append("],\"pad\":\"");
        while (json.length() < size - 2) {
            json.append('x');
        }
        return json.append("\"}").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** {@code size} pseudo-random (incompressible) bytes, streamed. */
    private static InputStream randomContent(long size, long seed) {
        Random random = new Random(seed);
        return new InputStream() {
            private long left = size;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) {
                if (left == 0) {
                    return -1;
                }
                int n = (int) Math.min(length, left);
                byte[] chunk = new byte[n];
                random.nextBytes(chunk);
                System.arraycopy(chunk, 0, buffer, offset, n);
                left -= n;
                return n;
            }
        };
    }

    private static void deleteEncrypted(List<Prepared> files) {
        for (Prepared file : files) {
            file.encrypted().toFile().delete();
        }
    }

    // ---- the devnet

    /** anvil, the storage gateway, the contracts and one validator, all in this process. */
    private static final class Devnet implements AutoCloseable {
        private final List<AutoCloseable> started = new ArrayList<>();
        private Anvil anvil;
        private ChainConnection admin;
        private DataCoopChain chain;
        private HttpBlobStore storage;
        private Deployment deployment;
        private ValidatorService validator;
        private byte[] validatorKey;
        private BigInteger fee;

        static Devnet start(Path dir, JobSettings settings) {
            progress("starting anvil, the storage gateway and a validator ...");
            Devnet net = new Devnet();
            try {
                net.anvil = net.keep(Anvil.start(Toolchain.discover(), 0, Optional.empty(), Optional.empty()));
                Anvil anvil = net.anvil;
                Runtime.getRuntime().addShutdownHook(new Thread(anvil::close, "stop-anvil")); // on Ctrl-C too
                net.admin = net.keep(ChainConnection.open(net.anvil.rpcUrl(), Anvil.DEV_ACCOUNT_KEY));
                StorageGateway gateway = net.keep(
                        StorageGateway.start(new LocalBlobStore(dir.resolve("blobs"), 1L << 30), "127.0.0.1", 0));
                net.deployment = new Deployer(net.admin, step -> {}).deploy(Deployer.Settings.DEFAULT, true)
                        .withService(Deployment.STORAGE_URL, gateway.baseUrl());
                net.chain = new DataCoopChain(net.admin, net.deployment);
                net.storage = new HttpBlobStore(gateway.baseUrl());
                net.validator = net.keep(ValidatorService.start(net.deployment, dir.resolve("node"), settings, "127.0.0.1", 0,
                        Optional.of(Anvil.DEV_ACCOUNT_KEY)));
                net.validatorKey = net.chain.validator(net.validator.address()).secp256k1PublicKey();
                net.fee = net.chain.teeFee();
                return net;
            } catch (RuntimeException e) {
                net.close();
                throw e;
            }
        }

        /**
         * Waits (a few seconds at most) for the validator to record the end of its last jobs: it
         * sees its proof's receipt a little after the chain shows the job completed.
         */
        private void settle() {
            if (validator == null) {
                return;
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline
                    && !validator.node().counts().keySet().stream().allMatch(JobState::isTerminal)) {
                sleep(POLL_MILLIS);
            }
        }

        /**
         * How many of {@code jobIds} the validator's journal holds in a terminal state, waiting (a few
         * seconds at most) for it to record the ends of jobs the chain shows completed.
         */
        int terminalOnValidator(Collection<Long> jobIds) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (true) {
                int terminal = (int) jobIds.stream()
                        .filter(id -> validator.node().job(id).map(job -> job.state().isTerminal()).orElse(false))
                        .count();
                if (terminal == jobIds.size() || System.nanoTime() > deadline) {
                    return terminal;
                }
                sleep(POLL_MILLIS);
            }
        }

        private <T extends AutoCloseable> T keep(T resource) {
            started.add(resource);
            return resource;
        }

        /** A DataDAO whose program is {@code script}, stored on the gateway and pinned by its SHA-256. */
        long dataDaoWithProgram(String script) {
            BlobId stored = storage.put(new java.io.ByteArrayInputStream(script.getBytes(StandardCharsets.UTF_8)));
            return chain.createDataDao("Bench " + stored.sha256().substring(0, 6), "Bench Token", "BENCH",
                    BigInteger.TEN.pow(24), BigInteger.TEN.pow(18), stored.bytes(), storage.urlOf(stored)).id();
        }

        /** A new wallet funded with {@code ether}, with its own connection (its own nonces). */
        Contributor contributor(BigDecimal ether) {
            Wallet wallet = Wallet.create();
            admin.sendEther(wallet.address(), ether);
            return new Contributor(wallet, ChainConnection.open(anvil.rpcUrl(), wallet), deployment);
        }

        @Override
        public void close() {
            settle();
            for (int i = started.size() - 1; i >= 0; i--) {
                try {
                    started.get(i).close();
                } catch (Exception e) {
                    System.err.println("stopping " + started.get(i).getClass().getSimpleName() + " failed: " + e.getMessage());
                }
            }
        }
    }

    /** A contributor's wallet, its connection and its file password. One thread at a time. */
    private static final class Contributor implements AutoCloseable {
        final Wallet wallet;
        final ChainConnection connection;
        final DataCoopChain chain;
        final String password;

        Contributor(Wallet wallet, ChainConnection connection, Deployment deployment) {
            this.wallet = wallet;
            this.connection = connection;
            this.chain = new DataCoopChain(connection, deployment);
            this.password = wallet.encryptionPassword(Wallet.DEFAULT_SEED);
        }

        @Override
        public void close() {
            connection.close();
        }
    }

    // ---- the peer

    /** GnuPG in a home of its own, decrypting as the Python validators do. */
    private record Gpg(Path home) {
        double[] decryptMillis(Path encrypted, String password, Path out, int runs) throws IOException, InterruptedException {
            decrypt(encrypted, password, out); // the first run starts gpg-agent: not counted
            double[] ms = new double[runs];
            for (int i = 0; i < runs; i++) {
                long start = System.nanoTime();
                decrypt(encrypted, password, out);
                ms[i] = (System.nanoTime() - start) / 1e6;
            }
            Files.deleteIfExists(out);
            return ms;
        }

        private void decrypt(Path encrypted, String password, Path out) throws IOException, InterruptedException {
            Process gpg = new ProcessBuilder("gpg", "--homedir", home.toString(), "--batch", "--yes", "--quiet",
                    "--pinentry-mode", "loopback", "--passphrase-fd", "0", "-o", out.toString(), "-d", encrypted.toString())
                    .redirectErrorStream(true)
                    .start();
            try (OutputStream in = gpg.getOutputStream()) {
                in.write((password + "\n").getBytes(StandardCharsets.UTF_8));
            }
            String output = new String(gpg.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!gpg.waitFor(5, TimeUnit.MINUTES) || gpg.exitValue() != 0) {
                throw new IllegalStateException("gpg failed: " + output);
            }
        }

        /** Stops the gpg-agent the runs started for this home, if any. */
        static void stopAgent(Path home) {
            if (!Files.isDirectory(home)) {
                return;
            }
            try {
                Process kill = new ProcessBuilder("gpgconf", "--homedir", home.toString(), "--kill", "gpg-agent")
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start();
                kill.waitFor(10, TimeUnit.SECONDS);
            } catch (IOException e) {
                // no gpgconf: the agent exits by itself once its home is gone
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ---- output

    private static void printTable(List<Latency> latencies, List<Throughput> throughputs, JobSettings settings) {
        System.out.printf("Validation on a devnet in process (anvil, storage gateway, one validator: %d workers, "
                + "polls the chain every %d ms), %d cores%n", settings.workers(), settings.pollInterval().toMillis(),
                Runtime.getRuntime().availableProcessors());
        System.out.println("latency, request sent -> proof on-chain, one job at a time; peer: gpg -d of the same file");
        System.out.printf("  %-20s %5s %10s %10s %14s %10s%n", "", "jobs", "p50 ms", "p95 ms", "gpg -d p50 ms", "p50/gpg");
        for (Latency l : latencies) {
            System.out.printf("  %-20s %5d %10.1f %10.1f %14.1f %10.1f%n", l.of().name(), l.of().jobs(), l.p50Ms(), l.p95Ms(),
                    l.gpgP50Ms(), l.ratioToGpg());
        }
        System.out.println("throughput, first request sent -> last proof on-chain");
        for (Throughput t : throughputs) {
            System.out.printf("  %-20s %d jobs from %d wallets in %.2f s (requests sent in %.2f s): %.1f validations/s%n",
                    t.name(), t.jobs(), t.wallets(), t.seconds(), t.sendSeconds(), t.perSecond());
            System.out.printf("  %-20s %d completed on-chain, %d ended in the validator's journal, %d lost%n", "", t.completed(),
                    t.terminal(), t.lost());
        }
        System.out.printf("reference: Vana's sample program alone reports %.2f s per validation (published, not measured here); "
                + "ours, whole 1 KiB declarative validation with chain round trips: p50 %.2f s%n", VANA_SAMPLE_SECONDS,
                latency(latencies, Program.DECLARATIVE, KIB).map(Latency::p50Ms).orElse(Double.NaN) / 1000);
        System.out.println("goals (printed, not asserted):");
        for (Map<String, Object> goal : goals(latencies, throughputs)) {
            System.out.printf("  %-48s %s (%s %s)%n", goal.get("goal"), (Boolean) goal.get("met") ? "met" : "NOT met",
                    goal.get("measured"), goal.get("unit"));
        }
    }

    private static void printJson(List<Latency> latencies, List<Throughput> throughputs, JobSettings settings) throws IOException {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("cores", Runtime.getRuntime().availableProcessors());
        out.put("workers", settings.workers());
        out.put("pollIntervalMs", settings.pollInterval().toMillis());
        out.put("latency", latencies.stream().map(l -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", l.of().name());
            row.put("program", l.of().program().label);
            row.put("sizeBytes", l.of().sizeBytes());
            row.put("jobs", l.of().jobs());
            row.put("p50Ms", round(l.p50Ms()));
            row.put("p95Ms", round(l.p95Ms()));
            row.put("gpgDecryptP50Ms", round(l.gpgP50Ms()));
            row.put("ratioP50ToGpgDecrypt", round(l.ratioToGpg()));
            return row;
        }).toList());
        out.put("throughput", throughputs.stream().map(t -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", t.name());
            row.put("program", t.program().label);
            row.put("sizeBytes", t.sizeBytes());
            row.put("jobs", t.jobs());
            row.put("wallets", t.wallets());
            row.put("seconds", round(t.seconds()));
            row.put("sendSeconds", round(t.sendSeconds()));
            row.put("validationsPerSecond", round(t.perSecond()));
            row.put("completedOnChain", t.completed());
            row.put("terminalOnValidator", t.terminal());
            row.put("lost", t.lost());
            return row;
        }).toList());
        Map<String, Object> reference = new LinkedHashMap<>();
        reference.put("vanaSampleProgramSecondsPerValidation", VANA_SAMPLE_SECONDS);
        reference.put("note", "published by Vana for its sample program alone; not measured here");
        out.put("reference", reference);
        out.put("goals", goals(latencies, throughputs));
        System.out.println(new ObjectMapper().writeValueAsString(out));
    }

    private static List<Map<String, Object>> goals(List<Latency> latencies, List<Throughput> throughputs) {
        List<Map<String, Object>> goals = new ArrayList<>();
        latency(latencies, Program.EXTERNAL, MIB).ifPresent(l -> goals.add(goal(
                "p50 under 1 s at 1 MiB", l.p50Ms() < GOAL_P50_MS_AT_1_MIB, l.p50Ms(), "ms")));
        for (Throughput t : throughputs) {
            goals.add(goal("at least 50 validations/s at 1 KiB, " + t.program().label,
                    t.perSecond() >= GOAL_SMALL_FILES_PER_SECOND, t.perSecond(), "validations/s"));
        }
        return goals;
    }

    private static Map<String, Object> goal(String goal, boolean met, double measured, String unit) {
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("goal", goal);
        g.put("met", met);
        g.put("measured", round(measured));
        g.put("unit", unit);
        return g;
    }

    private static Optional<Latency> latency(List<Latency> latencies, Program program, long size) {
        return latencies.stream().filter(l -> l.of().program() == program && l.of().sizeBytes() == size).findFirst();
    }

    // ---- small helpers

    /** The nearest-rank percentile. */
    private static double percentile(double[] values, int p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }

    private static String sizeLabel(long bytes) {
        return bytes >= MIB ? (bytes / MIB) + " MiB" : (bytes / KIB) + " KiB";
    }

    private static void progress(String format, Object... args) {
        System.err.println(String.format(format, args));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
