package org.datacoop.node.query;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.datacoop.chain.OwnershipChain;
import org.datacoop.chain.OwnershipChain.AccessEvent;
import org.datacoop.chain.OwnershipChain.Scope;
import org.datacoop.protocol.Address;

/**
 * Which files' owners set terms, and the licenses granted over them, kept from the ownership
 * registry's events since the deployment block and brought up to the newest block before each
 * query or task, as {@link PermissionIndex} does: a query costs no registry read per file, only one
 * {@code eth_getLogs} call per new range of blocks. Expiry is judged by the newest block's time, as
 * the registry judges it.
 */
final class TermsIndex {
    /** A license as far as access goes: who, for what, until when (0: never), and whether it is paid for (or free). */
    private record Grant(Address grantee, Set<Scope> scope, long expiresAt, boolean paid) {
        Grant asPaid() {
            return new Grant(grantee, scope, expiresAt, true);
        }

        boolean covers(Address who, Scope what, long nowSeconds) {
            return grantee.equals(who) && scope.contains(what) && (expiresAt == 0 || nowSeconds < expiresAt);
        }
    }

    private final OwnershipChain ownership;
    private final Map<Long, String> hashOfFile = new HashMap<>();
    private final Map<String, String> termsUrlOf = new HashMap<>();
    private final Map<String, Map<Long, Grant>> grantsOf = new HashMap<>();
    private final Map<Long, String> hashOfLicense = new HashMap<>();
    private long readTo;

    TermsIndex(OwnershipChain ownership) {
        this.ownership = ownership;
        this.readTo = ownership.deploymentBlock() - 1;
    }

    /** Applies the events of the blocks after those already read, up to {@code head}; replaying them yields the same index. */
    synchronized void catchUp(long head) {
        if (head <= readTo) {
            return;
        }
        for (AccessEvent event : ownership.accessEvents(readTo + 1, head)) {
            switch (event) {
                case AccessEvent.Bound bound -> hashOfFile.put(bound.fileId(), bound.dataHash());
                case AccessEvent.TermsSet set -> termsUrlOf.put(set.dataHash(), set.termsUrl());
                case AccessEvent.TermsCleared cleared -> termsUrlOf.remove(cleared.dataHash());
                case AccessEvent.LicenseGranted granted -> {
                    hashOfLicense.put(granted.licenseId(), granted.dataHash());
                    grantsOf.computeIfAbsent(granted.dataHash(), h -> new HashMap<>()).put(granted.licenseId(),
                            new Grant(granted.grantee(), granted.scope(), granted.expiresAt(), granted.free()));
                }
                case AccessEvent.LicensePaid paid -> {
                    String dataHash = hashOfLicense.get(paid.licenseId());
                    if (dataHash != null) {
                        grantsOf.get(dataHash).computeIfPresent(paid.licenseId(), (id, grant) -> grant.asPaid());
                    }
                }
                case AccessEvent.LicenseRevoked revoked -> {
                    String dataHash = hashOfLicense.remove(revoked.licenseId());
                    if (dataHash != null) {
                        grantsOf.get(dataHash).remove(revoked.licenseId());
                    }
                }
            }
        }
        readTo = head;
    }

    /**
     * Why {@code grantee} may not read {@code files} for {@code scope} at time {@code nowSeconds}, naming
     * the first file whose owner set terms and that it holds no active license of that scope for;
     * empty when it may read them all (files without terms are served as without the registry).
     */
    synchronized Optional<String> refusal(List<Long> files, Address grantee, Scope scope, long nowSeconds) {
        for (long fileId : files) {
            String dataHash = hashOfFile.get(fileId);
            String termsUrl = dataHash == null ? null : termsUrlOf.get(dataHash);
            if (termsUrl == null) {
                continue;
            }
            if (!licensed(dataHash, grantee, scope, nowSeconds)) {
                return Optional.of("file " + fileId + "'s owner set terms (" + termsUrl + "): " + grantee.value()
                        + " holds no active " + scope.label() + " license of its data" + unpaidOffer(dataHash, grantee, scope, nowSeconds)
                                .map(id -> " (license " + id + " is offered but unpaid: `coop own pay " + id + "`)")
                                .orElse(" (the owner grants one with `coop own license --file " + fileId + " --grantee "
                                        + grantee.value() + " --scope " + scope.label() + "`)"));
            }
        }
        return Optional.empty();
    }

    /** An unpaid offer that would license {@code grantee} for {@code scope}, so the refusal can name the fix. */
    private Optional<Long> unpaidOffer(String dataHash, Address grantee, Scope scope, long nowSeconds) {
        return grantsOf.getOrDefault(dataHash, Map.of()).entrySet().stream()
                .filter(e -> !e.getValue().paid() && e.getValue().covers(grantee, scope, nowSeconds))
                .map(Map.Entry::getKey).findFirst();
    }

    private boolean licensed(String dataHash, Address grantee, Scope scope, long nowSeconds) {
        return grantsOf.getOrDefault(dataHash, Map.of()).values().stream()
                .anyMatch(grant -> grant.paid() && grant.covers(grantee, scope, nowSeconds));
    }
}
