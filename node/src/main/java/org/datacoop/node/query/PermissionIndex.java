package org.datacoop.node.query;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.datacoop.chain.QueryChain;
import org.datacoop.chain.QueryChain.PermissionEvent;
import org.datacoop.protocol.query.QueryPermission;

/**
 * The approved, unrevoked query permissions, kept from the QueryEngine's events since the deployment
 * block and brought up to the newest block before each query. A pending request costs nothing here:
 * only its event is read, once, and it is not kept; a query costs one {@code eth_getLogs} call per
 * {@link org.datacoop.chain.BlockRange#MAX_BLOCKS} new blocks, however many requests anyone files. An
 * approval reads its permission (two calls), since its event names only the id. A revocation is
 * applied by the first query once the node has read the head of the block that holds it; and the
 * QueryEngine checks every permission again when it settles, so nobody pays for a revoked one.
 */
final class PermissionIndex {
    private final QueryChain queries;
    private final Map<Long, QueryPermission> byId = new HashMap<>();
    private final Map<Long, TreeMap<Long, QueryPermission>> byRefiner = new HashMap<>();
    private long readTo;

    PermissionIndex(QueryChain queries) {
        this.queries = queries;
        this.readTo = queries.deploymentBlock() - 1;
    }

    /**
     * Applies the events of the blocks after those already read, up to {@code head}. Reading them
     * again after a failure half way yields the same index: each event, in order, sets a final state.
     */
    synchronized void catchUp(long head) {
        if (head <= readTo) {
            return;
        }
        for (PermissionEvent event : queries.permissionEvents(readTo + 1, head)) {
            switch (event) {
                case PermissionEvent.Added added -> {
                    if (added.permission().approved()) {
                        put(added.permission());
                    }
                }
                case PermissionEvent.Approved approved -> {
                    QueryPermission permission = queries.permission(approved.permissionId());
                    if (permission.approved() && !permission.revoked()) {
                        put(permission);
                    }
                }
                case PermissionEvent.Revoked revoked -> {
                    QueryPermission gone = byId.remove(revoked.permissionId());
                    if (gone != null) {
                        byRefiner.get(gone.refinerId()).remove(gone.id());
                    }
                }
            }
        }
        readTo = head;
    }

    /** The approved, unrevoked permissions on refiner {@code refinerId}'s tables as of the last catch-up, oldest first. */
    synchronized List<QueryPermission> of(long refinerId) {
        return List.copyOf(byRefiner.getOrDefault(refinerId, new TreeMap<>()).values());
    }

    private void put(QueryPermission permission) {
        byId.put(permission.id(), permission);
        byRefiner.computeIfAbsent(permission.refinerId(), r -> new TreeMap<>()).put(permission.id(), permission);
    }
}
