package org.datacoop.chain;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.datacoop.protocol.Address;
import org.datacoop.protocol.ContributedFile;
import org.datacoop.protocol.query.RowsRead;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds and claims a contributor's unclaimed shares of paid queries: the leaves of its files in the
 * documents the services published for every committed root, checked against the root on-chain, so
 * that nobody builds a proof by hand.
 */
public final class ReadsClaims {
    /** Leaves per claim transaction: about 50k gas each at worst, so one claim stays far below a block. */
    public static final int LEAVES_PER_CLAIM = 200;

    private static final Logger LOG = LoggerFactory.getLogger(ReadsClaims.class);

    private final DataCoopChain chain;
    private final QueryChain queries;
    private final DatChain dats;
    private final Function<String, byte[]> fetch;

    /** @param fetch the content at a leaves document's URL */
    public ReadsClaims(DataCoopChain chain, QueryChain queries, DatChain dats, Function<String, byte[]> fetch) {
        this.chain = chain;
        this.queries = queries;
        this.dats = dats;
        this.fetch = fetch;
    }

    /** Whose share a leaf of file {@code fileId} read through one of DataDAO {@code dlpId}'s refiners is. */
    @FunctionalInterface
    private interface Leaves {
        boolean include(long dlpId, long fileId);
    }

    /** A contributor's unclaimed leaves under one root, and the share they credit. */
    public record Pending(QueryChain.Commitment commitment, ReadsTree tree, List<Long> fileIds, BigInteger amount) {}

    /** What a contributor may claim, and the roots it could not check (their documents unreadable or not matching). */
    public record Found(List<Pending> pending, List<String> problems) {
        public BigInteger amount() {
            return pending.stream().map(Pending::amount).reduce(BigInteger.ZERO, BigInteger::add);
        }

        public int leaves() {
            return pending.stream().mapToInt(p -> p.fileIds().size()).sum();
        }
    }

    /**
     * The unclaimed leaves paid to {@code owner}, in every query paid in {@code token}: as the ledger pays
     * a leaf to the holder of its file's DAT in the reading DataDAO's class, or to the file's registry
     * owner when that file has none there, these are the leaves of the files whose DAT {@code owner}
     * holds, and of the files it registered that have no DAT in that class (not those whose DAT it sold).
     */
    public Found find(Address owner, Address token) {
        Set<Long> registered = chain.filesOf(owner).stream().map(ContributedFile::id).collect(Collectors.toSet());
        List<DatChain.DatToken> held = dats.tokensOf(owner);
        Set<List<Long>> heldLeaves = held.stream().map(t -> List.of(t.classId(), t.fileId())).collect(Collectors.toSet());
        Map<List<Long>, Boolean> withoutToken = new HashMap<>();
        Set<Long> files = Stream.concat(registered.stream(), held.stream().map(DatChain.DatToken::fileId))
                .collect(Collectors.toSet());
        return find(files, token, (dlpId, fileId) -> heldLeaves.contains(List.of(dlpId, fileId))
                || registered.contains(fileId) && withoutToken.computeIfAbsent(List.of(dlpId, fileId),
                        leaf -> dats.tokenOfFile(dlpId, fileId).isEmpty()));
    }

    /** The unclaimed leaves of the file {@code dat} anchors, read through its class's refiners, in every query paid in {@code token}. */
    public Found find(DatChain.DatToken dat, Address token) {
        return find(Set.of(dat.fileId()), token, (dlpId, fileId) -> dlpId == dat.classId());
    }

    /** The unclaimed leaves of {@code files} in every query paid in {@code token}, whoever they pay. */
    public Found find(Set<Long> files, Address token) {
        return find(files, token, (dlpId, fileId) -> true);
    }

    private Found find(Set<Long> files, Address token, Leaves leaves) {
        List<Pending> pending = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Map<String, ReadsDocument> documents = new HashMap<>();
        Map<Long, Long> dataDaoOf = new HashMap<>();
        for (QueryChain.Commitment commitment : queries.commitments(0)) {
            ReadsDocument document;
            try {
                document = documents.computeIfAbsent(commitment.leavesUrl(), url -> ReadsDocument.parse(fetch.apply(url)));
            } catch (RuntimeException e) {
                problems.add("query " + commitment.queryId() + ": its leaves at " + commitment.leavesUrl() + " cannot be read: "
                        + e.getMessage());
                continue;
            }
            RowsRead reads = document.reads().stream().filter(r -> r.refinerId() == commitment.refinerId()).findFirst()
                    .orElse(null);
            ReadsTree tree = reads == null || reads.rowsByFile().isEmpty() ? null : ReadsTree.of(reads);
            if (tree == null || !Arrays.equals(tree.root(), commitment.root())) {
                problems.add("query " + commitment.queryId() + ": the leaves at " + commitment.leavesUrl()
                        + " do not rebuild the root settled for refiner " + commitment.refinerId());
                continue;
            }
            List<Long> candidates = reads.rowsByFile().keySet().stream().filter(files::contains).toList();
            if (candidates.isEmpty() || !queries.committedToken(commitment.queryId(), commitment.refinerId()).equals(token)) {
                continue;
            }
            long dlpId = dataDaoOf.computeIfAbsent(commitment.refinerId(), refinerId -> queries.refiner(refinerId).dlpId());
            List<Long> mine = candidates.stream().filter(file -> leaves.include(dlpId, file)).toList();
            List<Long> unclaimed = mine.stream()
                    .filter(file -> !queries.readClaimed(commitment.queryId(), commitment.refinerId(), file)).toList();
            if (unclaimed.isEmpty()) {
                continue;
            }
            BigInteger amount = BigInteger.ZERO;
            for (long file : unclaimed) {
                amount = amount.add(share(commitment, reads.rowsByFile().get(file)));
            }
            pending.add(new Pending(commitment, tree, unclaimed, amount));
        }
        problems.forEach(problem -> LOG.warn("{}", problem));
        return new Found(pending, problems);
    }

    /** Claims every pending leaf, {@link #LEAVES_PER_CLAIM} to a transaction. */
    public List<QueryChain.ReadsClaim> claim(List<Pending> pending) {
        List<QueryChain.ReadsClaim> claims = new ArrayList<>();
        for (Pending each : pending) {
            List<Long> files = each.fileIds();
            for (int from = 0; from < files.size(); from += LEAVES_PER_CLAIM) {
                claims.add(queries.claimReads(each.commitment().queryId(), each.tree(),
                        files.subList(from, Math.min(files.size(), from + LEAVES_PER_CLAIM))));
            }
        }
        return claims;
    }

    /** A leaf's share as the QueryEngine computes it: the cut times its rows over the total, rounded down. */
    static BigInteger share(QueryChain.Commitment commitment, long rows) {
        return commitment.contributorsCut().multiply(BigInteger.valueOf(rows)).divide(BigInteger.valueOf(commitment.totalRows()));
    }
}
