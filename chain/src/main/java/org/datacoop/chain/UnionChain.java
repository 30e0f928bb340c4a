package org.datacoop.chain;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.datacoop.chain.contracts.DataUnions;
import org.datacoop.chain.contracts.OperatorTemplates;
import org.datacoop.protocol.Address;
import org.datacoop.protocol.union.Constraint;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * Operator templates and data unions on one chain: templates, leaves and their terms, unions and algorithm
 * assets, consents, and their events. Mapped to records here and nowhere else; hashes are {@code 0x} and 64
 * hex digits, asset and template ids count from 1.
 */
public final class UnionChain {
    private final ChainConnection chain;
    private final OperatorTemplates templates;
    private final DataUnions unions;
    private final long deploymentBlock;

    public UnionChain(ChainConnection chain, Deployment deployment) {
        this.chain = chain;
        this.deploymentBlock = deployment.deploymentBlock();
        this.templates = OperatorTemplates.load(deployment.address(Deployment.OPERATOR_TEMPLATES).value(), chain.web3j(),
                chain.transactions(), chain.gas());
        this.unions = DataUnions.load(deployment.address(Deployment.DATA_UNIONS).value(), chain.web3j(),
                chain.transactions(), chain.gas());
    }

    /** What a template's digest pins. */
    public enum TemplateKind {
        ALGORITHM,
        QUERY,
        FEDERATED;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What an asset is: a file's data, a DataDAO's table, a union, or a terminal algorithm asset. */
    public enum AssetKind {
        FILE,
        TABLE,
        UNION,
        ALGORITHM;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        public boolean isLeaf() {
            return this == FILE || this == TABLE;
        }

        static AssetKind of(BigInteger onChain) {
            // 0 is NONE on-chain, never a recorded asset's kind
            return values()[onChain.intValueExact() - 1];
        }
    }

    /** @param params the parameters' names, in the order constraints and values follow */
    public record Template(long templateId, TemplateKind kind, String codeDigest, String name, List<String> params,
            Address registeredBy) {}

    /**
     * An asset as recorded.
     *
     * @param dataHash a file leaf's data hash; empty otherwise
     * @param refinerId a table leaf's refiner; 0 otherwise
     * @param table a table leaf's table; empty otherwise
     * @param templateId a union's template; 0 for a leaf
     * @param children a union's children, in order
     * @param termsHash a union's terms hash; empty for a leaf
     * @param activatedAt when a union was activated, in seconds since the epoch; 0: never
     */
    public record Asset(long assetId, AssetKind kind, Address creator, String dataHash, long refinerId, String table,
            long templateId, List<Long> children, int slots, int depth, String termsHash, BigInteger price,
            long activatedAt) {}

    /** A leaf's terms for one template; {@code setAt} 0 when it does not permit it. */
    public record Terms(long templateId, List<Constraint> constraints, BigInteger price, String termsHash, long setAt,
            Address setBy) {}

    /** A consent as recorded: for the child's terms hash {@code termsHash}; empty when none stands. */
    public record Consent(String termsHash, Address by, long at) {
        public boolean given() {
            return !termsHash.isEmpty();
        }
    }

    /** A job start's answer: the asset's terms hash and its price with every child's, in wei. */
    public record Authorization(String termsHash, BigInteger price) {}

    /** Every state change of the union registry, as its events say, with the block it happened in. */
    public sealed interface UnionEvent {
        long block();

        long assetId();

        record LeafRegistered(long block, long assetId, AssetKind kind, String dataHash, long refinerId, String table,
                Address owner) implements UnionEvent {}

        record TermsSet(long block, long assetId, long templateId, String termsHash, BigInteger price, Address by)
                implements UnionEvent {}

        record TermsCleared(long block, long assetId, long templateId, Address by) implements UnionEvent {}

        record UnionCreated(long block, long assetId, AssetKind kind, long templateId, List<Long> children,
                String termsHash, BigInteger price, Address creator) implements UnionEvent {}

        record ConsentGranted(long block, long assetId, long childId, int childIndex, String termsHash, Address by)
                implements UnionEvent {}

        record ConsentRevoked(long block, long assetId, long childId, int childIndex, Address by) implements UnionEvent {}

        record UnionActivated(long block, long assetId, Address by) implements UnionEvent {}
    }

    // ---- templates

    /** Registers a template; returns its id. */
    public long registerTemplate(TemplateKind kind, String codeDigest, String name, List<String> params) {
        var receipt = Calls.send("registering template " + name, templates.registerTemplate(
                BigInteger.valueOf(kind.ordinal()), bytes32(codeDigest), name, params));
        return single(OperatorTemplates.getTemplateRegisteredEvents(receipt), "registering template " + name)
                .templateId.longValueExact();
    }

    /** How many templates exist: ids run from 1 to this. */
    public long templatesCount() {
        return Calls.send("counting the templates", templates.templatesCount()).longValueExact();
    }

    /** Template {@code templateId}; fails naming it when unknown. */
    public Template template(long templateId) {
        if (templateId < 1 || templateId > templatesCount()) {
            throw ChainException.notFound("there is no template " + templateId);
        }
        OperatorTemplates.Template t = Calls.send("reading template " + templateId,
                templates.template(BigInteger.valueOf(templateId)));
        return new Template(templateId, TemplateKind.values()[t.kind.intValueExact()], Numeric.toHexString(t.codeDigest),
                t.name, List.copyOf(t.params), Address.of(t.registeredBy));
    }

    // ---- assets

    /** How many assets exist: ids run from 1 to this. */
    public long assetsCount() {
        return Calls.send("counting the assets", unions.assetsCount()).longValueExact();
    }

    /** Asset {@code assetId}; fails naming it when unknown. */
    public Asset asset(long assetId) {
        if (assetId < 1 || assetId > assetsCount()) {
            throw ChainException.notFound("there is no asset " + assetId);
        }
        DataUnions.Asset a = Calls.send("reading asset " + assetId, unions.asset(BigInteger.valueOf(assetId)));
        AssetKind kind = AssetKind.of(a.kind);
        return new Asset(assetId, kind, Address.of(a.creator), kind == AssetKind.FILE ? Numeric.toHexString(a.dataHash) : "",
                a.refinerId.longValueExact(), a.table, a.templateId.longValueExact(),
                a.children.stream().map(BigInteger::longValueExact).toList(), a.slots.intValueExact(),
                a.depth.intValueExact(), kind.isLeaf() ? "" : Numeric.toHexString(a.termsHash), a.price,
                a.activatedAt.longValueExact());
    }

    /** Who acts for {@code assetId} now. */
    public Address ownerOf(long assetId) {
        return Address.of(Calls.send("reading the owner of asset " + assetId, unions.ownerOf(BigInteger.valueOf(assetId))));
    }

    /** Whether {@code assetId} may be used now. */
    public boolean isActive(long assetId) {
        return Calls.send("reading whether asset " + assetId + " is active", unions.isActive(BigInteger.valueOf(assetId)));
    }

    /** A union's constraints, one per parameter per slot. */
    public List<Constraint> constraintsOf(long assetId) {
        @SuppressWarnings("unchecked")
        List<DataUnions.Constraint> raw = Calls.send("reading the constraints of asset " + assetId,
                unions.constraintsOf(BigInteger.valueOf(assetId)));
        return raw.stream().map(UnionChain::constraint).toList();
    }

    /** Leaf {@code leafId}'s terms for {@code templateId}. */
    public Terms terms(long leafId, long templateId) {
        DataUnions.Terms t = Calls.send("reading the terms of asset " + leafId, unions.termsOf(BigInteger.valueOf(leafId),
                BigInteger.valueOf(templateId)));
        return new Terms(templateId, t.constraints.stream().map(UnionChain::constraint).toList(), t.price,
                t.setAt.signum() == 0 ? "" : Numeric.toHexString(t.termsHash), t.setAt.longValueExact(),
                Address.of(t.setBy));
    }

    /** The templates leaf {@code leafId} ever had terms for. */
    public List<Long> templatesOf(long leafId) {
        @SuppressWarnings("unchecked")
        List<BigInteger> ids = Calls.send("reading the templates of asset " + leafId,
                unions.templatesOf(BigInteger.valueOf(leafId)));
        return ids.stream().map(BigInteger::longValueExact).toList();
    }

    /** The consent standing for child {@code childIndex} of union {@code assetId}. */
    public Consent consentOf(long assetId, int childIndex) {
        DataUnions.Consent c = Calls.send("reading consent " + childIndex + " of asset " + assetId,
                unions.consentOf(BigInteger.valueOf(assetId), BigInteger.valueOf(childIndex)));
        boolean given = new BigInteger(1, c.termsHash).signum() != 0;
        return new Consent(given ? Numeric.toHexString(c.termsHash) : "", Address.of(c.by), c.at.longValueExact());
    }

    /** The leaf of {@code dataHash}; 0 when none. */
    public long leafOfFile(String dataHash) {
        return Calls.send("reading the leaf of " + dataHash, unions.leafOfFile(bytes32(dataHash))).longValueExact();
    }

    /** The leaf of table {@code table} of refiner {@code refinerId}; 0 when none. */
    public long leafOfTable(long refinerId, String table) {
        return Calls.send("reading the leaf of table " + table, unions.leafOfTable(BigInteger.valueOf(refinerId), table))
                .longValueExact();
    }

    /** What a job start checks; fails naming what is refused. */
    public Authorization authorize(long assetId, long templateId, List<BigInteger> values) {
        // through Calls.view, which names the contract's error where web3j's generated call garbles it
        Function function = new Function(DataUnions.FUNC_AUTHORIZE, List.of(new Uint256(assetId), new Uint256(templateId),
                new DynamicArray<>(Uint256.class, values.stream().map(Uint256::new).toList())),
                List.of(new TypeReference<Bytes32>() {}, new TypeReference<Uint256>() {}));
        var answer = Calls.view(chain, unions.getContractAddress(), function,
                "authorizing template " + templateId + " on asset " + assetId);
        return new Authorization(Numeric.toHexString(((Bytes32) answer.get(0)).getValue()),
                ((Uint256) answer.get(1)).getValue());
    }

    // ---- transactions

    /** Registers {@code dataHash} as a leaf; returns its id. */
    public long registerFileLeaf(String dataHash) {
        return registered(Calls.send("registering " + dataHash + " as a leaf", unions.registerFileLeaf(bytes32(dataHash))),
                "registering " + dataHash);
    }

    /** Registers table {@code table} of refiner {@code refinerId} as a leaf; returns its id. */
    public long registerTableLeaf(long refinerId, String table) {
        return registered(Calls.send("registering table " + table + " as a leaf",
                unions.registerTableLeaf(BigInteger.valueOf(refinerId), table)), "registering table " + table);
    }

    /** Sets leaf {@code leafId}'s terms for {@code templateId}; returns the transaction hash. */
    public String setTerms(long leafId, long templateId, List<Constraint> constraints, BigInteger price) {
        return Calls.send("setting the terms of asset " + leafId, unions.setTerms(BigInteger.valueOf(leafId),
                BigInteger.valueOf(templateId), onChain(constraints), price)).getTransactionHash();
    }

    /** Clears leaf {@code leafId}'s terms for {@code templateId}; returns the transaction hash. */
    public String clearTerms(long leafId, long templateId) {
        return Calls.send("clearing the terms of asset " + leafId,
                unions.clearTerms(BigInteger.valueOf(leafId), BigInteger.valueOf(templateId))).getTransactionHash();
    }

    /** Creates a union; returns its id. */
    public long createUnion(long templateId, List<Long> children, List<Constraint> constraints, BigInteger price) {
        var receipt = Calls.send("creating a union over " + children, unions.createUnion(BigInteger.valueOf(templateId),
                children.stream().map(BigInteger::valueOf).toList(), onChain(constraints), price));
        return single(DataUnions.getUnionCreatedEvents(receipt), "creating a union").assetId.longValueExact();
    }

    /** Creates an algorithm asset over {@code childId}; returns its id. */
    public long createAlgorithm(long templateId, long childId, List<Constraint> constraints, BigInteger price) {
        var receipt = Calls.send("creating an algorithm asset over " + childId, unions.createAlgorithm(
                BigInteger.valueOf(templateId), BigInteger.valueOf(childId), onChain(constraints), price));
        return single(DataUnions.getUnionCreatedEvents(receipt), "creating an algorithm asset").assetId.longValueExact();
    }

    /** Consents to union {@code assetId} as child {@code childIndex}'s owner; returns the transaction hash. */
    public String consent(long assetId, int childIndex) {
        return Calls.send("consenting to asset " + assetId, unions.consent(BigInteger.valueOf(assetId),
                BigInteger.valueOf(childIndex))).getTransactionHash();
    }

    /** Revokes the consent of child {@code childIndex} to union {@code assetId}; returns the transaction hash. */
    public String revokeConsent(long assetId, int childIndex) {
        return Calls.send("revoking consent to asset " + assetId, unions.revokeConsent(BigInteger.valueOf(assetId),
                BigInteger.valueOf(childIndex))).getTransactionHash();
    }

    /** Activates union {@code assetId}; returns the transaction hash. */
    public String activate(long assetId) {
        return Calls.send("activating asset " + assetId, unions.activate(BigInteger.valueOf(assetId))).getTransactionHash();
    }

    /** The account transactions are sent from. */
    public Address account() {
        return chain.account();
    }

    // ---- events

    /** The block the registry was deployed in: none of its events is older. */
    public long deploymentBlock() {
        return deploymentBlock;
    }

    /**
     * Every {@link UnionEvent} in blocks {@code fromBlock..toBlock}, oldest first: one {@code eth_getLogs} call
     * per {@link BlockRange#MAX_BLOCKS} blocks.
     */
    public List<UnionEvent> events(long fromBlock, long toBlock) {
        String leaf = EventEncoder.encode(DataUnions.LEAFREGISTERED_EVENT);
        String termsSet = EventEncoder.encode(DataUnions.TERMSSET_EVENT);
        String termsCleared = EventEncoder.encode(DataUnions.TERMSCLEARED_EVENT);
        String created = EventEncoder.encode(DataUnions.UNIONCREATED_EVENT);
        String granted = EventEncoder.encode(DataUnions.CONSENTGRANTED_EVENT);
        String revoked = EventEncoder.encode(DataUnions.CONSENTREVOKED_EVENT);
        String activated = EventEncoder.encode(DataUnions.UNIONACTIVATED_EVENT);
        List<UnionEvent> events = new ArrayList<>();
        for (Log log : Calls.logs(chain, unions.getContractAddress(), fromBlock, toBlock,
                filter -> filter.addOptionalTopics(leaf, termsSet, termsCleared, created, granted, revoked, activated),
                "reading union events")) {
            String topic = log.getTopics().get(0);
            long block = log.getBlockNumber().longValueExact();
            if (topic.equals(leaf)) {
                var e = DataUnions.getLeafRegisteredEventFromLog(log);
                AssetKind kind = AssetKind.of(e.kind);
                events.add(new UnionEvent.LeafRegistered(block, e.assetId.longValueExact(), kind,
                        kind == AssetKind.FILE ? Numeric.toHexString(e.dataHash) : "", e.refinerId.longValueExact(),
                        e.table, Address.of(e.owner)));
            } else if (topic.equals(termsSet)) {
                var e = DataUnions.getTermsSetEventFromLog(log);
                events.add(new UnionEvent.TermsSet(block, e.assetId.longValueExact(), e.templateId.longValueExact(),
                        Numeric.toHexString(e.termsHash), e.price, Address.of(e.by)));
            } else if (topic.equals(termsCleared)) {
                var e = DataUnions.getTermsClearedEventFromLog(log);
                events.add(new UnionEvent.TermsCleared(block, e.assetId.longValueExact(), e.templateId.longValueExact(),
                        Address.of(e.by)));
            } else if (topic.equals(created)) {
                var e = DataUnions.getUnionCreatedEventFromLog(log);
                events.add(new UnionEvent.UnionCreated(block, e.assetId.longValueExact(), AssetKind.of(e.kind),
                        e.templateId.longValueExact(), e.children.stream().map(BigInteger::longValueExact).toList(),
                        Numeric.toHexString(e.termsHash), e.price, Address.of(e.creator)));
            } else if (topic.equals(granted)) {
                var e = DataUnions.getConsentGrantedEventFromLog(log);
                events.add(new UnionEvent.ConsentGranted(block, e.assetId.longValueExact(), e.childId.longValueExact(),
                        e.childIndex.intValueExact(), Numeric.toHexString(e.termsHash), Address.of(e.by)));
            } else if (topic.equals(revoked)) {
                var e = DataUnions.getConsentRevokedEventFromLog(log);
                events.add(new UnionEvent.ConsentRevoked(block, e.assetId.longValueExact(), e.childId.longValueExact(),
                        e.childIndex.intValueExact(), Address.of(e.by)));
            } else {
                var e = DataUnions.getUnionActivatedEventFromLog(log);
                events.add(new UnionEvent.UnionActivated(block, e.assetId.longValueExact(), Address.of(e.by)));
            }
        }
        return events;
    }

    private long registered(TransactionReceipt receipt, String what) {
        return single(DataUnions.getLeafRegisteredEvents(receipt), what).assetId.longValueExact();
    }

    private static <T> T single(List<T> events, String what) {
        if (events.size() != 1) {
            throw new ChainException(what + " emitted " + events.size() + " events of its kind; expected one");
        }
        return events.get(0);
    }

    private static List<DataUnions.Constraint> onChain(List<Constraint> constraints) {
        return constraints.stream()
                .map(c -> new DataUnions.Constraint(BigInteger.valueOf(c.kind()), c.values()))
                .toList();
    }

    private static Constraint constraint(DataUnions.Constraint c) {
        return Constraint.of(c.kind.intValueExact(), c.values);
    }

    private static byte[] bytes32(String hex) {
        return ComputeChain.bytes32(hex);
    }
}
