package org.datacoop.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.util.Locale;
import org.datacoop.chain.ChainException;
import org.datacoop.node.program.ProgramException;
import org.datacoop.protocol.crypto.CryptoException;
import org.datacoop.protocol.storage.StorageException;
import org.datacoop.query.QueryException;
import org.datacoop.sdk.claim.ClaimClient;
import org.datacoop.sdk.ownership.OwnershipClient;
import org.datacoop.sdk.union.UnionClient;
import picocli.CommandLine.ParameterException;

/**
 * The stable machine codes of a failed command, the {@code code} of its JSON error (see
 * {@link JsonOption}); a script branches on them, so a code is never renamed, only added.
 */
enum ErrorCode {
    /** The command line or an input is wrong: a malformed value, a definition that does not check, a wrong password. */
    BAD_INPUT,
    /** What was named does not exist: a job, file, DataDAO, table, wallet, deployment or local file. */
    NOT_FOUND,
    /** The request is understood and refused: a job in the wrong state, another's job, no permission. */
    REFUSED,
    /** A service did not answer: the chain's RPC node, the storage gateway, a validator. Trying later may work. */
    UNREACHABLE,
    /** The chain answered and the operation failed there (a revert, a transaction that failed). */
    CHAIN,
    /** A local file could not be read or written. */
    IO,
    /** Anything else: a bug in coop, whose stack trace goes to stderr. */
    INTERNAL;

    /** The code as JSON shows it: {@code bad_input}, {@code not_found}, ... */
    String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The code of failure {@code e}: the one place that decides it for every command. */
    static ErrorCode of(Throwable e) {
        return switch (e) {
            case CoopException known -> known.code();
            case ParameterException usage -> BAD_INPUT;
            case OwnershipClient.NotAllowed notOwner -> REFUSED;
            case UnionClient.NotAllowed notOwner -> REFUSED;
            case ClaimClient.ClaimRefused refused -> switch (refused.status()) {
                case 400 -> BAD_INPUT;
                case 404 -> NOT_FOUND;
                case 503 -> UNREACHABLE;
                default -> REFUSED;
            };
            case ChainException chain when chain.isNotFound() -> NOT_FOUND;
            case ChainException chain when chain.isUnreachable() -> UNREACHABLE;
            case ChainException chain -> CHAIN;
            case StorageException storage -> switch (storage.reason()) {
                case NOT_FOUND -> NOT_FOUND;
                case UNAVAILABLE -> UNREACHABLE;
                case MALFORMED_ID -> BAD_INPUT;
                case TOO_LARGE, CORRUPTED -> REFUSED;
            };
            case CryptoException crypto -> crypto.reason() == CryptoException.Reason.IO ? IO : BAD_INPUT;
            // the CLI runs a program only to check a DataDAO's definition before creating it
            case ProgramException program -> BAD_INPUT;
            case QueryException query -> switch (query.code()) {
                case BAD_REFINER, BAD_INPUT, PARSE, UNSUPPORTED -> BAD_INPUT;
                case UNKNOWN_NAME -> NOT_FOUND;
                case NO_PERMISSION, GROUP_TOO_SMALL, NOTHING_RELEASED, TOO_LARGE, EXECUTION, CHARGE_REFUSED -> REFUSED;
            };
            case IllegalArgumentException bad -> BAD_INPUT;
            case NoSuchFileException missing -> NOT_FOUND;
            case IOException io -> IO;
            case UncheckedIOException io -> of(io.getCause());
            default -> INTERNAL;
        };
    }

    /** What failed, in words: the exception's message, or for a bug with none, what was thrown. */
    static String message(Throwable e) {
        return switch (e) {
            case NoSuchFileException missing -> "no such file: " + missing.getMessage();
            case UncheckedIOException io when io.getCause() instanceof NoSuchFileException missing -> message(missing);
            default -> e.getMessage() != null ? e.getMessage() : e.toString();
        };
    }
}
