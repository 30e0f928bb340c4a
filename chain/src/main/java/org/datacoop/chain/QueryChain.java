package org.datacoop.chain;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.datacoop.chain.contracts.DataDaoToken;
import org.datacoop.chain.contracts.DataRefinerRegistry;
import org.datacoop.chain.contracts.DataRegistry;
import org.datacoop.chain.contracts.QueryEngine;
import org.datacoop.protocol.Address;
import org.datacoop.protocol.query.QueryPermission;
import org.datacoop.protocol.query.QueryRequest;
import org.datacoop.protocol.query.Refiner;
import org.datacoop.protocol.query.RowsRead;
import org.datacoop.protocol.query.Schema;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.TypeEncoder;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * Refinement and paid queries on one chain: the DataRefinerRegistry, the refinements in the
 * DataRegistry, and the QueryEngine, mapped to protocol records here and nowhere else.
 */
public final class QueryChain {
    private static final int PAGE = 500;

    private final ChainConnection chain;
    private final DataRegistry registry;
    private final DataRefinerRegistry refiners;
    private final QueryEngine engine;
    private final long deploymentBlock;

    public QueryChain(ChainConnection chain, Deployment deployment) {
        this.chain = chain;
        this.deploymentBlock = deployment.deploymentBlock();
        this.registry = DataRegistry.load(
                deployment.address(Deployment.DATA_REGISTRY).value(), chain.web3j(), chain.transactions(), chain.gas());
        this.refiners = DataRefinerRegistry.load(
                deployment.address(Deployment.REFINER_REGISTRY).value(), chain.web3j(), chain.transactions(), chain.gas());
        this.engine = QueryEngine.load(
                deployment.address(Deployment.QUERY_ENGINE).value(), chain.web3j(), chain.transactions(), chain.gas());
    }

    public Address queryEngine() {
        return Address.of(engine.getContractAddress());
    }

    public long chainId() {
        return chain.chainId();
    }

    // ---- schemas and refiners

    /** Publishes a schema; returns its id. */
    public long addSchema(String name, String dialect, String definitionUrl, byte[] definitionDigest) {
        TransactionReceipt receipt = Calls.send("adding schema " + name,
                refiners.addSchema(name, dialect, definitionUrl, definitionDigest));
        return single(DataRefinerRegistry.getSchemaAddedEvents(receipt), "adding schema " + name).schemaId.longValueExact();
    }

    /** Schema {@code id}; fails naming it when there is none. */
    public Schema schema(long id) {
        long count = Calls.send("counting schemas", refiners.schemasCount()).longValueExact();
        if (id < 1 || id > count) {
            throw ChainException.notFound("there is no schema " + id + " (" + count + " exist)");
        }
        DataRefinerRegistry.Schema s = Calls.send("reading schema " + id, refiners.schemas(BigInteger.valueOf(id)));
        return new Schema(id, s.name, s.dialect, s.definitionUrl, Numeric.toHexString(s.definitionDigest));
    }

    /** Adds a refiner to DataDAO {@code dlpId} (its owner only); returns its id. */
    public long addRefiner(long dlpId, String name, long schemaId, String instructionUrl, byte[] instructionDigest) {
        TransactionReceipt receipt = Calls.send("adding refiner " + name + " to DataDAO " + dlpId,
                refiners.addRefiner(BigInteger.valueOf(dlpId), name, BigInteger.valueOf(schemaId), instructionUrl,
                        instructionDigest));
        return single(DataRefinerRegistry.getRefinerAddedEvents(receipt), "adding refiner " + name).refinerId.longValueExact();
    }

    /** Refiner {@code id}; fails naming it when there is none. */
    public Refiner refiner(long id) {
        long count = Calls.send("counting refiners", refiners.refinersCount()).longValueExact();
        if (id < 1 || id > count) {
            throw ChainException.notFound("there is no refiner " + id + " (" + count + " exist)");
        }
        DataRefinerRegistry.Refiner r = Calls.send("reading refiner " + id, refiners.refiners(BigInteger.valueOf(id)));
        return new Refiner(id, r.dlpId.longValueExact(), r.name, r.schemaId.longValueExact(), r.refinementInstructionUrl,
                Numeric.toHexString(r.refinementInstructionDigest));
    }

    /** The refiners of DataDAO {@code dlpId}, oldest first. */
    public List<Refiner> refinersOf(long dlpId) {
        List<?> ids = Calls.send("reading the refiners of DataDAO " + dlpId, refiners.dlpRefiners(BigInteger.valueOf(dlpId)));
        return ids.stream().map(id -> refiner(((BigInteger) id).longValueExact())).toList();
    }

    /** The owner of DataDAO {@code dlpId}; fails naming it when there is none. */
    public Address dataDaoOwner(long dlpId) {
        return Address.of(Calls.send("reading the owner of DataDAO " + dlpId, refiners.dlpOwner(BigInteger.valueOf(dlpId))));
    }

    /** Trusts {@code service} to refine and serve queries for DataDAO {@code dlpId} (its owner only). */
    public String addRefinementService(long dlpId, Address service) {
        return Calls.send("adding refinement service " + service + " to DataDAO " + dlpId,
                refiners.addRefinementService(BigInteger.valueOf(dlpId), service.value())).getTransactionHash();
    }

    /**
     * Stops trusting {@code service} with DataDAO {@code dlpId} (its owner only): it refines and serves
     * nothing of it from then on. Refused, naming why, before anything is sent.
     */
    public String removeRefinementService(long dlpId, Address service) {
        requireDataDaoOwner(dlpId, "chooses its services");
        if (!isRefinementService(dlpId, service)) {
            throw new ChainException(service + " is not a refinement service of DataDAO " + dlpId);
        }
        return Calls.send("removing refinement service " + service + " from DataDAO " + dlpId,
                refiners.removeRefinementService(BigInteger.valueOf(dlpId), service.value())).getTransactionHash();
    }

    /**
     * The DataDAOs that, in blocks {@code fromBlock..toBlock}, got a new refiner or took {@code service}
     * as a refinement service: those whose proved files may now lack a refinement by it.
     */
    public Set<Long> dataDaosWithNewRefinement(Address service, long fromBlock, long toBlock) {
        Set<Long> dlpIds = new TreeSet<>();
        String refinerRegistry = refiners.getContractAddress();
        Calls.logs(chain, refinerRegistry, fromBlock, toBlock,
                filter -> filter.addSingleTopic(EventEncoder.encode(DataRefinerRegistry.REFINERADDED_EVENT)),
                "reading new refiners").forEach(
                log -> dlpIds.add(DataRefinerRegistry.getRefinerAddedEventFromLog(log).dlpId.longValueExact()));
        Calls.logs(chain, refinerRegistry, fromBlock, toBlock, filter -> {
            filter.addSingleTopic(EventEncoder.encode(DataRefinerRegistry.REFINEMENTSERVICEADDED_EVENT));
            filter.addSingleTopic(null);
            filter.addSingleTopic(TypeEncoder.encode(new org.web3j.abi.datatypes.Address(service.value())));
        }, "reading new refinement services").forEach(
                log -> dlpIds.add(DataRefinerRegistry.getRefinementServiceAddedEventFromLog(log).dlpId.longValueExact()));
        return dlpIds;
    }

    public boolean isRefinementService(long dlpId, Address service) {
        return Calls.send("reading the refinement services of DataDAO " + dlpId,
                refiners.isRefinementService(BigInteger.valueOf(dlpId), service.value()));
    }

    /** The services DataDAO {@code dlpId} trusts to refine and serve queries. */
    public List<Address> refinementServices(long dlpId) {
        List<?> services = Calls.send("reading the refinement services of DataDAO " + dlpId,
                refiners.dlpRefinementServices(BigInteger.valueOf(dlpId)));
        return services.stream().map(s -> Address.of((String) s)).toList();
    }

    // ---- refinements

    /** Records the refined output of {@code fileId} with its key wrapped to {@code account}. */
    public String addRefinement(long fileId, long refinerId, String url, Address account, byte[] wrappedKey) {
        return Calls.send("registering the refinement of file " + fileId + " by refiner " + refinerId,
                registry.addRefinementWithPermission(BigInteger.valueOf(fileId), BigInteger.valueOf(refinerId), url,
                        account.value(), wrappedKey)).getTransactionHash();
    }

    /**
     * Shares this service's key to {@code fileId}'s refinement by {@code refinerId}, wrapped to
     * {@code account} (another refinement service of the DataDAO); returns the transaction hash.
     */
    public String shareRefinement(long fileId, long refinerId, Address account, byte[] wrappedKey) {
        return Calls.send("sharing the refinement of file " + fileId + " by refiner " + refinerId + " with " + account,
                registry.shareRefinement(BigInteger.valueOf(fileId), BigInteger.valueOf(refinerId), account.value(),
                        wrappedKey)).getTransactionHash();
    }

    /** Where refiner {@code refinerId}'s output for {@code fileId} is stored, if it refined it. */
    public Optional<String> refinement(long fileId, long refinerId) {
        String url = Calls.send("reading the refinement of file " + fileId,
                registry.refinements(BigInteger.valueOf(fileId), BigInteger.valueOf(refinerId)));
        return url.isEmpty() ? Optional.empty() : Optional.of(url);
    }

    /** The key of that output wrapped to {@code account}; empty when it has none. */
    public byte[] refinementKey(long fileId, long refinerId, Address account) {
        return Calls.send("reading the refinement key of file " + fileId,
                registry.refinementPermissions(BigInteger.valueOf(fileId), BigInteger.valueOf(refinerId), account.value()));
    }

    /** How many files refiner {@code refinerId} refined. */
    public long refinedFilesCount(long refinerId) {
        return Calls.send("counting the files of refiner " + refinerId,
                registry.refinedFilesCount(BigInteger.valueOf(refinerId))).longValueExact();
    }

    /** The ids of the files refiner {@code refinerId} refined from position {@code offset} on, oldest first. */
    public List<Long> refinedFiles(long refinerId, long offset) {
        List<Long> ids = new ArrayList<>();
        long count = refinedFilesCount(refinerId);
        for (long from = offset; from < count; from += PAGE) {
            List<?> page = Calls.send("reading the files of refiner " + refinerId,
                    registry.refinedFiles(BigInteger.valueOf(refinerId), BigInteger.valueOf(from), BigInteger.valueOf(PAGE)));
            page.forEach(id -> ids.add(((BigInteger) id).longValueExact()));
        }
        return ids;
    }

    // ---- permissions

    /**
     * Adds a permission: granted at once when this account owns the DataDAO, otherwise a request
     * for this account that waits for the owner's approval. A zero {@code grantee} makes it generic
     * (for everyone; owner only).
     */
    public QueryPermission addPermission(Address grantee, long refinerId, String table, String column, BigInteger price,
            Address token) {
        String what = "adding a permission on refiner " + refinerId;
        TransactionReceipt receipt = Calls.send(what, grantee.isZero()
                ? engine.addGenericPermission(BigInteger.valueOf(refinerId), table, column, price, token.value())
                : engine.addPermission(grantee.value(), BigInteger.valueOf(refinerId), table, column, price, token.value()));
        return permission(single(QueryEngine.getPermissionAddedEvents(receipt), what).permissionId.longValueExact());
    }

    /** Approves a requested permission (the DataDAO's owner only); fails naming why before sending anything. */
    public String approvePermission(long id) {
        QueryPermission permission = permission(id);
        if (permission.revoked()) {
            throw new ChainException("permission " + id + " was revoked; it cannot be approved");
        }
        if (permission.approved()) {
            throw new ChainException("permission " + id + " is already approved");
        }
        requireDataDaoOwner(permission, "approves it");
        return Calls.send("approving permission " + id, engine.approvePermission(BigInteger.valueOf(id))).getTransactionHash();
    }

    /** Revokes a permission (its DataDAO's owner or its grantee); fails naming why before sending anything. */
    public String revokePermission(long id) {
        QueryPermission permission = permission(id);
        if (permission.revoked()) {
            throw new ChainException("permission " + id + " is already revoked");
        }
        if (permission.grantee().isZero() || !permission.grantee().equals(chain.account())) {
            requireDataDaoOwner(permission, "or its grantee revokes it");
        }
        return Calls.send("revoking permission " + id, engine.revokePermission(BigInteger.valueOf(id))).getTransactionHash();
    }

    private void requireDataDaoOwner(QueryPermission permission, String who) {
        requireDataDaoOwner(refiner(permission.refinerId()).dlpId(), who);
    }

    /** Fails, naming the owner, unless this connection's account owns DataDAO {@code dlpId} (or it does not exist). */
    public void requireDataDaoOwner(long dlpId, String who) {
        Address owner = dataDaoOwner(dlpId);
        if (!owner.equals(chain.account())) {
            throw new ChainException(chain.account() + " does not own DataDAO " + dlpId + "; its owner " + owner + " " + who);
        }
    }

    /** Permission {@code id}; fails naming it when there is none. */
    public QueryPermission permission(long id) {
        long count = Calls.send("counting permissions", engine.permissionsCount()).longValueExact();
        if (id < 1 || id > count) {
            throw ChainException.notFound("there is no permission " + id + " (" + count + " exist)");
        }
        QueryEngine.Permission p = Calls.send("reading permission " + id, engine.permissions(BigInteger.valueOf(id)));
        return new QueryPermission(id, Address.of(p.grantee), p.refinerId.longValueExact(), p.tableName, p.columnName,
                p.price, Address.of(p.token), p.approved, p.revoked);
    }

    /** The permissions on refiner {@code refinerId}'s tables, oldest first. */
    public List<QueryPermission> permissionsOf(long refinerId) {
        List<?> ids = Calls.send("reading the permissions of refiner " + refinerId,
                engine.refinerPermissions(BigInteger.valueOf(refinerId)));
        return ids.stream().map(id -> permission(((BigInteger) id).longValueExact())).toList();
    }

    /**
     * A change to a permission, as its event tells it: one added (approved at once when its DataDAO's
     * owner added it, else a pending request), approved, or revoked (for good).
     */
    public sealed interface PermissionEvent {
        long permissionId();

        record Added(QueryPermission permission) implements PermissionEvent {
            @Override
            public long permissionId() {
                return permission.id();
            }
        }

        record Approved(long permissionId) implements PermissionEvent {}

        record Revoked(long permissionId) implements PermissionEvent {}
    }

    /** The block DataCoop's contracts were deployed in: nothing of theirs is older. */
    public long deploymentBlock() {
        return deploymentBlock;
    }

    /**
     * Every permission event in blocks {@code fromBlock..toBlock}, oldest first: one {@code eth_getLogs}
     * call per {@link BlockRange#MAX_BLOCKS} blocks, however many permissions there are.
     */
    public List<PermissionEvent> permissionEvents(long fromBlock, long toBlock) {
        String added = EventEncoder.encode(QueryEngine.PERMISSIONADDED_EVENT);
        String approved = EventEncoder.encode(QueryEngine.PERMISSIONAPPROVED_EVENT);
        String revoked = EventEncoder.encode(QueryEngine.PERMISSIONREVOKED_EVENT);
        List<PermissionEvent> events = new ArrayList<>();
        for (var log : Calls.logs(chain, engine.getContractAddress(), fromBlock, toBlock,
                filter -> filter.addOptionalTopics(added, approved, revoked), "reading permission events")) {
            String topic = log.getTopics().get(0);
            if (topic.equals(added)) {
                var e = QueryEngine.getPermissionAddedEventFromLog(log);
                events.add(new PermissionEvent.Added(new QueryPermission(e.permissionId.longValueExact(),
                        Address.of(e.grantee), e.refinerId.longValueExact(), e.tableName, e.columnName, e.price,
                        Address.of(e.token), e.approved, false)));
            } else if (topic.equals(approved)) {
                events.add(new PermissionEvent.Approved(
                        QueryEngine.getPermissionApprovedEventFromLog(log).permissionId.longValueExact()));
            } else {
                events.add(new PermissionEvent.Revoked(
                        QueryEngine.getPermissionRevokedEventFromLog(log).permissionId.longValueExact()));
            }
        }
        return events;
    }

    /** The fewest distinct contributors a released aggregate group of DataDAO {@code dlpId} must cover. */
    public long minGroupSize(long dlpId) {
        return Calls.send("reading the minimum group size of DataDAO " + dlpId,
                engine.minGroupSize(BigInteger.valueOf(dlpId))).longValueExact();
    }

    public String setMinGroupSize(long dlpId, long size) {
        return Calls.send("setting the minimum group size of DataDAO " + dlpId,
                engine.setMinGroupSize(BigInteger.valueOf(dlpId), BigInteger.valueOf(size))).getTransactionHash();
    }

    /** The shares of each payment, in basis points: the protocol's (and its treasury) and DataDAO {@code dlpId}'s. */
    public record Shares(long protocolBps, Address treasury, long dataDaoBps) {}

    public Shares shares(long dlpId) {
        var protocol = Calls.send("reading the protocol share", engine.protocolShare());
        return new Shares(protocol.component1().longValueExact(), Address.of(protocol.component2()),
                Calls.send("reading the share of DataDAO " + dlpId, engine.dataDaoShare(BigInteger.valueOf(dlpId)))
                        .longValueExact());
    }

    /** The largest share of a payment, in basis points, a DataDAO may set for itself. */
    public long maxDataDaoShareBps() {
        return Calls.send("reading QueryEngine.MAX_DATA_DAO_SHARE_BPS", engine.MAX_DATA_DAO_SHARE_BPS()).longValueExact();
    }

    /** Sets DataDAO {@code dlpId}'s share of each payment for its data, in basis points (its owner only). */
    public String setDataDaoShare(long dlpId, long bps) {
        return Calls.send("setting the share of DataDAO " + dlpId,
                engine.setDataDaoShare(BigInteger.valueOf(dlpId), BigInteger.valueOf(bps))).getTransactionHash();
    }

    // ---- money

    /** Prepays {@code amount} of {@code token} (zero address: native coin) for this account's queries. */
    public String deposit(Address token, BigInteger amount) {
        if (token.isZero()) {
            return Calls.send("depositing " + amount + " wei", engine.deposit(amount)).getTransactionHash();
        }
        DataDaoToken erc20 = DataDaoToken.load(token.value(), chain.web3j(), chain.transactions(), chain.gas());
        Calls.send("approving the QueryEngine to take " + amount, erc20.approve(engine.getContractAddress(), amount));
        return Calls.send("depositing " + amount + " of " + token, engine.depositToken(token.value(), amount))
                .getTransactionHash();
    }

    public String withdrawDeposit(Address token, BigInteger amount) {
        return Calls.send("withdrawing " + amount + " of deposit", engine.withdrawDeposit(token.value(), amount))
                .getTransactionHash();
    }

    public BigInteger deposits(Address token, Address account) {
        return Calls.send("reading the deposit of " + account, engine.deposits(token.value(), account.value()));
    }

    public BigInteger earnings(Address token, Address account) {
        return Calls.send("reading the earnings of " + account, engine.earnings(token.value(), account.value()));
    }

    /** What a claim paid out. */
    public record Claim(BigInteger amount, String txHash) {}

    /** Pays out this account's earnings in {@code token}. */
    public Claim claim(Address token) {
        TransactionReceipt receipt = Calls.send("claiming earnings", engine.claim(token.value()));
        return new Claim(single(QueryEngine.getClaimedEvents(receipt), "claiming earnings").amount,
                receipt.getTransactionHash());
    }

    // ---- queries

    /** The digest a builder signs for {@code request}, computed locally; also the query's id. */
    public byte[] queryDigest(QueryRequest request) {
        return QueryRequestDigest.of(chain.chainId(), engine.getContractAddress(), request);
    }

    /** The query's id, {@code 0x}-hex: its digest. */
    public String queryId(QueryRequest request) {
        return Numeric.toHexString(queryDigest(request));
    }

    /** What a settled query cost and where it was recorded. */
    public record Settlement(String queryId, BigInteger price, String txHash) {}

    /**
     * Charges a query (this account must be the service the request names), committing the root of
     * each refiner's reads; {@code leavesUrl} is where their leaves were published ({@link ReadsDocument}).
     */
    public Settlement settleQuery(QueryRequest request, byte[] signature, List<Long> permissionIds, List<RowsRead> reads,
            String leavesUrl) {
        List<QueryEngine.ReadsRoot> roots = reads.stream()
                .map(r -> new QueryEngine.ReadsRoot(BigInteger.valueOf(r.refinerId()), ReadsTree.of(r).root(),
                        BigInteger.valueOf(r.totalRows())))
                .toList();
        TransactionReceipt receipt = Calls.send("charging the query",
                engine.settleQuery(new QueryEngine.QueryRequest(request.grantee().value(), request.service().value(),
                                Numeric.hexStringToByteArray(request.sqlHash()), request.token().value(),
                                request.maxPrice(), request.nonce(), BigInteger.valueOf(request.deadline())),
                        signature, permissionIds.stream().sorted().map(BigInteger::valueOf).toList(), roots, leavesUrl));
        var event = single(QueryEngine.getQuerySettledEvents(receipt), "charging the query");
        return new Settlement(Numeric.toHexString(event.queryId), event.price, receipt.getTransactionHash());
    }

    /**
     * A root a settled query committed for one refiner's reads: its contributors' cut is paid leaf by
     * leaf to the files' owners as the leaves are claimed.
     */
    public record Commitment(String queryId, long refinerId, byte[] root, long totalRows, BigInteger contributorsCut,
            String leavesUrl) {}

    /** Every root committed from block {@code fromBlock} on, oldest first. */
    public List<Commitment> commitments(long fromBlock) {
        long from = Math.max(fromBlock, deploymentBlock);
        return Calls.logs(chain, engine.getContractAddress(), from, chain.blockNumber(),
                        filter -> filter.addSingleTopic(EventEncoder.encode(QueryEngine.READSCOMMITTED_EVENT)),
                        "reading the queries' committed reads")
                .stream()
                .map(QueryEngine::getReadsCommittedEventFromLog)
                .map(e -> new Commitment(Numeric.toHexString(e.queryId), e.refinerId.longValueExact(), e.root,
                        e.totalRows.longValueExact(), e.contributorsCut, e.leavesUrl))
                .toList();
    }

    /** The token query {@code queryId} was paid in. */
    public Address committedToken(String queryId, long refinerId) {
        return Address.of(Calls.send("reading the reads committed by query " + queryId,
                engine.committedReads(Numeric.hexStringToByteArray(queryId), BigInteger.valueOf(refinerId))).token);
    }

    /** Whether the leaf of {@code fileId} in that query's reads of {@code refinerId} was claimed. */
    public boolean readClaimed(String queryId, long refinerId, long fileId) {
        return Calls.send("reading whether file " + fileId + " was claimed in query " + queryId,
                engine.readClaimed(Numeric.hexStringToByteArray(queryId), BigInteger.valueOf(refinerId),
                        BigInteger.valueOf(fileId)));
    }

    /** One claim of leaves, and where it was recorded. */
    public record ReadsClaim(String queryId, long refinerId, int leaves, String txHash) {}

    /**
     * Claims the leaves of {@code fileIds} under {@code tree}, the reads query {@code queryId} settled:
     * their shares are credited to the files' owners (whoever sends it), then paid out by {@link #claim}.
     */
    public ReadsClaim claimReads(String queryId, ReadsTree tree, List<Long> fileIds) {
        RowsRead reads = tree.reads();
        List<BigInteger> rows = fileIds.stream().map(file -> {
            Long count = reads.rowsByFile().get(file);
            if (count == null) {
                throw new IllegalArgumentException("file " + file + " is not a leaf of query " + queryId + "'s reads");
            }
            return BigInteger.valueOf(count);
        }).toList();
        List<byte[]> proofs = new ArrayList<>();
        List<BigInteger> proofLengths = new ArrayList<>();
        for (long file : fileIds) {
            List<byte[]> proof = tree.proof(file);
            proofs.addAll(proof);
            proofLengths.add(BigInteger.valueOf(proof.size()));
        }
        String what = "claiming " + fileIds.size() + " files read by query " + queryId;
        TransactionReceipt receipt = Calls.send(what, engine.claimReads(Numeric.hexStringToByteArray(queryId),
                new QueryEngine.Reads(BigInteger.valueOf(reads.refinerId()), fileIds.stream().map(BigInteger::valueOf).toList(),
                        rows),
                proofs, proofLengths));
        return new ReadsClaim(queryId, reads.refinerId(), fileIds.size(), receipt.getTransactionHash());
    }

    private static <T> T single(List<T> events, String what) {
        if (events.size() != 1) {
            throw new ChainException(what + " emitted " + events.size() + " events; expected one");
        }
        return events.get(0);
    }
}
