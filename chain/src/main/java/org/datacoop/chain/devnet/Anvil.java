package org.datacoop.chain.devnet;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.datacoop.chain.ChainException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real EVM node ({@code anvil}) on loopback, as a child process. With a state file the chain
 * survives restarts: anvil loads it at start, writes it every second and again on a clean stop.
 */
public final class Anvil implements AutoCloseable {
    /**
     * anvil's first default account (from its well-known test mnemonic): funded on every devnet,
     * public knowledge, for devnets only.
     */
    public static final String DEV_ACCOUNT_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

    public static final long CHAIN_ID = 31337;

    private static final Logger LOG = LoggerFactory.getLogger(Anvil.class);
    private static final Pattern LISTENING = Pattern.compile("Listening on ([0-9.]+):(\\d+)");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);

    private final Process process;
    private final String rpcUrl;

    private Anvil(Process process, String rpcUrl) {
        this.process = process;
        this.rpcUrl = rpcUrl;
    }

    /**
     * Starts anvil on 127.0.0.1.
     *
     * @param port the port, or 0 for a free one
     * @param stateFile where the chain is kept between runs; empty for a throwaway chain
     * @param log where anvil's own output goes; empty to discard it
     */
    public static Anvil start(Toolchain tools, int port, Optional<Path> stateFile, Optional<Path> log) {
        return start(tools, port, CHAIN_ID, stateFile, log);
    }

    /** As {@link #start(Toolchain, int, Optional, Optional)}, with chain id {@code chainId}. */
    public static Anvil start(Toolchain tools, int port, long chainId, Optional<Path> stateFile, Optional<Path> log) {
        List<String> command = new ArrayList<>(List.of(
                tools.tool("anvil").toString(),
                "--host", "127.0.0.1",
                "--port", Integer.toString(port),
                "--chain-id", Long.toString(chainId)));
        stateFile.ifPresent(state -> {
            stopOrphan(state);
            command.addAll(List.of("--state", state.toString(), "--state-interval", "1"));
        });
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (stateFile.isPresent()) {
                Files.writeString(pidFile(stateFile.get()), Long.toString(process.pid()));
            }
        } catch (IOException e) {
            throw new ChainException("could not start anvil: " + e.getMessage(), e);
        }
        CompletableFuture<String> listening = new CompletableFuture<>();
        Thread pump = new Thread(() -> pump(process, log, listening), "anvil-output");
        pump.setDaemon(true);
        pump.start();
        try {
            String rpcUrl = listening.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            LOG.debug("anvil (pid {}) listening at {}", process.pid(), rpcUrl);
            return new Anvil(process, rpcUrl);
        } catch (TimeoutException | ExecutionException e) {
            process.destroyForcibly();
            throw new ChainException("anvil did not start within " + START_TIMEOUT.toSeconds() + " s: "
                    + (e.getCause() != null ? e.getCause().getMessage() : "no 'Listening on' line"), e);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new ChainException("interrupted while starting anvil", e);
        }
    }

    /** The file that records which anvil serves {@code stateFile}. */
    public static Path pidFile(Path stateFile) {
        return stateFile.resolveSibling(stateFile.getFileName() + ".pid");
    }

    /**
     * Stops an anvil left running on {@code stateFile} by a launcher that was killed (kill -9
     * spares the child): two nodes writing one state file would corrupt it. {@link #start} does it
     * too; a caller that checks the port first does it before.
     */
    public static void stopOrphan(Path stateFile) {
        Path pidFile = pidFile(stateFile);
        if (!Files.isRegularFile(pidFile)) {
            return;
        }
        try {
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            ProcessHandle.of(pid)
                    .filter(p -> p.info().command().map(c -> c.endsWith("anvil")).orElse(false))
                    .ifPresent(orphan -> {
                        LOG.warn("stopping anvil (pid {}) left running on this state by an earlier run", pid);
                        orphan.destroy();
                        try {
                            orphan.onExit().get(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        } catch (ExecutionException | TimeoutException e) {
                            orphan.destroyForcibly();
                        }
                    });
            Files.delete(pidFile);
        } catch (IOException | NumberFormatException e) {
            throw new ChainException("cannot read " + pidFile + " (delete it if no anvil runs): " + e.getMessage(), e);
        }
    }

    /** Reads anvil's output until it exits, so it never blocks on a full pipe. */
    private static void pump(Process process, Optional<Path> log, CompletableFuture<String> listening) {
        List<String> early = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                PrintStream out = openLog(log)) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (out != null) {
                    out.println(line);
                }
                if (!listening.isDone()) {
                    early.add(line);
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        listening.complete("http://" + m.group(1) + ":" + m.group(2));
                    }
                }
            }
        } catch (IOException | UncheckedIOException e) {
            listening.completeExceptionally(e);
        }
        listening.completeExceptionally(new IllegalStateException("anvil exited: "
                + String.join(" | ", early.subList(Math.max(0, early.size() - 5), early.size()))));
    }

    private static PrintStream openLog(Optional<Path> log) throws IOException {
        if (log.isEmpty()) {
            return null;
        }
        return new PrintStream(
                Files.newOutputStream(log.get(), StandardOpenOption.CREATE, StandardOpenOption.APPEND),
                true,
                StandardCharsets.UTF_8);
    }

    public String rpcUrl() {
        return rpcUrl;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Stops anvil with SIGTERM, so it writes its state, and waits for it to exit. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                LOG.warn("anvil (pid {}) did not stop within {} s; killing it", process.pid(), STOP_TIMEOUT.toSeconds());
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
