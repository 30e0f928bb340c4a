package org.datacoop.cli;

import org.datacoop.chain.Wallet;
import org.datacoop.protocol.Address;
import org.datacoop.sdk.contribute.Contributor;
import picocli.CommandLine.Mixin;

/** A {@link ChainCommand} that acts as the wallet, so it also takes the wallet's options. */
public abstract class SigningCommand extends ChainCommand {
    // a mixin of the superclass, like ChainCommand's: the subclasses declare no wallet options of their own
    @Mixin
    private WalletOptions wallet;

    /** The acting wallet, opened (a keystore asks for its password). */
    protected final Wallet signer() {
        return wallet.load(dir());
    }

    /** The acting wallet's address, without opening a keystore that names it. */
    protected final Address walletAddress() {
        return wallet.address(dir());
    }

    /** The deployment's contracts, signing as the wallet. */
    protected final ChainSession session() {
        return session(signer());
    }

    /** The deployment's contracts, signing as {@code signer}: for a command that uses its wallet too, opened once. */
    protected final ChainSession session(Wallet signer) {
        return ChainSession.open(dir(), signer);
    }

    /** The wallet as a contributor on the deployment. */
    protected final Contributor contributor() {
        return wallet.contributor(dir());
    }
}
