package org.datacoop.chain;

/** A chain operation failed; the message says which and why, in words a user can act on. */
public final class ChainException extends RuntimeException {
    private final boolean notFound;

    public ChainException(String message) {
        this(message, null, false);
    }

    public ChainException(String message, Throwable cause) {
        this(message, cause, false);
    }

    private ChainException(String message, Throwable cause, boolean notFound) {
        super(message, cause);
        this.notFound = notFound;
    }

    /** What was asked for does not exist (a job, file, DataDAO, ... by id, a wallet or deployment file). */
    public static ChainException notFound(String message) {
        return new ChainException(message, null, true);
    }

    /** Whether this says that something asked for does not exist, for callers that tell that apart. */
    public boolean isNotFound() {
        return notFound;
    }

    /**
     * Whether the node could not be reached (an I/O failure: try again later), as opposed to the
     * chain refusing the call (a revert, which trying again will not change).
     */
    public boolean isUnreachable() {
        for (Throwable cause = getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof java.io.IOException) {
                return true;
            }
        }
        return false;
    }
}
