package org.datacoop.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.datacoop.sandbox.SandboxException.Reason;

/** Watches a started run: its time, its output, and killing all of it when it must stop. */
final class Supervision {
    private static final Duration POLL = Duration.ofMillis(100);
    /** How long to wait for a killed run to be reaped. */
    private static final Duration SETTLE = Duration.ofSeconds(5);

    private Supervision() {}

    /**
     * Starts {@code builder}'s command with exactly {@code environment} (nothing of the node's) and
     * its output discarded, since it may hold decrypted data, which must not reach a log; then
     * watches it to its end as {@link #await} does.
     */
    static int run(ProcessBuilder builder, Map<String, String> environment, Launch launch) {
        builder.redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().clear();
        builder.environment().putAll(environment);
        Process process;
        try {
            process = builder.start();
            process.getOutputStream().close();
        } catch (IOException e) {
            throw new SandboxException(Reason.UNAVAILABLE, "the program could not be started: " + e.getMessage(), e);
        }
        return await(process, launch);
    }

    private static int await(Process process, Launch launch) {
        long deadline = System.nanoTime() + launch.timeout().toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                if (process.waitFor(Math.min(left, POLL.toNanos()), TimeUnit.NANOSECONDS)) {
                    // A last look: a run may write past its limit between two polls and exit.
                    checkOutput(process, launch);
                    checkOnlyFilesLeft(launch.output());
                    return process.exitValue();
                }
                checkOutput(process, launch);
                if (System.nanoTime() - deadline >= 0) {
                    kill(process);
                    throw new SandboxException(Reason.TIMED_OUT,
                            "the program ran past its " + describe(launch.timeout()) + " timeout and was stopped");
                }
            }
        } catch (InterruptedException e) {
            kill(process);
            Thread.currentThread().interrupt();
            throw new CancellationException("the sandboxed run was interrupted");
        }
    }

    /** Stops a run whose {@code /output} holds more than its limits allow. */
    private static void checkOutput(Process process, Launch launch) {
        Optional<Trees.Usage> usage = Trees.usage(launch.output());
        if (usage.isEmpty()) {
            return; // the next poll counts again
        }
        long bytes = usage.get().bytes();
        long entries = usage.get().entries();
        Limits limits = launch.limits();
        if (bytes > limits.outputBytes() || entries > limits.outputFiles()) {
            kill(process);
            throw new SandboxException(Reason.OUTPUT_TOO_LARGE, "the program wrote more to /output than its limit of "
                    + Limits.describeBytes(limits.outputBytes()) + " in " + limits.outputFiles() + " files");
        }
    }

    /**
     * Refuses output holding anything but plain files and directories: the node reads it outside the
     * sandbox, where a link the program made (to the node's keys, say) would point somewhere real.
     */
    private static void checkOnlyFilesLeft(Path output) {
        try (Stream<Path> files = Files.walk(output)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (!attributes.isRegularFile() && !attributes.isDirectory()) {
                    throw new SandboxException(Reason.UNSAFE_OUTPUT, "the program left " + output.relativize(file)
                            + " in /output, which is a link or a device, not a plain file");
                }
            }
        } catch (IOException | UncheckedIOException e) {
            throw new SandboxException(Reason.UNSAFE_OUTPUT, "the program's /output cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * Kills bwrap; its PID namespace, and with it everything the program started, goes too. Returns
     * once all of it is gone (or {@link #SETTLE} has passed): the kernel kills a namespace's
     * processes after its init, not with it.
     */
    static void kill(Process process) {
        kill(process.toHandle());
    }

    /** As {@link #kill(Process)}, for a bwrap this JVM did not start. */
    static void kill(ProcessHandle process) {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
        long deadline = System.nanoTime() + SETTLE.toNanos();
        try {
            process.onExit().get(SETTLE.toMillis(), TimeUnit.MILLISECONDS);
            for (ProcessHandle descendant : descendants) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                descendant.onExit().get(left, TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // Left to the kernel: the namespace is dead and nothing in it runs on.
        }
    }

    static String describe(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }

}
