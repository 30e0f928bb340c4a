package org.datacoop.protocol.storage;

/** A storage operation failed; {@link #reason()} says how, the message names the blob. */
public final class StorageException extends RuntimeException {
    public enum Reason {
        NOT_FOUND,
        CORRUPTED,
        TOO_LARGE,
        MALFORMED_ID,
        UNAVAILABLE
    }

    private final Reason reason;

    public StorageException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public StorageException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
