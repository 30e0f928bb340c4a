package org.datacoop.chain;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.datacoop.chain.contracts.OwnershipRegistry;
import org.datacoop.protocol.Address;
import org.web3j.abi.EventEncoder;
import org.web3j.utils.Numeric;

/**
 * The ownership registry on one chain: which owner a data hash is bound to, its licenses and its
 * delegates, and the owner's transactions. Mapped to records here and nowhere else. Data hashes are
 * {@code 0x} and 64 hex digits.
 */
public final class OwnershipChain {
    private final ChainConnection chain;
    private final OwnershipRegistry registry;
    private final long deploymentBlock;

    public OwnershipChain(ChainConnection chain, Deployment deployment) {
        this.chain = chain;
        this.deploymentBlock = deployment.deploymentBlock();
        this.registry = OwnershipRegistry.load(deployment.address(Deployment.OWNERSHIP_REGISTRY).value(), chain.web3j(),
                chain.transactions(), chain.gas());
    }

    /** What a license lets its grantee do; a license's scope is a set of them (a bitmask on-chain). */
    public enum Scope {
        QUERY(1),
        COMPUTE(2),
        TRAINING(4);

        private final int bit;

        Scope(int bit) {
            this.bit = bit;
        }

        /** What a compute task needs of data with terms: {@code training} if its algorithm may train a model. */
        public static Scope ofTask(boolean mayTrain) {
            return mayTrain ? TRAINING : COMPUTE;
        }

        /** The scope's name as the CLI spells it. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        static int mask(Set<Scope> scopes) {
            return scopes.stream().mapToInt(scope -> scope.bit).reduce(0, (a, b) -> a | b);
        }

        static Set<Scope> of(int mask) {
            Set<Scope> scopes = EnumSet.noneOf(Scope.class);
            for (Scope scope : values()) {
                if ((mask & scope.bit) != 0) {
                    scopes.add(scope);
                }
            }
            return scopes;
        }
    }

    /**
     * A data hash's binding with its current owner.
     *
     * @param boundAt the enclave's time of binding, in seconds since the epoch
     * @param validator the validator whose enclave signed it
     */
    public record Binding(String dataHash, Address owner, long fileId, long boundAt, Address validator) {}

    /**
     * What an owner grants.
     *
     * @param expiresAt when it stops granting, in seconds since the epoch; 0: never
     * @param price what the grantee pays, in wei, once before the license grants; 0: free
     */
    public record LicenseTerms(Address grantee, String termsHash, String termsUrl, Set<Scope> scope, long expiresAt,
            BigInteger price) {
        public LicenseTerms {
            if (scope.isEmpty()) {
                throw new IllegalArgumentException("a license grants at least one of query, compute and training");
            }
            scope = Set.copyOf(scope);
        }
    }

    /**
     * A license as recorded; {@code paid} from its grant when free, else once its price was paid;
     * {@code active} when it grants now (paid, neither revoked nor expired).
     */
    public record License(long licenseId, String dataHash, Address grantedBy, boolean revoked, boolean paid,
            boolean active, LicenseTerms terms) {
        /** Whether it was bought: priced and paid, so its owner can no longer revoke it. */
        public boolean bought() {
            return paid && terms.price().signum() > 0;
        }
    }

    /**
     * The terms an owner set on its data: while set, the query and compute paths serve it only to
     * holders of an active license of the matching scope.
     *
     * @param setAt when they were set, in seconds since the epoch
     */
    public record Terms(String termsHash, String termsUrl, long setAt, Address setBy) {}

    /**
     * What the query and compute paths need to know of the registry, as events: which file a hash
     * was bound for, the terms set and cleared, and the licenses granted, paid and revoked.
     */
    public sealed interface AccessEvent {
        record Bound(String dataHash, long fileId) implements AccessEvent {}

        record TermsSet(String dataHash, String termsUrl) implements AccessEvent {}

        record TermsCleared(String dataHash) implements AccessEvent {}

        /**
         * @param expiresAt in seconds since the epoch; 0: never
         * @param free whether it grants from now on; a priced one grants from its {@link LicensePaid}
         */
        record LicenseGranted(long licenseId, String dataHash, Address grantee, Set<Scope> scope, long expiresAt,
                boolean free) implements AccessEvent {}

        record LicensePaid(long licenseId) implements AccessEvent {}

        record LicenseRevoked(long licenseId) implements AccessEvent {}
    }

    /** The block the registry was deployed in: none of its events is older. */
    public long deploymentBlock() {
        return deploymentBlock;
    }

    /**
     * Every {@link AccessEvent} in blocks {@code fromBlock..toBlock}, oldest first: one
     * {@code eth_getLogs} call per {@link BlockRange#MAX_BLOCKS} blocks, however many there are.
     */
    public List<AccessEvent> accessEvents(long fromBlock, long toBlock) {
        String bound = EventEncoder.encode(OwnershipRegistry.DATABOUND_EVENT);
        String termsSet = EventEncoder.encode(OwnershipRegistry.TERMSSET_EVENT);
        String termsCleared = EventEncoder.encode(OwnershipRegistry.TERMSCLEARED_EVENT);
        String granted = EventEncoder.encode(OwnershipRegistry.LICENSEGRANTED_EVENT);
        String paid = EventEncoder.encode(OwnershipRegistry.LICENSEPAID_EVENT);
        String revoked = EventEncoder.encode(OwnershipRegistry.LICENSEREVOKED_EVENT);
        List<AccessEvent> events = new ArrayList<>();
        for (var log : Calls.logs(chain, registry.getContractAddress(), fromBlock, toBlock,
                filter -> filter.addOptionalTopics(bound, termsSet, termsCleared, granted, paid, revoked),
                "reading ownership events")) {
            String topic = log.getTopics().get(0);
            if (topic.equals(bound)) {
                var e = OwnershipRegistry.getDataBoundEventFromLog(log);
                events.add(new AccessEvent.Bound(Numeric.toHexString(e.dataHash), e.fileId.longValueExact()));
            } else if (topic.equals(termsSet)) {
                var e = OwnershipRegistry.getTermsSetEventFromLog(log);
                events.add(new AccessEvent.TermsSet(Numeric.toHexString(e.dataHash), e.termsUrl));
            } else if (topic.equals(termsCleared)) {
                events.add(new AccessEvent.TermsCleared(
                        Numeric.toHexString(OwnershipRegistry.getTermsClearedEventFromLog(log).dataHash)));
            } else if (topic.equals(granted)) {
                var e = OwnershipRegistry.getLicenseGrantedEventFromLog(log);
                events.add(new AccessEvent.LicenseGranted(e.licenseId.longValueExact(), Numeric.toHexString(e.dataHash),
                        Address.of(e.grantee), Scope.of(e.scope.intValueExact()), e.expiresAt.longValueExact(),
                        e.price.signum() == 0));
            } else if (topic.equals(paid)) {
                events.add(new AccessEvent.LicensePaid(
                        OwnershipRegistry.getLicensePaidEventFromLog(log).licenseId.longValueExact()));
            } else {
                events.add(new AccessEvent.LicenseRevoked(
                        OwnershipRegistry.getLicenseRevokedEventFromLog(log).licenseId.longValueExact()));
            }
        }
        return events;
    }

    /** A data hash changed hands, in block {@code block}. */
    public record Transfer(long block, String dataHash, Address from, Address to) {}

    /** Every transfer in blocks {@code fromBlock..toBlock}, oldest first. */
    public List<Transfer> transfers(long fromBlock, long toBlock) {
        String transferred = EventEncoder.encode(OwnershipRegistry.DATATRANSFERRED_EVENT);
        return Calls.logs(chain, registry.getContractAddress(), fromBlock, toBlock,
                        filter -> filter.addSingleTopic(transferred), "reading ownership transfers").stream()
                .map(log -> {
                    var e = OwnershipRegistry.getDataTransferredEventFromLog(log);
                    return new Transfer(log.getBlockNumber().longValueExact(), Numeric.toHexString(e.dataHash),
                            Address.of(e.from), Address.of(e.to));
                })
                .toList();
    }

    /** The digest an enclave signs to bind {@code dataHash} (32 bytes) to {@code owner} for {@code fileId}. */
    public byte[] bindingDigest(byte[] dataHash, Address owner, long fileId, long boundAtSeconds) {
        return DataBindingDigest.of(chain.chainId(), registry.getContractAddress(), dataHash, owner, fileId,
                boundAtSeconds);
    }

    /** Records a binding an enclave signed; anyone may send it. Returns the transaction hash. */
    public String bind(byte[] dataHash, Address owner, long fileId, long boundAtSeconds, byte[] signature) {
        return Calls.send("binding file " + fileId + "'s data to " + owner.value(), registry.bind(dataHash, owner.value(),
                        BigInteger.valueOf(fileId), BigInteger.valueOf(boundAtSeconds), signature))
                .getTransactionHash();
    }

    /** The hash bound for {@code fileId}, if one was. */
    public Optional<String> hashOfFile(long fileId) {
        byte[] hash = Calls.send("reading the data hash of file " + fileId, registry.hashOfFile(BigInteger.valueOf(fileId)));
        return new BigInteger(1, hash).signum() == 0 ? Optional.empty() : Optional.of(Numeric.toHexString(hash));
    }

    /** The binding of {@code dataHash}, if it was bound. */
    public Optional<Binding> binding(String dataHash) {
        OwnershipRegistry.Binding b = Calls.send("reading the binding of " + dataHash, registry.bindingOf(bytes32(dataHash)));
        Address owner = Address.of(b.owner);
        return owner.isZero() ? Optional.empty() : Optional.of(new Binding(dataHash, owner, b.fileId.longValueExact(),
                b.boundAt.longValueExact(), Address.of(b.validator)));
    }

    /** Every license ever granted over {@code dataHash}, oldest first. */
    public List<License> licenses(String dataHash) {
        @SuppressWarnings("unchecked")
        List<OwnershipRegistry.License> licenses =
                Calls.send("reading the licenses of " + dataHash, registry.licensesOf(bytes32(dataHash)));
        return licenses.stream().map(this::license).toList();
    }

    /** License {@code licenseId}, if it exists. */
    public Optional<License> license(long licenseId) {
        BigInteger count = Calls.send("counting the licenses", registry.licensesCount());
        if (licenseId < 1 || BigInteger.valueOf(licenseId).compareTo(count) > 0) {
            return Optional.empty();
        }
        return Optional.of(license(Calls.send("reading license " + licenseId,
                registry.licenseRecord(BigInteger.valueOf(licenseId)))));
    }

    /** Whether {@code grantee} holds a license over {@code dataHash} active now that covers all of {@code scope}. */
    public boolean hasActiveLicense(String dataHash, Address grantee, Set<Scope> scope) {
        return Calls.send("reading whether " + grantee.value() + " is licensed", registry.hasActiveLicense(
                bytes32(dataHash), grantee.value(), BigInteger.valueOf(Scope.mask(scope))));
    }

    /** The current owner's delegates for {@code dataHash}. */
    public List<Address> delegates(String dataHash) {
        @SuppressWarnings("unchecked")
        List<String> delegates = Calls.send("reading the delegates of " + dataHash, registry.delegatesOf(bytes32(dataHash)));
        return delegates.stream().map(Address::of).toList();
    }

    /** Whether {@code account} is a delegate of {@code dataHash}'s current owner. */
    public boolean isDelegate(String dataHash, Address account) {
        return Calls.send("reading whether " + account.value() + " is a delegate",
                registry.isDelegate(bytes32(dataHash), account.value()));
    }

    /** Makes {@code to} the owner of {@code dataHash}; returns the transaction hash. */
    public String transfer(String dataHash, Address to) {
        return Calls.send("transferring " + dataHash + " to " + to.value(), registry.transfer(bytes32(dataHash), to.value()))
                .getTransactionHash();
    }

    /** Grants a license over {@code dataHash}; returns the new license's id. */
    public long grantLicense(String dataHash, LicenseTerms terms) {
        var receipt = Calls.send("licensing " + dataHash + " to " + terms.grantee().value(), registry.grantLicense(
                bytes32(dataHash), new OwnershipRegistry.LicenseTerms(terms.grantee().value(), bytes32(terms.termsHash()),
                        terms.termsUrl(), BigInteger.valueOf(Scope.mask(terms.scope())),
                        BigInteger.valueOf(terms.expiresAt()), terms.price())));
        var granted = OwnershipRegistry.getLicenseGrantedEvents(receipt);
        if (granted.size() != 1) {
            throw new ChainException("licensing " + dataHash + " emitted " + granted.size()
                    + " LicenseGranted events; expected one");
        }
        return granted.get(0).licenseId.longValueExact();
    }

    /** Revokes license {@code licenseId}; returns the transaction hash. */
    public String revokeLicense(long licenseId) {
        return Calls.send("revoking license " + licenseId, registry.revokeLicense(BigInteger.valueOf(licenseId)))
                .getTransactionHash();
    }

    /** Pays license {@code licenseId}'s price, {@code price} wei, so that it grants; returns the transaction hash. */
    public String payLicense(long licenseId, BigInteger price) {
        return Calls.send("paying for license " + licenseId, registry.payLicense(BigInteger.valueOf(licenseId), price))
                .getTransactionHash();
    }

    /** What license payments credited to {@code account} and it has not withdrawn, in wei. */
    public BigInteger earnings(Address account) {
        return Calls.send("reading the license earnings of " + account.value(), registry.earningsOf(account.value()));
    }

    /** Sends {@code to} this account's license earnings; returns the transaction hash. */
    public String withdrawEarnings(Address to) {
        return Calls.send("withdrawing license earnings to " + to.value(), registry.withdrawEarnings(to.value()))
                .getTransactionHash();
    }

    /** The terms set on {@code dataHash}, if any are. */
    public Optional<Terms> terms(String dataHash) {
        OwnershipRegistry.Terms t = Calls.send("reading the terms of " + dataHash, registry.termsOf(bytes32(dataHash)));
        return t.setAt.signum() == 0 ? Optional.empty() : Optional.of(new Terms(Numeric.toHexString(t.termsHash),
                t.termsUrl, t.setAt.longValueExact(), Address.of(t.setBy)));
    }

    /** Sets (or replaces) the terms of {@code dataHash}; returns the transaction hash. */
    public String setTerms(String dataHash, String termsHash, String termsUrl) {
        return Calls.send("setting the terms of " + dataHash, registry.setTerms(bytes32(dataHash), bytes32(termsHash),
                termsUrl)).getTransactionHash();
    }

    /** Clears the terms of {@code dataHash}; returns the transaction hash. */
    public String clearTerms(String dataHash) {
        return Calls.send("clearing the terms of " + dataHash, registry.clearTerms(bytes32(dataHash))).getTransactionHash();
    }

    /** Appoints {@code operator} a delegate for {@code dataHash}; returns the transaction hash. */
    public String delegate(String dataHash, Address operator) {
        return Calls.send("appointing " + operator.value() + " a delegate for " + dataHash,
                registry.delegate(bytes32(dataHash), operator.value())).getTransactionHash();
    }

    /** Dismisses delegate {@code operator} of {@code dataHash}; returns the transaction hash. */
    public String undelegate(String dataHash, Address operator) {
        return Calls.send("dismissing delegate " + operator.value() + " of " + dataHash,
                registry.undelegate(bytes32(dataHash), operator.value())).getTransactionHash();
    }

    /** The account transactions are sent from. */
    public Address account() {
        return chain.account();
    }

    private License license(OwnershipRegistry.License l) {
        OwnershipRegistry.LicenseTerms t = l.terms;
        // As the chain's clock has it, not this machine's.
        boolean active = Calls.send("reading whether license " + l.licenseId + " is active",
                registry.isLicenseActive(l.licenseId));
        return new License(l.licenseId.longValueExact(), Numeric.toHexString(l.dataHash), Address.of(l.grantedBy), l.revoked,
                l.paid, active, new LicenseTerms(Address.of(t.grantee), Numeric.toHexString(t.termsHash), t.termsUrl,
                        Scope.of(t.scope.intValueExact()), t.expiresAt.longValueExact(), t.price));
    }

    private static byte[] bytes32(String hex) {
        return ComputeChain.bytes32(hex);
    }
}
