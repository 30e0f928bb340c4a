package org.datacoop.query;

/** A refinement or query that cannot go on, with what went wrong in words a caller can act on. */
public final class QueryException extends RuntimeException {
    /** What kind of failure, so a service can answer each with its own status. */
    public enum Code {
        /** The refiner definition or the refined data is malformed. */
        BAD_REFINER,
        /** The input file does not fit the refiner. */
        BAD_INPUT,
        /** The SQL does not parse. */
        PARSE,
        /** The SQL uses something the engine does not run (named in the message). */
        UNSUPPORTED,
        /** A table or column that does not exist. */
        UNKNOWN_NAME,
        /** A table or column the caller holds no usable permission for. */
        NO_PERMISSION,
        /** The query would single out fewer contributors than the DataDAO allows. */
        GROUP_TOO_SMALL,
        /**
         * The query would return nothing (no row matched, or every group fell below the minimum group
         * size), so it is not charged.
         */
        NOTHING_RELEASED,
        /** The result is larger than the service returns. */
        TOO_LARGE,
        /** DuckDB refused or failed to run it. */
        EXECUTION,
        /** The QueryEngine refused to charge it, so its result was not released. */
        CHARGE_REFUSED
    }

    private final Code code;

    public QueryException(Code code, String message) {
        super(message);
        this.code = code;
    }

    public QueryException(Code code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public Code code() {
        return code;
    }
}
