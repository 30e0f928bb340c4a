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
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.datacoop.protocol.crypto.PasswordEncryption;

/**
 * DataCoop's OpenPGP encryption and decryption against GnuPG's, on the same file in the same run:
 * {@code gpg --symmetric --cipher-algo AES256} with compression off and with gpg's default. Prints
 * MB/s of each and DataCoop's ratio to gpg; run with a small heap to show memory stays flat.
 *
 * <p>Usage: {@code EncryptionBenchmark [SIZE_MIB] [--json]} (default 256 MiB).
 */
public final class EncryptionBenchmark {
    private static final String PASSWORD = "0x" + "5c".repeat(64) + "1b";

    private EncryptionBenchmark() {}

    private record Measure(String name, double seconds, long bytes) {
        double mbPerSecond() {
            return bytes / 1e6 / seconds;
        }
    }

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

        List<Measure> results = new ArrayList<>();
        results.add(time("encrypt: DataCoop", size, () -> pgp.encryptFile(plain, dir.resolve("ours.gpg"), PASSWORD.toCharArray())));
        results.add(time("encrypt: gpg, no compression", size, () -> gpg(gnupg, "--compress-algo", "none", "--symmetric",
                "--cipher-algo", "AES256", "-o", dir.resolve("gpg.gpg").toString(), plain.toString())));
        results.add(time("encrypt: gpg, default compression", size, () -> gpg(gnupg, "--symmetric",
                "--cipher-algo", "AES256", "-o", dir.resolve("gpg-z.gpg").toString(), plain.toString())));
        results.add(time("decrypt: DataCoop", size, () -> pgp.decryptFile(dir.resolve("gpg.gpg"), dir.resolve("ours.out"), PASSWORD.toCharArray())));
        results.add(time("decrypt: gpg", size, () -> gpg(gnupg, "-o", dir.resolve("gpg.out").toString(), "-d",
                dir.resolve("ours.gpg").toString())));

        double encryptRatio = results.get(0).mbPerSecond() / results.get(1).mbPerSecond();
        double encryptRatioDefault = results.get(0).mbPerSecond() / results.get(2).mbPerSecond();
        double decryptRatio = results.get(3).mbPerSecond() / results.get(4).mbPerSecond();
        long heapPeak = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP)
                .mapToLong(pool -> pool.getPeakUsage().getUsed())
                .sum();
        long maxHeap = Runtime.getRuntime().maxMemory();
        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("sizeBytes", size);
            out.put("results", results.stream()
                    .map(m -> Map.of("name", m.name(), "mbPerSecond", Math.round(m.mbPerSecond() * 10) / 10.0))
                    .toList());
            out.put("encryptRatioVsGpg", encryptRatio);
            out.put("encryptRatioVsGpgDefault", encryptRatioDefault);
            out.put("decryptRatioVsGpg", decryptRatio);
            out.put("heapPeakBytes", heapPeak);
            out.put("maxHeapBytes", maxHeap);
            System.out.println(new ObjectMapper().writeValueAsString(out));
            return;
        }
        System.out.printf("%d MiB of random data, %d cores%n", size >> 20, Runtime.getRuntime().availableProcessors());
        for (Measure m : results) {
            System.out.printf("  %-36s %8.1f MB/s%n", m.name(), m.mbPerSecond());
        }
        System.out.printf("ratio DataCoop/gpg  encrypt %.2f (vs gpg's default compression %.2f)  decrypt %.2f%n",
                encryptRatio, encryptRatioDefault, decryptRatio);
        System.out.printf("heap: peak %d MiB of at most %d MiB for a %d MiB file%n", heapPeak >> 20, maxHeap >> 20, size >> 20);
    }

    private interface Action {
        void run() throws Exception;
    }

    private static Measure time(String name, long bytes, Action action) throws Exception {
        System.err.println("measuring " + name + " ...");
        long start = System.nanoTime();
        action.run();
        return new Measure(name, (System.nanoTime() - start) / 1e9, bytes);
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
