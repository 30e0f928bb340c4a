package org.datacoop.protocol.crypto;

/** A cryptographic operation refused its input; {@link #reason()} says which way, the message in words. */
public final class CryptoException extends RuntimeException {
    /** Why an operation failed, for callers that act on it. */
    public enum Reason {
        NOT_OPENPGP,
        NOT_PASSWORD_ENCRYPTED,
        WRONG_PASSWORD,
        TAMPERED,
        NO_INTEGRITY_PROTECTION,
        WRONG_KEY_OR_TAMPERED,
        MALFORMED_KEY,
        TOO_LARGE,
        IO
    }

    private final Reason reason;

    public CryptoException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public CryptoException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
