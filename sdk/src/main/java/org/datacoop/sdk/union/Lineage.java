package org.datacoop.sdk.union;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.datacoop.chain.ChainException;
import org.datacoop.chain.OwnershipChain.Transfer;
import org.datacoop.chain.UnionChain.AssetKind;
import org.datacoop.chain.UnionChain.UnionEvent;
import org.datacoop.protocol.Address;

/**
 * The lineage of data unions, rebuilt from chain events alone (the union registry's, and the ownership
 * registry's transfers for file leaves' owners): a union down to its leaves,
 * an asset up to every union and algorithm asset built on it, an owner to their assets; whether each is
 * active is replayed from the same events (activation, consents, and each child's terms at consent).
 * Nodes are a sealed family so that jobs and payments can join assets as further kinds of node.
 */
public final class Lineage {
    /** A node of a trace: an asset now; jobs and payments later. */
    public sealed interface Node permits AssetNode {}

    /**
     * An asset as its events tell it.
     *
     * @param owner a file leaf's owner after the last transfer of its data, a table leaf's DataDAO owner when it
     *     was registered, a union's creator
     * @param dataHash a file leaf's data hash; empty otherwise
     * @param table a table leaf's table; empty otherwise
     * @param templateId a union's template; 0 for a leaf
     * @param activated whether a union was activated; true for a leaf
     * @param active whether it may be used now: activated, every consent standing for its child's current terms,
     *     every child active
     * @param block the block it was registered or created in
     */
    public record AssetNode(long assetId, AssetKind kind, Address owner, String dataHash, long refinerId, String table,
            long templateId, List<Long> children, boolean activated, boolean active, long block) implements Node {}

    /** A node and the nodes it leads to (children going down, dependents going up). */
    public record TraceNode(Node node, List<TraceNode> next) {}

    /**
     * What a trace found.
     *
     * @param subject what was traced, in words
     * @param down from the traced asset to its leaves; empty for an owner
     * @param up from the traced asset (or each of the owner's) to everything built on it
     */
    public record Trace(String subject, List<TraceNode> down, List<TraceNode> up) {}

    private final Map<Long, AssetNode> assets;
    private final Map<Long, List<Long>> parents;

    private Lineage(Map<Long, AssetNode> assets, Map<Long, List<Long>> parents) {
        this.assets = assets;
        this.parents = parents;
    }

    /** The lineage the union registry's events and the ownership registry's transfers (both oldest first) tell. */
    public static Lineage of(List<UnionEvent> events, List<Transfer> transfers) {
        Replay replay = new Replay();
        events.forEach(replay::apply);
        transfers.forEach(t -> replay.owners.put(t.dataHash(), t.to()));
        return replay.lineage();
    }

    /** Asset {@code assetId} down to its leaves and up to everything built on it; fails naming an unknown asset. */
    public Trace ofAsset(long assetId) {
        AssetNode asset = assets.get(assetId);
        if (asset == null) {
            throw ChainException.notFound("there is no asset " + assetId + " in the union registry's events");
        }
        return new Trace("asset " + assetId, List.of(down(asset)), List.of(up(asset)));
    }

    /** Every asset {@code owner} registered or created, each up to everything built on it. */
    public Trace ofOwner(Address owner) {
        List<TraceNode> up = assets.values().stream().filter(a -> a.owner().equals(owner)).map(this::up).toList();
        return new Trace("owner " + owner.value(), List.of(), up);
    }

    /** Every asset, in id order. */
    public List<AssetNode> assets() {
        return List.copyOf(assets.values());
    }

    private TraceNode down(AssetNode asset) {
        return new TraceNode(asset, asset.children().stream().map(id -> down(assets.get(id))).toList());
    }

    private TraceNode up(AssetNode asset) {
        return new TraceNode(asset, parents.getOrDefault(asset.assetId(), List.of()).stream()
                .map(id -> up(assets.get(id))).toList());
    }

    /** The registry's state as its events leave it. */
    private static final class Replay {
        private final Map<Long, UnionEvent> created = new LinkedHashMap<>();
        private final Map<Long, List<Long>> parents = new HashMap<>();
        /** A leaf's current terms hash per template: key "leaf/template". */
        private final Map<String, String> terms = new HashMap<>();
        /** The terms hash each standing consent is for: key "union/childIndex". */
        private final Map<String, String> consents = new HashMap<>();
        private final Set<Long> activated = new HashSet<>();
        /** A data hash's owner after its last transfer. */
        private final Map<String, Address> owners = new HashMap<>();

        void apply(UnionEvent event) {
            switch (event) {
                case UnionEvent.LeafRegistered e -> created.put(e.assetId(), e);
                case UnionEvent.UnionCreated e -> {
                    created.put(e.assetId(), e);
                    e.children().forEach(child -> parents.computeIfAbsent(child, k -> new ArrayList<>()).add(e.assetId()));
                }
                case UnionEvent.TermsSet e -> terms.put(e.assetId() + "/" + e.templateId(), e.termsHash());
                case UnionEvent.TermsCleared e -> terms.remove(e.assetId() + "/" + e.templateId());
                case UnionEvent.ConsentGranted e -> consents.put(e.assetId() + "/" + e.childIndex(), e.termsHash());
                case UnionEvent.ConsentRevoked e -> consents.remove(e.assetId() + "/" + e.childIndex());
                case UnionEvent.UnionActivated e -> activated.add(e.assetId());
            }
        }

        Lineage lineage() {
            Map<Long, AssetNode> assets = new LinkedHashMap<>();
            for (UnionEvent event : created.values()) {
                AssetNode node = switch (event) {
                    case UnionEvent.LeafRegistered e -> new AssetNode(e.assetId(), e.kind(),
                            owners.getOrDefault(e.dataHash(), e.owner()), e.dataHash(),
                            e.refinerId(), e.table(), 0, List.of(), true, true, e.block());
                    case UnionEvent.UnionCreated e -> new AssetNode(e.assetId(), e.kind(), e.creator(), "", 0, "",
                            e.templateId(), e.children(), activated.contains(e.assetId()), active(e.assetId()), e.block());
                    default -> throw new IllegalStateException("only registrations and creations make assets");
                };
                assets.put(node.assetId(), node);
            }
            return new Lineage(assets, parents);
        }

        private boolean active(long assetId) {
            if (!(created.get(assetId) instanceof UnionEvent.UnionCreated union)) {
                return true; // a leaf
            }
            if (!activated.contains(assetId)) {
                return false;
            }
            for (int i = 0; i < union.children().size(); i++) {
                long child = union.children().get(i);
                String current = created.get(child) instanceof UnionEvent.UnionCreated c
                        ? c.termsHash()
                        : terms.get(child + "/" + union.templateId());
                String consented = consents.get(assetId + "/" + i);
                if (consented == null || !consented.equals(current) || !active(child)) {
                    return false;
                }
            }
            return true;
        }
    }
}
