package org.datacoop.chain;

import org.datacoop.protocol.IoFailures;
import org.web3j.protocol.core.RemoteCall;

/** Runs web3j calls, whose {@code send()} declares {@code Exception}, as one named failure. */
final class Calls {
    private Calls() {}

    static <T> T send(String what, RemoteCall<T> call) {
        try {
            return call.send();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChainException(what + " was interrupted", e);
        } catch (Exception e) {
            throw new ChainException(what + " failed: " + IoFailures.describe(e), e);
        }
    }
}
