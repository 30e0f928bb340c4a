package org.datacoop.node.program;

/** A program could not judge a file; {@link #reason()} says how, the message in words a contributor reads. */
public final class ProgramException extends RuntimeException {
    /** How a program run failed. */
    public enum Reason {
        /** The program is not the one the DataDAO pinned, or cannot be loaded. */
        REFUSED,
        /** It ran past its timeout and was killed. */
        TIMED_OUT,
        /** It exited non-zero or was killed (for instance over its memory limit). */
        CRASHED,
        /** It wrote no results, or results that break the contract. */
        BAD_OUTPUT,
        /** Its input is over what it may read. */
        TOO_LARGE
    }

    private final Reason reason;

    public ProgramException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public ProgramException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
