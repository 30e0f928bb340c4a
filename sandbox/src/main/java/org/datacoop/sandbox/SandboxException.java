package org.datacoop.sandbox;

/** A sandboxed run that did not end with an exit code of its own choosing, with the reason in words. */
public final class SandboxException extends RuntimeException {
    /** What went wrong, so callers can tell the program's fault from the node's. */
    public enum Reason {
        /** The sandbox could not be set up or the program could not be started (the node's side). */
        UNAVAILABLE,
        /** It ran past its time limit and was stopped. */
        TIMED_OUT,
        /** It wrote more to {@code /output} than its limit allows. */
        OUTPUT_TOO_LARGE,
        /** It left a link or a device in {@code /output}, which the node would follow outside the sandbox. */
        UNSAFE_OUTPUT
    }

    private final Reason reason;

    public SandboxException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public SandboxException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
