package org.datacoop.acceptance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.datacoop.sandbox.Bubblewrap;

/**
 * Where a validator started on a data dir keeps its job workspaces (its sandbox area's scratch
 * directory), and its sandboxed programs running: what a node killed with SIGKILL may leave behind.
 *
 * @param area the node's sandbox area; the workspaces are in its {@code scratch} directory
 */
record NodeScratch(Path area) {
    /** The sandbox area of the node in {@code dataDir}/node, as its sandbox probe finds it. */
    static NodeScratch of(Path dataDir) {
        Bubblewrap.Availability sandbox = Bubblewrap.probe(dataDir.resolve("node"));
        return new NodeScratch(sandbox.sandbox().orElseThrow(() -> new AssertionError(sandbox.unavailableReason())).area()
                .root());
    }

    Path dir() {
        return area.resolve("scratch");
    }

    /** This node's sandboxes at any stage (prlimit, setpriv, bwrap, the program): their command line names its area. */
    long programsRunning() {
        return sandboxes().size();
    }

    /** The processes of {@link #programsRunning}. */
    List<ProcessHandle> sandboxes() {
        String named = area + "/";
        try (var processes = ProcessHandle.allProcesses()) {
            return processes.filter(process -> process.info().commandLine().orElse("").contains(named)).toList();
        }
    }

    /** How many of this node's sandboxes are still running {@code seconds} from now at most (0 as soon as none is). */
    long programsRunningAfter(int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (programsRunning() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        return programsRunning();
    }

    Path workspaceOf(long jobId) throws IOException {
        try (var workspaces = Files.list(dir())) {
            return workspaces.filter(d -> d.getFileName().toString().startsWith("job-" + jobId + "-")).findFirst()
                    .orElseThrow(() -> new AssertionError("no workspace for job " + jobId));
        }
    }

    /** Every file left in any workspace: a job's input, output or download. */
    List<Path> filesLeft() throws IOException {
        try (var left = Files.walk(dir())) {
            return left.filter(Files::isRegularFile).toList();
        }
    }

    /** The workspaces' names (job-ID-...). */
    List<String> workspaces() throws IOException {
        try (var workspaces = Files.list(dir())) {
            return workspaces.map(p -> p.getFileName().toString()).toList();
        }
    }
}
