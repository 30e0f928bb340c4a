package org.datacoop.chain;

/** A chain operation failed; the message says which and why, in words a user can act on. */
public final class ChainException extends RuntimeException {
    public ChainException(String message) {
        super(message);
    }

    public ChainException(String message, Throwable cause) {
        super(message, cause);
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
