package org.datacoop.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.datacoop.protocol.crypto.PasswordEncryption;

/**
 * DataCoop's OpenPGP encryption and decryption against GnuPG's, on the same file in the same run:
 * {@code gpg --symmetric --cipher-algo AES256} with compression off ({@code -z0}) and with gpg's
 * default, {@code gpg -d}, and as a bound {@code openssl speed -elapsed -evp aes-256-cfb} on one
 * core (OpenPGP's mode, nothing else: no hash, no files); also DataCoop's opt-in v6 format, which
 * gpg 2.2 cannot read. Each is measured {@value #ROUNDS} times,
 * the rows interleaved, and the median kept: the machines are shared and noisy. Prints MB/s of
 * each and DataCoop's ratios with their goals (at least 1.5x gpg, at least half of openssl); run
 * with a small heap to show memory stays flat.
 *
 * <p>Usage: {@code EncryptionBenchmark [SIZE_MIB] [--json]} (default 256 MiB).
 */
public final class EncryptionBenchmark {
    private static final String PASSWORD = "0x" + "5c".repeat(64) + "1b";
    private static final int ROUNDS = 3;
    private static final double GPG_GOAL = 1.5;
    private static final double OPENSSL_GOAL = 0.5;
    private static final String ENCRYPT = "encrypt: DataCoop";
    private static final String ENCRYPT_GPG = "encrypt: gpg -z0";
    private static final String DECRYPT = "decrypt: DataCoop, DataCoop's file";
    private static final String DECRYPT_GPG = "decrypt: gpg -d, DataCoop's file";
    private static final String OPENSSL = "bound: openssl AES-256-CFB, one core";

    private EncryptionBenchmark() {}

    private record Measure(String name, double mbPerSecond) {}

    public static void main(String[] args) throws Exception {
        int sizeMib = 256;
        boolean json = false;
        for (String arg : args) {
            if (arg.equals("--json")) {
                json = true;
            } else if (arg.equals("--help") || arg.equals("-h")) {
                System.out.println("usage: coop bench encryption [SIZE_MIB] [--json]   (default 256 MiB)");
                return;
            } else {
                sizeMib = Integer.parseInt(arg);
            }
        }
        Path dir = Files.createTempDirectory("coop-bench");
        try {
            run(dir, (long) sizeMib << 20, json);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void run(Path dir, long size, boolean json) throws Exception {
        Path plain = dir.resolve("plain.bin");
        writeRandom(plain, size);
        PasswordEncryption pgp = new PasswordEncryption();
        Path gnupg = Files.createDirectories(dir.resolve("gnupg"));

        // Warm-up: the JIT and the JDK's AES intrinsics, on a 32 MiB prefix.
        Path warm = dir.resolve("warm.bin");
        writeRandom(warm, Math.min(size, 32L << 20));
        pgp.encryptFile(warm, dir.resolve("warm.gpg"), PASSWORD.toCharArray());
        pgp.decryptFile(dir.resolve("warm.gpg"), dir.resolve("warm.out"), PASSWORD.toCharArray());

        Path ours = dir.resolve("ours.gpg");
        Path theirs = dir.resolve("gpg.gpg");
        Path compressed = dir.resolve("gpg-z.gpg");
        Path v6 = dir.resolve("ours-v6.gpg");
        Path oursOut = dir.resolve("ours.out");
        Path gpgOut = dir.resolve("gpg.out");
        Map<String, List<Measure>> rounds = new LinkedHashMap<>();
        for (int round = 1; round <= ROUNDS; round++) {
            System.err.printf("round %d of %d%n", round, ROUNDS);
            measure(rounds, ENCRYPT, size, ours, () -> pgp.encryptFile(plain, ours, PASSWORD.toCharArray()));
            measure(rounds, ENCRYPT_GPG, size, theirs, () -> gpg(gnupg, "--compress-algo", "none", "--symmetric",
                    "--cipher-algo", "AES256", "-o", theirs.toString(), plain.toString()));
            measure(rounds, "encrypt: gpg, default compression", size, compressed, () -> gpg(gnupg, "--symmetric",
                    "--cipher-algo", "AES256", "-o", compressed.toString(), plain.toString()));
            // Both decrypt the same files: gpg's own has a far longer S2K (gpg calibrates it to about 100 ms).
            for (Path file : List.of(ours, theirs)) {
                String whose = file.equals(ours) ? "DataCoop's file" : "gpg's file";
                measure(rounds, "decrypt: DataCoop, " + whose, size, oursOut,
                        () -> pgp.decryptFile(file, oursOut, PASSWORD.toCharArray()));
                measure(rounds, "decrypt: gpg -d, " + whose, size, gpgOut,
                        () -> gpg(gnupg, "-o", gpgOut.toString(), "-d", file.toString()));
            }
            // The opt-in format gpg 2.2 cannot read: no peer, shown beside the default.
            measure(rounds, "encrypt: DataCoop --format v6", size, v6,
                    () -> pgp.encryptFile(plain, v6, PASSWORD.toCharArray(), PasswordEncryption.Format.V6));
            measure(rounds, "decrypt: DataCoop, v6 file", size, oursOut,
                    () -> pgp.decryptFile(v6, oursOut, PASSWORD.toCharArray()));
            OptionalDouble openssl = opensslCfb();
            if (openssl.isPresent()) {
                rounds.computeIfAbsent(OPENSSL, name -> new ArrayList<>()).add(new Measure(OPENSSL, openssl.getAsDouble()));
            }
        }
        if (Files.mismatch(plain, oursOut) != -1 || Files.mismatch(plain, gpgOut) != -1) { // the last of each
            throw new IllegalStateException("a decryption did not give back the plaintext");
        }
        List<Measure> results = rounds.values().stream().map(EncryptionBenchmark::median).toList();
        double oursEncrypt = speed(results, ENCRYPT);
        double oursDecrypt = speed(results, DECRYPT);
        Map<String, Double> ratios = new LinkedHashMap<>();
        ratios.put("encryptVsGpg", oursEncrypt / speed(results, ENCRYPT_GPG));
        ratios.put("encryptVsGpgDefault", oursEncrypt / speed(results, "encrypt: gpg, default compression"));
        ratios.put("decryptVsGpg", oursDecrypt / speed(results, DECRYPT_GPG));
        ratios.put("decryptGpgsFileVsGpg", speed(results, "decrypt: DataCoop, gpg's file") / speed(results, "decrypt: gpg -d, gpg's file"));
        if (rounds.containsKey(OPENSSL)) {
            ratios.put("encryptVsOpensslCfb", oursEncrypt / speed(results, OPENSSL));
            ratios.put("decryptVsOpensslCfb", oursDecrypt / speed(results, OPENSSL));
        }
        long heapPeak = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP)
                .mapToLong(pool -> pool.getPeakUsage().getUsed())
                .sum();
        long maxHeap = Runtime.getRuntime().maxMemory();
        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("sizeBytes", size);
            out.put("rounds", ROUNDS);
            out.put("results", results.stream()
                    .map(m -> Map.of("name", m.name(), "mbPerSecond", Math.round(m.mbPerSecond() * 10) / 10.0))
                    .toList());
            out.put("ratios", ratios);
            out.put("goals", Map.of("vsGpg", GPG_GOAL, "vsOpensslCfb", OPENSSL_GOAL));
            out.put("heapPeakBytes", heapPeak);
            out.put("maxHeapBytes", maxHeap);
            System.out.println(new ObjectMapper().writeValueAsString(out));
            return;
        }
        System.out.printf("%d MiB of random data, %d cores, median of %d rounds%n",
                size >> 20, Runtime.getRuntime().availableProcessors(), ROUNDS);
        for (Measure m : results) {
            System.out.printf("  %-40s %8.1f MB/s%n", m.name(), m.mbPerSecond());
        }
        if (!rounds.containsKey(OPENSSL)) {
            System.out.println("  (openssl not found: no bound measured)");
        }
        ratios.forEach((name, ratio) -> {
            double goal = name.contains("Openssl") ? OPENSSL_GOAL
                    : name.equals("encryptVsGpg") || name.equals("decryptVsGpg") ? GPG_GOAL : Double.NaN;
            System.out.printf("ratio %-20s %5.2f%s%n", name, ratio, Double.isNaN(goal) ? ""
                    : String.format("  (goal at least %.1f: %s)", goal, ratio >= goal ? "met" : "not met"));
        });
        System.out.printf("heap: peak %d MiB of at most %d MiB for a %d MiB file%n", heapPeak >> 20, maxHeap >> 20, size >> 20);
    }

    /** Times {@code action}, which writes {@code output}; a previous output is deleted first, outside the clock. */
    private static void measure(Map<String, List<Measure>> rounds, String name, long bytes, Path output, Action action)
            throws Exception {
        Files.deleteIfExists(output);
        rounds.computeIfAbsent(name, n -> new ArrayList<>()).add(time(name, bytes, action));
    }

    private static Measure median(List<Measure> measures) {
        List<Measure> sorted = measures.stream().sorted(Comparator.comparingDouble(Measure::mbPerSecond)).toList();
        return sorted.get(sorted.size() / 2);
    }

    private static double speed(List<Measure> results, String name) {
        return results.stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow().mbPerSecond();
    }

    /**
     * OpenSSL's AES-256-CFB over 64 KiB buffers for 2 s of wall time on one thread, in MB/s; empty
     * when openssl is not installed.
     */
    private static OptionalDouble opensslCfb() throws IOException, InterruptedException {
        System.err.println("measuring " + OPENSSL + " ...");
        Process openssl;
        try {
            openssl = new ProcessBuilder("openssl", "speed", "-elapsed", "-seconds", "2", "-bytes", "65536",
                    "-evp", "aes-256-cfb").redirectErrorStream(true).start();
        } catch (IOException e) {
            return OptionalDouble.empty();
        }
        String output = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!openssl.waitFor(1, TimeUnit.MINUTES) || openssl.exitValue() != 0) {
            throw new IllegalStateException("openssl speed failed: " + output);
        }
        // The result line: "AES-256-CFB   621903.87k", thousands of bytes per second.
        Matcher result = Pattern.compile("(?m)^AES-256-CFB\\s+([0-9.]+)k\\s*$").matcher(output);
        if (!result.find()) {
            throw new IllegalStateException("no AES-256-CFB result in openssl's output: " + output);
        }
        return OptionalDouble.of(Double.parseDouble(result.group(1)) / 1000);
    }

    private interface Action {
        void run() throws Exception;
    }

    private static Measure time(String name, long bytes, Action action) throws Exception {
        System.err.println("measuring " + name + " ...");
        long start = System.nanoTime();
        action.run();
        return new Measure(name, bytes / 1e6 / ((System.nanoTime() - start) / 1e9));
    }

    private static void gpg(Path home, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("gpg", "--homedir", home.toString(), "--batch", "--yes", "--quiet",
                "--pinentry-mode", "loopback", "--passphrase-fd", "0"));
        command.addAll(List.of(args));
        Process gpg = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (OutputStream in = gpg.getOutputStream()) {
            in.write((PASSWORD + "\n").getBytes(StandardCharsets.UTF_8));
        }
        String output = new String(gpg.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!gpg.waitFor(10, TimeUnit.MINUTES) || gpg.exitValue() != 0) {
            throw new IllegalStateException("gpg failed: " + output);
        }
    }

    private static void writeRandom(Path file, long size) throws IOException {
        Random random = new Random(42);
        byte[] block = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long written = 0; written < size; written += block.length) {
                random.nextBytes(block);
                out.write(block, 0, (int) Math.min(block.length, size - written));
            }
        }
    }
}
