package org.datacoop.sdk.union;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.datacoop.chain.ChainException;
import org.datacoop.chain.DataCoopChain;
import org.datacoop.chain.OwnershipChain;
import org.datacoop.chain.UnionChain;
import org.datacoop.chain.UnionChain.Asset;
import org.datacoop.chain.UnionChain.AssetKind;
import org.datacoop.chain.UnionChain.Authorization;
import org.datacoop.chain.UnionChain.Consent;
import org.datacoop.chain.UnionChain.Template;
import org.datacoop.chain.UnionChain.TemplateKind;
import org.datacoop.chain.UnionChain.Terms;
import org.datacoop.protocol.Address;
import org.datacoop.protocol.union.Constraint;

/**
 * Operator templates, terms on data, and the data unions built over it: what an owner, an aggregator and a
 * builder do with {@code DataUnions}. Terms and union slots are given by parameter name; each transaction is
 * checked first against what the chain holds (unknown ids, parameters not of the template, a caller who may
 * not act), so a refusal names what is wrong and nothing is sent; the contract checks again, fulfilment and
 * consents included, and refuses by name.
 */
public final class UnionClient {
    private final DataCoopChain chain;
    private final UnionChain unions;

    /** Signs as {@code chain}'s account. */
    public UnionClient(DataCoopChain chain) {
        this.chain = chain;
        this.unions = chain.unions();
    }

    /** The connected account may not do what it asked: it does not act for the asset. */
    public static final class NotAllowed extends RuntimeException {
        NotAllowed(String message) {
            super(message);
        }
    }

    /**
     * An asset and where it stands.
     *
     * @param owner who acts for it now
     * @param active whether it may be used now
     * @param template a union's template; for a leaf, empty
     * @param slots a union's constraints, one map (parameter name to constraint) per slot
     * @param consents a union's consent per child, in child order
     * @param terms a leaf's terms per template it permits
     */
    public record AssetView(Asset asset, Address owner, boolean active, Optional<Template> template,
            List<Map<String, Constraint>> slots, List<ChildConsent> consents, List<LeafTerms> terms) {}

    /**
     * A union child's consent.
     *
     * @param standing whether it stands for the child's current terms
     */
    public record ChildConsent(long childId, int childIndex, Consent consent, boolean standing) {}

    /** A leaf's terms for a template, by parameter name. */
    public record LeafTerms(Template template, Map<String, Constraint> constraints, BigInteger price, String termsHash,
            long setAt, Address setBy) {}

    // ---- templates

    /** Registers a template; anyone. Returns its id. */
    public long registerTemplate(TemplateKind kind, String codeDigest, String name, List<String> params) {
        if (!codeDigest.matches("0x[0-9a-fA-F]{64}") || codeDigest.matches("0x0{64}")) {
            throw new IllegalArgumentException("a template's code digest is 0x and 64 hex digits, not zero: " + codeDigest);
        }
        if (name.isBlank()) {
            throw new IllegalArgumentException("a template needs a name");
        }
        Set<String> distinct = new LinkedHashSet<>(params);
        if (params.isEmpty() || distinct.size() != params.size() || distinct.stream().anyMatch(String::isBlank)) {
            throw new IllegalArgumentException("a template's parameters are one or more distinct names: " + params);
        }
        return unions.registerTemplate(kind, codeDigest, name, params);
    }

    /** Template {@code templateId}; fails naming it when unknown. */
    public Template template(long templateId) {
        return unions.template(templateId);
    }

    // ---- leaves and terms

    /** Registers file {@code fileId}'s bound data as a leaf; its owner or a delegate. Returns the leaf's id. */
    public long registerFileLeaf(long fileId) {
        OwnershipChain ownership = chain.ownership();
        chain.file(fileId); // fails naming an unknown file
        String hash = ownership.hashOfFile(fileId).orElseThrow(() -> ChainException.notFound("file " + fileId
                + "'s data is bound to no owner yet: a validator binds it when it proves the file valid"));
        long existing = unions.leafOfFile(hash);
        if (existing != 0) {
            throw new IllegalArgumentException("file " + fileId + "'s data is already leaf " + existing);
        }
        Address owner = ownership.binding(hash).orElseThrow().owner();
        Address caller = unions.account();
        if (!owner.equals(caller) && !ownership.isDelegate(hash, caller)) {
            throw new NotAllowed(caller.value() + " is neither the owner of file " + fileId + "'s data (" + owner.value()
                    + " is) nor one of its delegates, so it cannot make it a leaf");
        }
        return unions.registerFileLeaf(hash);
    }

    /** Registers table {@code table} of refiner {@code refinerId} as a leaf; its DataDAO's owner. Returns its id. */
    public long registerTableLeaf(long refinerId, String table) {
        if (table.isBlank()) {
            throw new IllegalArgumentException("a table leaf needs the table's name");
        }
        long existing = unions.leafOfTable(refinerId, table);
        if (existing != 0) {
            throw new IllegalArgumentException("table " + table + " of refiner " + refinerId + " is already leaf " + existing);
        }
        return unions.registerTableLeaf(refinerId, table);
    }

    /**
     * Sets leaf {@code leafId}'s terms for {@code templateId}: a constraint for every parameter of the template,
     * by name, and a price in wei; its owner (or a file's delegate). Returns the transaction hash.
     */
    public String setTerms(long leafId, long templateId, Map<String, Constraint> constraints, BigInteger price) {
        leaf(leafId);
        Template template = unions.template(templateId);
        List<Constraint> ordered = ordered(template, constraints, "leaf " + leafId + "'s terms");
        requireActor(leafId, "set its terms");
        return unions.setTerms(leafId, templateId, ordered, price);
    }

    /** Stops leaf {@code leafId} permitting {@code templateId}; its owner. Returns the transaction hash. */
    public String clearTerms(long leafId, long templateId) {
        leaf(leafId);
        if (unions.terms(leafId, templateId).setAt() == 0) {
            throw new IllegalArgumentException("leaf " + leafId + " has no terms for template " + templateId + " to clear");
        }
        requireActor(leafId, "clear its terms");
        return unions.clearTerms(leafId, templateId);
    }

    // ---- unions

    /**
     * Creates a union over {@code children} under {@code templateId} (an algorithm asset when {@code algorithm}:
     * one child, every value fixed), with one constraint map per slot: a leaf child has one slot, a union child
     * as many as it has. Anyone; the creator owns it. Returns its id.
     */
    public long createUnion(long templateId, List<Long> children, List<Map<String, Constraint>> slots, BigInteger price,
            boolean algorithm) {
        Template template = unions.template(templateId);
        if (children.isEmpty()) {
            throw new IllegalArgumentException("a union needs at least one child");
        }
        if (algorithm && children.size() != 1) {
            throw new IllegalArgumentException("an algorithm asset is over exactly one child, not " + children.size());
        }
        int expected = 0;
        for (long child : children) {
            expected += unions.asset(child).slots();
        }
        if (slots.size() != expected) {
            throw new IllegalArgumentException("the children have " + expected + " slots (a leaf one, a union its own), "
                    + "so give " + expected + " slot terms, not " + slots.size());
        }
        List<Constraint> flat = new ArrayList<>();
        for (int i = 0; i < slots.size(); i++) {
            List<Constraint> slot = ordered(template, slots.get(i), "slot " + (i + 1));
            if (algorithm && slot.stream().anyMatch(c -> !(c instanceof Constraint.Fixed))) {
                throw new IllegalArgumentException("an algorithm asset fixes every value; slot " + (i + 1) + " leaves "
                        + "a choice: " + text(template, slot));
            }
            flat.addAll(slot);
        }
        return algorithm
                ? unions.createAlgorithm(templateId, children.get(0), flat, price)
                : unions.createUnion(templateId, children, flat, price);
    }

    /** Consents to union {@code assetId} for its child {@code childId}, as the child's owner. Returns the transaction hash. */
    public String consent(long assetId, long childId) {
        int index = childIndex(assetId, childId);
        requireActor(childId, "consent for it");
        return unions.consent(assetId, index);
    }

    /** Revokes the consent child {@code childId} gave union {@code assetId}, as its owner. Returns the transaction hash. */
    public String revoke(long assetId, long childId) {
        int index = childIndex(assetId, childId);
        requireActor(childId, "revoke its consent");
        if (!unions.consentOf(assetId, index).given()) {
            throw new IllegalArgumentException("asset " + childId + " has no consent to union " + assetId + " to revoke");
        }
        return unions.revokeConsent(assetId, index);
    }

    /** Activates union {@code assetId}; its creator. Returns the transaction hash. */
    public String activate(long assetId) {
        Asset asset = union(assetId);
        if (!asset.creator().equals(unions.account())) {
            throw new NotAllowed(unions.account().value() + " did not create union " + assetId + " ("
                    + asset.creator().value() + " did), so it cannot activate it");
        }
        return unions.activate(assetId);
    }

    /** Asset {@code assetId} with its owner, activity, constraints, consents or terms. */
    public AssetView show(long assetId) {
        Asset asset = unions.asset(assetId);
        Address owner = unions.ownerOf(assetId);
        boolean active = unions.isActive(assetId);
        if (asset.kind().isLeaf()) {
            List<LeafTerms> terms = new ArrayList<>();
            for (long templateId : unions.templatesOf(assetId)) {
                Terms t = unions.terms(assetId, templateId);
                if (t.setAt() != 0) {
                    Template template = unions.template(templateId);
                    terms.add(new LeafTerms(template, byName(template, t.constraints()), t.price(), t.termsHash(),
                            t.setAt(), t.setBy()));
                }
            }
            return new AssetView(asset, owner, active, Optional.empty(), List.of(), List.of(), terms);
        }
        Template template = unions.template(asset.templateId());
        List<Constraint> flat = unions.constraintsOf(assetId);
        int n = template.params().size();
        List<Map<String, Constraint>> slots = new ArrayList<>();
        for (int s = 0; s < asset.slots(); s++) {
            slots.add(byName(template, flat.subList(s * n, s * n + n)));
        }
        List<ChildConsent> consents = new ArrayList<>();
        for (int i = 0; i < asset.children().size(); i++) {
            long child = asset.children().get(i);
            Consent consent = unions.consentOf(assetId, i);
            Asset childAsset = unions.asset(child);
            String current = childAsset.kind().isLeaf() ? unions.terms(child, asset.templateId()).termsHash()
                    : childAsset.termsHash();
            consents.add(new ChildConsent(child, i, consent, consent.given() && consent.termsHash().equals(current)));
        }
        return new AssetView(asset, owner, active, Optional.of(template), slots, consents, List.of());
    }

    /** What a job start checks: fails naming what is refused, else the terms hash and the price with every child's. */
    public Authorization authorize(long assetId, long templateId, List<BigInteger> values) {
        return unions.authorize(assetId, templateId, values);
    }

    /**
     * The lineage the union registry's events tell, from its deployment to the newest block, with file leaves'
     * owners as the ownership registry's transfers leave them.
     */
    public Lineage lineage() {
        long head = chain.blockNumber();
        return Lineage.of(unions.events(unions.deploymentBlock(), head),
                chain.ownership().transfers(unions.deploymentBlock(), head));
    }

    // ---- internals

    private Asset leaf(long leafId) {
        Asset asset = unions.asset(leafId);
        if (!asset.kind().isLeaf()) {
            throw new IllegalArgumentException("asset " + leafId + " is a " + asset.kind().label() + ", not a leaf: "
                    + "only leaves have terms of their own");
        }
        return asset;
    }

    private Asset union(long assetId) {
        Asset asset = unions.asset(assetId);
        if (asset.kind().isLeaf()) {
            throw new IllegalArgumentException("asset " + assetId + " is a " + asset.kind().label() + " leaf, not a union");
        }
        return asset;
    }

    private int childIndex(long assetId, long childId) {
        int index = union(assetId).children().indexOf(childId);
        if (index < 0) {
            throw new IllegalArgumentException("asset " + childId + " is not a child of union " + assetId);
        }
        return index;
    }

    private void requireActor(long assetId, String action) {
        Asset asset = unions.asset(assetId);
        Address owner = unions.ownerOf(assetId);
        Address caller = unions.account();
        boolean delegate = asset.kind() == AssetKind.FILE && chain.ownership().isDelegate(asset.dataHash(), caller);
        if (!owner.equals(caller) && !delegate) {
            throw new NotAllowed(caller.value() + " does not act for asset " + assetId + " (" + owner.value()
                    + " owns it), so it cannot " + action);
        }
    }

    /** {@code byName} in the template's parameter order; fails naming a missing or unknown parameter. */
    private static List<Constraint> ordered(Template template, Map<String, Constraint> byName, String what) {
        Set<String> unknown = new LinkedHashSet<>(byName.keySet());
        template.params().forEach(unknown::remove);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(what + " name " + unknown + ", which template " + template.templateId()
                    + " (" + template.name() + ") does not have; its parameters are " + template.params());
        }
        List<String> missing = template.params().stream().filter(p -> !byName.containsKey(p)).toList();
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(what + " leave out " + missing + ": give every parameter of template "
                    + template.templateId() + " (" + template.name() + "), free where any value will do");
        }
        return template.params().stream().map(byName::get).toList();
    }

    private static Map<String, Constraint> byName(Template template, List<Constraint> constraints) {
        Map<String, Constraint> map = new LinkedHashMap<>();
        for (int i = 0; i < template.params().size(); i++) {
            map.put(template.params().get(i), constraints.get(i));
        }
        return map;
    }

    private static String text(Template template, List<Constraint> slot) {
        return String.join(" ", byName(template, slot).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue().text())
                .toList());
    }
}
