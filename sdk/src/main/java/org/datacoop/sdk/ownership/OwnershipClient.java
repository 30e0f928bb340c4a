package org.datacoop.sdk.ownership;

import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import org.datacoop.chain.ChainException;
import org.datacoop.chain.DataCoopChain;
import org.datacoop.chain.OwnershipChain;
import org.datacoop.chain.OwnershipChain.Binding;
import org.datacoop.chain.OwnershipChain.License;
import org.datacoop.chain.OwnershipChain.LicenseTerms;
import org.datacoop.chain.OwnershipChain.Terms;
import org.datacoop.protocol.Address;

/**
 * An owner's side of the ownership registry, by file id: who owns a file's data (bound by the validator
 * that proved it), its licenses and delegates, and the owner's transactions on it. Each transaction is
 * checked first against what the registry holds, so a refusal names what is wrong (an unknown file, a
 * caller who is not the owner) and nothing is sent; the registry checks again and refuses by name.
 */
public final class OwnershipClient {
    private final DataCoopChain chain;
    private final OwnershipChain ownership;

    /** Signs as {@code chain}'s account. */
    public OwnershipClient(DataCoopChain chain) {
        this.chain = chain;
        this.ownership = chain.ownership();
    }

    /** The connected account may not do what it asked: it is neither the owner nor, where that suffices, a delegate. */
    public static final class NotAllowed extends RuntimeException {
        NotAllowed(String message) {
            super(message);
        }
    }

    /**
     * A file's data and who may do what with it.
     *
     * @param binding its hash, current owner, the time it was bound and the validator that bound it
     * @param licenses every license granted over it, oldest first, each saying whether it grants now
     * @param delegates the current owner's delegates
     * @param terms the terms its owner set, if any: then only licensed grantees may query or compute over it
     */
    public record FileOwnership(long fileId, Binding binding, List<License> licenses, List<Address> delegates,
            Optional<Terms> terms) {
        public String dataHash() {
            return binding.dataHash();
        }

        public Address owner() {
            return binding.owner();
        }
    }

    /** File {@code fileId}'s ownership; fails naming the file when it is unknown or its data was never bound. */
    public FileOwnership show(long fileId) {
        Binding binding = binding(fileId);
        return new FileOwnership(fileId, binding, ownership.licenses(binding.dataHash()),
                ownership.delegates(binding.dataHash()), ownership.terms(binding.dataHash()));
    }

    /**
     * Sets (or replaces) the terms of file {@code fileId}'s data; its owner or a delegate. From then on
     * only grantees with an active license of the matching scope may query or compute over it.
     * Returns the transaction hash.
     */
    public String setTerms(long fileId, String termsHash, String termsUrl) {
        if (termsUrl.isBlank()) {
            throw new IllegalArgumentException("terms need a url where they can be read");
        }
        return ownership.setTerms(ownedOrDelegated(fileId, "set terms on").dataHash(), termsHash, termsUrl);
    }

    /** Clears the terms of file {@code fileId}'s data; its owner or a delegate. Returns the transaction hash. */
    public String clearTerms(long fileId) {
        Binding binding = ownedOrDelegated(fileId, "clear the terms of");
        if (ownership.terms(binding.dataHash()).isEmpty()) {
            throw new IllegalArgumentException("file " + fileId + "'s data has no terms to clear");
        }
        return ownership.clearTerms(binding.dataHash());
    }

    /** Makes {@code to} the owner of file {@code fileId}'s data; its owner or a delegate. Returns the transaction hash. */
    public String transfer(long fileId, Address to) {
        if (to.isZero()) {
            throw new IllegalArgumentException("cannot transfer file " + fileId + "'s data to the zero address");
        }
        Binding binding = ownedOrDelegated(fileId, "transfer");
        if (binding.owner().equals(to)) {
            throw new IllegalArgumentException(to.value() + " already owns file " + fileId + "'s data");
        }
        return ownership.transfer(binding.dataHash(), to);
    }

    /** Licenses file {@code fileId}'s data on {@code terms}; its owner or a delegate. Returns the license's id. */
    public long license(long fileId, LicenseTerms terms) {
        if (terms.grantee().isZero()) {
            throw new IllegalArgumentException("cannot license file " + fileId + "'s data to the zero address");
        }
        return ownership.grantLicense(ownedOrDelegated(fileId, "license").dataHash(), terms);
    }

    /** Revokes license {@code licenseId}; the owner of its data or a delegate. Returns the transaction hash. */
    public String revoke(long licenseId) {
        License license = ownership.license(licenseId)
                .orElseThrow(() -> ChainException.notFound("there is no license " + licenseId));
        if (license.revoked()) {
            throw new IllegalArgumentException("license " + licenseId + " is already revoked");
        }
        if (license.bought()) {
            throw new IllegalArgumentException("license " + licenseId + " was bought (" + license.terms().price()
                    + " wei paid): it stands until it expires and cannot be revoked");
        }
        Binding binding = ownership.binding(license.dataHash()).orElseThrow();
        requireOwnerOrDelegate(binding, "license " + licenseId + "'s data", "revoke it");
        return ownership.revokeLicense(licenseId);
    }

    /** A license paid for: what was paid, to whom (the data's owner then), in which transaction. */
    public record Payment(long licenseId, BigInteger price, Address payee, String txHash) {}

    /**
     * Pays license {@code licenseId}'s price so that it grants its grantee; anyone may pay for the
     * grantee. Refused by name, with nothing sent, for an unknown, free, already paid, revoked or
     * expired license.
     */
    public Payment pay(long licenseId) {
        License license = ownership.license(licenseId)
                .orElseThrow(() -> ChainException.notFound("there is no license " + licenseId));
        if (license.paid()) {
            throw new IllegalArgumentException("license " + licenseId + (license.terms().price().signum() == 0
                    ? " is free: there is nothing to pay" : " is already paid for"));
        }
        if (license.revoked()) {
            throw new IllegalArgumentException("license " + licenseId + " was revoked: it can no longer be paid for");
        }
        long expiresAt = license.terms().expiresAt();
        if (expiresAt != 0 && chain.latestBlockSeconds() >= expiresAt) {
            throw new IllegalArgumentException("license " + licenseId + " expired: it can no longer be paid for");
        }
        Address payee = ownership.binding(license.dataHash()).orElseThrow().owner();
        return new Payment(licenseId, license.terms().price(), payee, ownership.payLicense(licenseId, license.terms().price()));
    }

    /** What license payments credited to {@code account} and it has not withdrawn, in wei. */
    public BigInteger earnings(Address account) {
        return ownership.earnings(account);
    }

    /** Withdrawn license earnings: how much, in which transaction. */
    public record Withdrawal(BigInteger amount, String txHash) {}

    /** Sends the connected account its license earnings; refused by name when there are none. */
    public Withdrawal withdraw() {
        BigInteger amount = ownership.earnings(ownership.account());
        if (amount.signum() == 0) {
            throw new IllegalArgumentException(ownership.account().value() + " has no license earnings to withdraw");
        }
        return new Withdrawal(amount, ownership.withdrawEarnings());
    }

    /** Lets {@code operator} transfer and license file {@code fileId}'s data; its owner only. Returns the transaction hash. */
    public String delegate(long fileId, Address operator) {
        if (operator.isZero()) {
            throw new IllegalArgumentException("the zero address cannot be a delegate");
        }
        Binding binding = owned(fileId, "appoint a delegate for it");
        if (ownership.isDelegate(binding.dataHash(), operator)) {
            throw new IllegalArgumentException(operator.value() + " is already a delegate for file " + fileId + "'s data");
        }
        return ownership.delegate(binding.dataHash(), operator);
    }

    /** Dismisses delegate {@code operator} of file {@code fileId}'s data; its owner only. Returns the transaction hash. */
    public String undelegate(long fileId, Address operator) {
        Binding binding = owned(fileId, "dismiss its delegates");
        if (!ownership.isDelegate(binding.dataHash(), operator)) {
            throw new IllegalArgumentException(operator.value() + " is not a delegate for file " + fileId + "'s data");
        }
        return ownership.undelegate(binding.dataHash(), operator);
    }

    private Binding binding(long fileId) {
        chain.file(fileId); // fails naming an unknown file
        String hash = ownership.hashOfFile(fileId).orElseThrow(() -> ChainException.notFound("file " + fileId
                + "'s data is bound to no owner yet: a validator binds it when it proves the file valid"));
        return ownership.binding(hash).orElseThrow();
    }

    private Binding owned(long fileId, String action) {
        Binding binding = binding(fileId);
        if (!binding.owner().equals(ownership.account())) {
            throw new NotAllowed(ownership.account().value() + " is not the owner of file " + fileId + "'s data ("
                    + binding.owner().value() + " is), so it cannot " + action);
        }
        return binding;
    }

    private Binding ownedOrDelegated(long fileId, String action) {
        Binding binding = binding(fileId);
        requireOwnerOrDelegate(binding, "file " + fileId + "'s data", action + " it");
        return binding;
    }

    private void requireOwnerOrDelegate(Binding binding, String what, String action) {
        Address caller = ownership.account();
        if (!binding.owner().equals(caller) && !ownership.isDelegate(binding.dataHash(), caller)) {
            throw new NotAllowed(caller.value() + " is neither the owner of " + what + " (" + binding.owner().value()
                    + " is) nor one of its delegates, so it cannot " + action);
        }
    }
}
