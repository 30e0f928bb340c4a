package org.datacoop.node.job;

/** A job cannot go on; the message is the reason recorded on-chain, so it names what is wrong and holds no secret. */
final class JobFailure extends RuntimeException {
    JobFailure(String reason) {
        super(reason);
    }

    JobFailure(String reason, Throwable cause) {
        super(reason, cause);
    }
}
