package org.datacoop.cli;

/** A command's failure whose {@link ErrorCode} the command knows better than the exception's type would tell. */
final class CoopException extends RuntimeException {
    private final ErrorCode code;

    CoopException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    ErrorCode code() {
        return code;
    }
}
