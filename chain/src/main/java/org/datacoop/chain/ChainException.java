package org.datacoop.chain;

/** A chain operation failed; the message says which and why, in words a user can act on. */
public final class ChainException extends RuntimeException {
    public ChainException(String message) {
        super(message);
    }

    public ChainException(String message, Throwable cause) {
        super(message, cause);
    }
}
