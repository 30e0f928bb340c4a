package org.datacoop.compute;

/** A task that cannot run or did not finish, with the reason in words naming what is wrong. */
public final class ComputeException extends RuntimeException {
    /** Whose fault it is, so the worker can fail a task with the right reason (the requester's, the algorithm's, or the node's). */
    public enum Reason {
        /** The params are not valid for the algorithm: a missing or non-numeric column, a value out of bounds. */
        INVALID_PARAMS,
        /** The selected rows cannot be used: no rows, a NULL, NaN or infinite value where a number is needed. */
        INVALID_DATA,
        /** The model given to inference or evaluation is malformed, for another algorithm, or for other features. */
        INVALID_MODEL,
        /** The algorithm ran but failed: training diverged, an external program exited non-zero or broke a limit. */
        ALGORITHM_FAILED,
        /** The node could not run it: no sandbox, an I/O failure on its own disk. */
        UNAVAILABLE
    }

    private final Reason reason;

    public ComputeException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public ComputeException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
