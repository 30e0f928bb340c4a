package org.datacoop.zk;

/** A value, a circuit or the prover refused, with a message naming what is wrong. */
public final class ZkException extends RuntimeException {
    public ZkException(String message) {
        super(message);
    }

    public ZkException(String message, Throwable cause) {
        super(message, cause);
    }
}
