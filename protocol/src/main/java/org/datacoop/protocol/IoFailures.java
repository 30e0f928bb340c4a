package org.datacoop.protocol;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;

/**
 * An I/O failure in words, for messages that say what failed and where. The JDK's HTTP client
 * throws a {@link ConnectException} with no message at all (its causes have none either), which
 * printed as "failed: null"; this says "connection refused".
 */
public final class IoFailures {
    private IoFailures() {}

    /** Why {@code failure} happened, in a few words: never null or empty. */
    public static String describe(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            switch (cause) {
                case UnknownHostException unknown -> {
                    return "unknown host" + (unknown.getMessage() == null ? "" : " " + unknown.getMessage());
                }
                case UnresolvedAddressException unresolved -> {
                    return "unknown host";
                }
                case HttpConnectTimeoutException timeout -> {
                    return "timed out connecting";
                }
                case HttpTimeoutException timeout -> {
                    return "timed out waiting for an answer";
                }
                default -> {}
            }
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            String message = cause.getMessage();
            // a wrapper made with new IOException(cause) only repeats its cause with the class name
            boolean wrapper = cause.getCause() != null && cause.getCause().toString().equals(message);
            if (message != null && !message.isBlank() && !wrapper) {
                return message;
            }
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException) {
                return "connection refused";
            }
        }
        return failure.getClass().getSimpleName();
    }
}
