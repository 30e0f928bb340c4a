package org.datacoop.node.program;

import java.nio.file.Path;
import java.util.Optional;
import org.datacoop.sandbox.Bubblewrap;
import org.datacoop.sandbox.Sandbox;
import org.datacoop.sandbox.SandboxArea;
import org.datacoop.sandbox.Unsandboxed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sandbox this node's external programs run in, or why there is none.
 *
 * @param sandbox bubblewrap where this machine has it; {@link Unsandboxed} only when the operator
 *     explicitly gave up isolation; empty otherwise, and then only built-in programs run
 * @param unavailableReason why there is no sandbox, in words for the contributor whose job it fails
 */
public record ProgramSandbox(Optional<Sandbox> sandbox, String unavailableReason, SandboxArea area) {
    private static final Logger LOG = LoggerFactory.getLogger(ProgramSandbox.class);

    /** Probes this machine for a node whose files are in {@code nodeDir}. */
    public static ProgramSandbox choose(Path nodeDir, boolean unsafeNoSandbox) {
        Bubblewrap.Availability bubblewrap = Bubblewrap.probe(nodeDir);
        if (bubblewrap.sandbox().isPresent()) {
            Bubblewrap sandbox = bubblewrap.sandbox().get();
            sandbox.stopLeftovers();
            return new ProgramSandbox(Optional.of(sandbox), "", sandbox.area());
        }
        if (unsafeNoSandbox) {
            LOG.warn("no sandbox ({}): external programs run UNSANDBOXED and can read this validator's keys,"
                    + " as --unsafe-no-sandbox asks; attestations say sandbox 'none'", bubblewrap.unavailableReason());
            Sandbox none = new Unsandboxed(nodeDir);
            return new ProgramSandbox(Optional.of(none), "", none.area());
        }
        LOG.warn("no sandbox ({}): only built-in programs will run", bubblewrap.unavailableReason());
        return new ProgramSandbox(Optional.empty(), bubblewrap.unavailableReason(), SandboxArea.sameUser(nodeDir));
    }
}
