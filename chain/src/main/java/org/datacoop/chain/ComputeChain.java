package org.datacoop.chain;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.datacoop.chain.contracts.ChallengerRegistry;
import org.datacoop.chain.contracts.DisputeGame;
import org.datacoop.chain.contracts.ExecutionRecord;
import org.datacoop.chain.contracts.Settlement;
import org.datacoop.chain.contracts.TaskCoordinator;
import org.datacoop.chain.contracts.Verifier;
import org.datacoop.protocol.Address;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.TypeEncoder;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.protocol.core.RemoteCall;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * Compute tasks on one chain: the TaskCoordinator, Verifier, ExecutionRecord, Settlement and, for OP
 * tasks, the DisputeGame, mapped to records here and nowhere else. Task ids, hashes and digests are {@code 0x} and 64 hex digits.
 */
public final class ComputeChain {
    private final ChainConnection chain;
    private final TaskCoordinator coordinator;
    private final Verifier verifier;
    private final ExecutionRecord record;
    private final Settlement settlement;
    private final DisputeGame game;
    private final ChallengerRegistry challengers;
    private final long deploymentBlock;

    public ComputeChain(ChainConnection chain, Deployment deployment) {
        this.chain = chain;
        this.deploymentBlock = deployment.deploymentBlock();
        this.coordinator = TaskCoordinator.load(deployment.address(Deployment.TASK_COORDINATOR).value(), chain.web3j(),
                chain.transactions(), chain.gas());
        this.verifier = Verifier.load(deployment.address(Deployment.VERIFIER).value(), chain.web3j(), chain.transactions(),
                chain.gas());
        this.record = ExecutionRecord.load(deployment.address(Deployment.EXECUTION_RECORD).value(), chain.web3j(),
                chain.transactions(), chain.gas());
        this.settlement = Settlement.load(deployment.address(Deployment.SETTLEMENT).value(), chain.web3j(),
                chain.transactions(), chain.gas());
        this.game = DisputeGame.load(deployment.address(Deployment.DISPUTE_GAME).value(), chain.web3j(),
                chain.transactions(), chain.gas());
        this.challengers = ChallengerRegistry.load(deployment.address(Deployment.CHALLENGER_REGISTRY).value(),
                chain.web3j(), chain.transactions(), chain.gas());
    }

    public Address account() {
        return chain.account();
    }

    public long blockNumber() {
        return chain.blockNumber();
    }

    // ---- algorithms

    /** Allows algorithm {@code digest} on DataDAO {@code dlpId}'s data (its owner only); returns the transaction hash. */
    public String allowAlgorithm(long dlpId, String digest) {
        return Calls.send("allowing algorithm " + digest + " on DataDAO " + dlpId,
                coordinator.allowAlgorithm(BigInteger.valueOf(dlpId), bytes32(digest))).getTransactionHash();
    }

    /** Takes algorithm {@code digest} off DataDAO {@code dlpId}'s allowlist (its owner only); returns the transaction hash. */
    public String disallowAlgorithm(long dlpId, String digest) {
        return Calls.send("disallowing algorithm " + digest + " on DataDAO " + dlpId,
                coordinator.disallowAlgorithm(BigInteger.valueOf(dlpId), bytes32(digest))).getTransactionHash();
    }

    public boolean isAlgorithmAllowed(long dlpId, String digest) {
        return Calls.send("reading whether DataDAO " + dlpId + " allows algorithm " + digest,
                coordinator.isAlgorithmAllowed(BigInteger.valueOf(dlpId), bytes32(digest)));
    }

    /** The digests DataDAO {@code dlpId} allows now, in the order they were first allowed. */
    public List<String> allowedAlgorithms(long dlpId) {
        String topic = uintTopic(dlpId);
        Set<String> allowed = new LinkedHashSet<>();
        for (var log : Calls.logs(chain, coordinator.getContractAddress(), deploymentBlock, chain.blockNumber(),
                filter -> filter.addOptionalTopics(EventEncoder.encode(TaskCoordinator.ALGORITHMALLOWED_EVENT),
                        EventEncoder.encode(TaskCoordinator.ALGORITHMDISALLOWED_EVENT)).addSingleTopic(topic),
                "reading DataDAO " + dlpId + "'s algorithms")) {
            String digest = log.getTopics().get(2);
            if (log.getTopics().get(0).equals(EventEncoder.encode(TaskCoordinator.ALGORITHMALLOWED_EVENT))) {
                allowed.add(digest);
            } else {
                allowed.remove(digest);
            }
        }
        return List.copyOf(allowed);
    }

    // ---- tasks

    /** What a requester asks; see ITaskCoordinator.TaskRequest. */
    public record TaskRequest(String sqlHash, List<Long> refinerIds, List<Long> permissionIds, String algorithmDigest,
            String modelId, String paramsHash, Address worker, Address token, BigInteger workerFee, BigInteger maxPrice,
            long deadline, String specUrl, Mode mode) {
        public TaskRequest {
            refinerIds = refinerIds.stream().sorted().toList();
            permissionIds = permissionIds.stream().sorted().toList();
        }
    }

    /** A submitted task: its id, what its data cost and where it was recorded. */
    public record Submitted(String taskId, BigInteger dataPrice, String txHash) {}

    /** What {@code permissionIds} cost {@code requester} in {@code token}. */
    public BigInteger quote(Address requester, Address token, List<Long> permissionIds) {
        return Calls.send("pricing the task's permissions", coordinator.quote(requester.value(), token.value(),
                permissionIds.stream().sorted().map(BigInteger::valueOf).toList()));
    }

    /** Submits a task paying {@code value} (the worker's fee and the data price) in the native coin. */
    public Submitted submitTask(TaskRequest request, BigInteger value) {
        TransactionReceipt receipt = Calls.send("submitting the task", coordinator.submitTask(
                new TaskCoordinator.TaskRequest(bytes32(request.sqlHash()), big(request.refinerIds()),
                        big(request.permissionIds()), bytes32(request.algorithmDigest()), bytes32(request.modelId()),
                        bytes32(request.paramsHash()), BigInteger.valueOf(request.mode().ordinal()), request.worker().value(), request.token().value(),
                        request.workerFee(), request.maxPrice(), BigInteger.valueOf(request.deadline()), request.specUrl()),
                value));
        var events = TaskCoordinator.getTaskSubmittedEvents(receipt);
        if (events.size() != 1) {
            throw new ChainException("submitting the task emitted " + events.size() + " TaskSubmitted events");
        }
        String taskId = Numeric.toHexString(events.get(0).taskId);
        return new Submitted(taskId, task(taskId).orElseThrow().dataPrice(), receipt.getTransactionHash());
    }

    /** How a task's result is proved (IExecutionRecord.VerifyMode). */
    public enum Mode { TEE, TEE_ZK, OP }

    /** A task as the coordinator keeps it. */
    public record Task(String taskId, Address requester, Address worker, Address token, long submittedAt, long deadline,
            BigInteger workerFee, BigInteger dataPrice, String sqlHash, String algorithmDigest, String modelId,
            String paramsHash, List<Long> refinerIds, List<Long> permissionIds, String specUrl, Mode mode) {}

    /** Task {@code taskId}, if there is one. */
    public Optional<Task> task(String taskId) {
        if (record(taskId).status() == Status.NONE) {
            return Optional.empty();
        }
        TaskCoordinator.Task t = Calls.send("reading task " + taskId, coordinator.tasks(bytes32(taskId)));
        return Optional.of(new Task(taskId, Address.of(t.requester), Address.of(t.worker), Address.of(t.token),
                t.submittedAt.longValueExact(), t.deadline.longValueExact(), t.workerFee, t.dataPrice,
                hex(t.sqlHash), hex(t.algorithmDigest), hex(t.modelId), hex(t.paramsHash), longs(t.refinerIds),
                longs(t.permissionIds), t.specUrl, Mode.values()[t.mode.intValueExact()]));
    }

    /** The ids of the tasks assigned to {@code worker} in blocks {@code fromBlock..toBlock}, oldest first. */
    public List<String> tasksAssignedTo(Address worker, long fromBlock, long toBlock) {
        String workerTopic = Numeric.toHexString(Numeric.toBytesPadded(Numeric.toBigInt(worker.value()), 32));
        List<String> ids = new ArrayList<>();
        for (var log : Calls.logs(chain, coordinator.getContractAddress(), Math.max(fromBlock, deploymentBlock), toBlock,
                filter -> filter.addSingleTopic(EventEncoder.encode(TaskCoordinator.TASKSUBMITTED_EVENT))
                        .addNullTopic().addNullTopic().addSingleTopic(workerTopic),
                "reading the tasks of worker " + worker)) {
            ids.add(log.getTopics().get(1));
        }
        return ids;
    }

    /** The ids of the tasks {@code requester} submitted, oldest first: how a requester finds its own tasks again. */
    public List<String> tasksRequestedBy(Address requester) {
        String requesterTopic = Numeric.toHexString(Numeric.toBytesPadded(Numeric.toBigInt(requester.value()), 32));
        List<String> ids = new ArrayList<>();
        for (var log : Calls.logs(chain, coordinator.getContractAddress(), deploymentBlock, chain.blockNumber(),
                filter -> filter.addSingleTopic(EventEncoder.encode(TaskCoordinator.TASKSUBMITTED_EVENT))
                        .addNullTopic().addSingleTopic(requesterTopic),
                "reading the tasks of requester " + requester)) {
            ids.add(log.getTopics().get(1));
        }
        return ids;
    }

    /** Where an ExecutionRecord stands. */
    public enum Status { NONE, SUBMITTED, VERIFIED, REFUNDED, FAILED, PROPOSED }

    /** A task's public record. */
    public record Record(Status status, long submittedAt, long updatedAt, String modelId, String dataRoot,
            String resultHash, String outputUrl, String failureReason) {}

    public Record record(String taskId) {
        ExecutionRecord.Record r = Calls.send("reading the record of task " + taskId, record.records(bytes32(taskId)));
        return new Record(Status.values()[r.status.intValueExact()], r.submittedAt.longValueExact(),
                r.updatedAt.longValueExact(), hex(r.modelId), hex(r.dataRoot), hex(r.resultHash), r.outputUrl,
                r.failureReason);
    }

    /** The Verifier's answer: true only for a verified task. */
    public boolean verifyResult(String taskId) {
        return Calls.send("asking the Verifier about task " + taskId, verifier.verifyResult(bytes32(taskId)));
    }

    /** The EIP-712 digest a worker signs for a TEE proof. */
    public byte[] teeResultDigest(String taskId, String resultHash, byte[] reportHash) {
        return Calls.send("computing the TEE result digest", verifier.teeResultDigest(bytes32(taskId),
                bytes32(resultHash), reportHash));
    }

    /** Submits a TEE proof (anyone may relay one); returns the transaction hash. */
    public String submitTeeProof(String taskId, String resultHash, byte[] signature, byte[] report) {
        return Calls.send("submitting the TEE proof of task " + taskId,
                verifier.submitTEEProof(bytes32(taskId), bytes32(resultHash), signature, report)).getTransactionHash();
    }

    /**
     * The attestation report and signature a task was proved with, read back from the transaction that
     * proved it (or, for an OP task, proposed it: the same signed report): what anyone re-checks offline.
     */
    public record Proof(byte[] signature, byte[] report, String txHash) {}

    public Optional<Proof> proof(String taskId) {
        String topic = taskId.toLowerCase();
        var logs = Calls.logs(chain, verifier.getContractAddress(), deploymentBlock, chain.blockNumber(),
                filter -> filter.addOptionalTopics(EventEncoder.encode(Verifier.TEEPROOFACCEPTED_EVENT),
                        EventEncoder.encode(Verifier.OPTIMISTICRESULTPROPOSED_EVENT)).addSingleTopic(topic),
                "reading the proof of task " + taskId);
        if (logs.isEmpty()) {
            return Optional.empty();
        }
        String txHash = logs.get(0).getTransactionHash();
        List<byte[]> args = teeProofArguments(txHash);
        return Optional.of(new Proof(args.get(2), args.get(3), txHash));
    }

    // ---- optimistic (OP) results

    /** State 0 of task {@code taskId}'s trace over the rows its report reads ({@code dataRoot}): the Verifier's {@code initialStateOf}. */
    public byte[] initialState(String taskId, String dataRoot) {
        return Calls.send("reading the initial state of task " + taskId, verifier.initialStateOf(bytes32(taskId), bytes32(dataRoot)));
    }

    /**
     * Proposes an OP task's result (the worker's own call), signed and attested as a TEE proof, with its
     * trace's root and length, posting {@code bond} (the DisputeGame's {@link DisputeConfig#workerBond});
     * returns the transaction hash.
     */
    public String submitOptimisticResult(String taskId, String resultHash, byte[] signature, byte[] report, String traceRoot,
            long traceLength, BigInteger bond) {
        return Calls.send("proposing the OP result of task " + taskId, verifier.submitOptimisticResult(bytes32(taskId),
                bytes32(resultHash), signature, report, bytes32(traceRoot), BigInteger.valueOf(traceLength), bond))
                .getTransactionHash();
    }

    /**
     * Ends an OP task's window (anyone may): verified and paid when its result stands, failed when it was
     * rejected. The Verifier refuses it while the window is open; returns the transaction hash.
     */
    public String finalizeResult(String taskId) {
        return Calls.send("finalizing the OP result of task " + taskId, verifier.finalize(bytes32(taskId))).getTransactionHash();
    }

    /** The DisputeGame's parameters (IDisputeGame.Config): windows and move deadlines in blocks, bonds in wei. */
    public record DisputeConfig(long challengeWindow, long moveBlocks, long stepBlocks, BigInteger workerBond, int burnBps,
            int refereeBps, int quorum) {}

    public DisputeConfig disputeConfig() {
        DisputeGame.Config c = Calls.send("reading the DisputeGame's config", game.config());
        return new DisputeConfig(c.challengeWindow.longValueExact(), c.moveBlocks.longValueExact(),
                c.stepBlocks.longValueExact(), c.workerBond, c.burnBps.intValueExact(), c.refereeBps.intValueExact(),
                c.quorum.intValueExact());
    }

    /** Where an OP result stands in the DisputeGame (IDisputeGame.ProposalStatus). */
    public enum ProposalStatus { NONE, OPEN, DISPUTED, FAULTED, UNDECIDED, ACCEPTED, REJECTED }

    /**
     * An OP result as the DisputeGame keeps it: {@code windowEnd} is the last block a challenge may come
     * in ({@link #finalizeResult} works from the block after), {@code bond} the worker's bond still held.
     */
    public record Proposal(Address worker, ProposalStatus status, long windowEnd, long traceLength, long disputes,
            String initialState, String resultHash, String traceRoot, BigInteger bond) {}

    /** Task {@code taskId}'s OP result, if one was proposed. */
    public Optional<Proposal> proposal(String taskId) {
        DisputeGame.Proposal p = Calls.send("reading the OP result of task " + taskId, game.proposals(bytes32(taskId)));
        ProposalStatus status = ProposalStatus.values()[p.status.intValueExact()];
        if (status == ProposalStatus.NONE) {
            return Optional.empty();
        }
        return Optional.of(new Proposal(Address.of(p.worker), status, p.windowEnd.longValueExact(),
                p.traceLength.longValueExact(), p.disputes.longValueExact(), hex(p.initialState), hex(p.resultHash),
                hex(p.traceRoot), p.bond));
    }

    /** What {@code account} may claim from the DisputeGame in wei: bonds returned, disputes won. */
    public BigInteger disputeEarnings(Address account) {
        return Calls.send("reading the DisputeGame earnings of " + account, game.earnings(account.value()));
    }

    /** The ids of the OP results proposed in blocks {@code fromBlock..toBlock}, oldest first: what challengers watch. */
    public List<String> proposedTasks(long fromBlock, long toBlock) {
        List<String> ids = new ArrayList<>();
        for (var log : Calls.logs(chain, game.getContractAddress(), Math.max(fromBlock, deploymentBlock), toBlock,
                filter -> filter.addSingleTopic(EventEncoder.encode(DisputeGame.PROPOSED_EVENT)),
                "reading the OP results proposed")) {
            ids.add(log.getTopics().get(1));
        }
        return ids;
    }

    /**
     * Disputes task {@code taskId}'s OP result as this account, a challenger of DataDAO {@code dlpId}
     * (its registry bond locked), with its own result hash and trace; returns the transaction hash.
     */
    public String submitFraudProof(String taskId, long dlpId, String resultHash, String traceRoot, long traceLength) {
        // abi.encode(uint256 dlpId, bytes32 resultHash, bytes32 traceRoot, uint64 traceLength): four words.
        byte[] evidence = Numeric.hexStringToByteArray(TypeEncoder.encode(new Uint256(dlpId))
                + Numeric.toHexStringNoPrefix(bytes32(resultHash)) + Numeric.toHexStringNoPrefix(bytes32(traceRoot))
                + TypeEncoder.encode(new Uint256(traceLength)));
        return Calls.send("disputing the OP result of task " + taskId, verifier.submitFraudProof(bytes32(taskId), evidence,
                chain.account().value())).getTransactionHash();
    }

    /** Where a dispute stands (IDisputeGame.DisputePhase). */
    public enum DisputePhase { NONE, BISECTING, STEP, WORKER_WON, CHALLENGER_WON, UNDECIDED;

        /** Whether the dispute is over. */
        public boolean ended() {
            return this == WORKER_WON || this == CHALLENGER_WON || this == UNDECIDED;
        }
    }

    /**
     * A task's latest dispute (IDisputeGame.Dispute): the parties agree on {@code agreed} at {@code lo}
     * and disagree at {@code hi}; {@code midState} is the last mover's state at {@code mid} (0: none
     * pending); {@code deadline} the last block of the current move or decision.
     */
    public record Dispute(Address challenger, DisputePhase phase, boolean workerTurn, long moves, long openedAt,
            long deadline, long lo, long hi, long mid, long challengerTraceLength, long dlpId, String agreed,
            String workerAtHi, String challengerAtHi, String midState, String challengerTraceRoot) {}

    /** Task {@code taskId}'s latest dispute, if one was opened. */
    public Optional<Dispute> dispute(String taskId) {
        DisputeGame.Dispute d = Calls.send("reading the dispute of task " + taskId, game.disputes(bytes32(taskId)));
        DisputePhase phase = DisputePhase.values()[d.phase.intValueExact()];
        if (phase == DisputePhase.NONE) {
            return Optional.empty();
        }
        return Optional.of(new Dispute(Address.of(d.challenger), phase, d.workerTurn, d.moves.longValueExact(),
                d.openedAt.longValueExact(), d.deadline.longValueExact(), d.lo.longValueExact(), d.hi.longValueExact(),
                d.mid.longValueExact(), d.challengerTraceLength.longValueExact(), d.dlpId.longValueExact(), hex(d.agreed),
                hex(d.workerAtHi), hex(d.challengerAtHi), hex(d.midState), hex(d.challengerTraceRoot)));
    }

    /**
     * A move of a dispute as its {@code Moved} event tells it: the {@code number}th, by {@code mover},
     * leaving the range [lo, hi] and the mover's {@code midState} at {@code mid} (0: the step is next).
     */
    public record Move(Address mover, long number, long lo, long hi, long mid, String midState, long deadline) {}

    /** The moves of task {@code taskId}'s latest dispute, first first; none when it has no dispute. */
    public List<Move> moves(String taskId) {
        Optional<Dispute> dispute = dispute(taskId);
        if (dispute.isEmpty()) {
            return List.of();
        }
        List<Move> moves = new ArrayList<>();
        for (var log : Calls.logs(chain, game.getContractAddress(), dispute.get().openedAt(), chain.blockNumber(),
                filter -> filter.addSingleTopic(EventEncoder.encode(DisputeGame.MOVED_EVENT))
                        .addSingleTopic(hex(bytes32(taskId))),
                "reading the moves of task " + taskId)) {
            DisputeGame.MovedEventResponse moved = DisputeGame.getMovedEventFromLog(log);
            moves.add(new Move(Address.of(moved.mover), moved.moves.longValueExact(), moved.lo.longValueExact(),
                    moved.hi.longValueExact(), moved.mid.longValueExact(), hex(moved.midState), moved.deadline.longValueExact()));
        }
        return moves;
    }

    /**
     * A bisection move by the party whose turn it is: {@code previous} its state at the opponent's last
     * midpoint (ignored on the worker's first move), {@code midpoint} its state at the new midpoint.
     */
    public String move(String taskId, String previous, String midpoint) {
        return Calls.send("moving in the dispute of task " + taskId, game.move(bytes32(taskId), bytes32(previous),
                bytes32(midpoint))).getTransactionHash();
    }

    /** Decides the disputed step with the referees' signatures over {@code stateAfter}; returns the transaction hash. */
    public String decide(String taskId, String stateAfter, List<byte[]> signatures) {
        return Calls.send("deciding the disputed step of task " + taskId, game.decide(bytes32(taskId), bytes32(stateAfter),
                signatures)).getTransactionHash();
    }

    /** Ends a dispute whose deadline passed (anyone may): the party that missed its move loses. */
    public String timeout(String taskId) {
        return Calls.send("timing out the dispute of task " + taskId, game.timeout(bytes32(taskId))).getTransactionHash();
    }

    /** The EIP-712 digest a referee signs for step {@code step} of task {@code taskId}: from {@code before} to {@code after}. */
    public byte[] refereeStepDigest(String taskId, long step, String before, String after) {
        return Calls.send("reading the referee digest of task " + taskId, game.refereeStepDigest(bytes32(taskId),
                BigInteger.valueOf(step), bytes32(before), bytes32(after)));
    }

    /** Pays this account's DisputeGame earnings out to it; returns the transaction hash. */
    public String claimDisputeEarnings() {
        return Calls.send("claiming DisputeGame earnings", game.claim()).getTransactionHash();
    }

    /**
     * Where the ether the DisputeGame and the ChallengerRegistry took in stands, in wei: workers' bonds
     * held, earnings owed (not yet claimed), burnt, and challengers' bonds held by the registry.
     */
    public record Bonds(BigInteger held, BigInteger owed, BigInteger burnt, BigInteger challengerBonds) {}

    public Bonds bonds() {
        return new Bonds(Calls.send("reading the held bonds", game.heldBonds()), Calls.send("reading the owed earnings",
                game.owed()), Calls.send("reading the burnt bonds", game.burnt()),
                Calls.send("reading the challengers' bonds", challengers.totalBonds()));
    }

    // ---- challengers

    /** Admits {@code account} as a challenger of DataDAO {@code dlpId} (its owner only); returns the transaction hash. */
    public String admitChallenger(long dlpId, Address account) {
        return Calls.send("admitting challenger " + account + " to DataDAO " + dlpId,
                challengers.admit(BigInteger.valueOf(dlpId), account.value())).getTransactionHash();
    }

    /** Joins DataDAO {@code dlpId}'s challengers as this account, admitted before, posting the registry's bond. */
    public String joinChallengers(long dlpId) {
        return Calls.send("joining the challengers of DataDAO " + dlpId, challengers.join(BigInteger.valueOf(dlpId),
                challengerBond())).getTransactionHash();
    }

    /** Leaves DataDAO {@code dlpId}'s challengers; the bond comes back unless a dispute locks it. */
    public String leaveChallengers(long dlpId) {
        return Calls.send("leaving the challengers of DataDAO " + dlpId, challengers.leave(BigInteger.valueOf(dlpId)))
                .getTransactionHash();
    }

    /** The bond a challenger posts, in wei. */
    public BigInteger challengerBond() {
        return Calls.send("reading the challenger bond", challengers.bond());
    }

    /** Whether {@code account} is a bonded challenger of DataDAO {@code dlpId}. */
    public boolean isChallenger(long dlpId, Address account) {
        return Calls.send("reading the challengers of DataDAO " + dlpId, challengers.isChallenger(BigInteger.valueOf(dlpId),
                account.value()));
    }

    /**
     * A challenger of a DataDAO as the registry keeps it: admitted, its bond (0: not joined), the task
     * whose dispute locks it (0x0…: none), its challenges made, won and lost, reputation and rewards.
     */
    public record Challenger(boolean admitted, BigInteger bond, String lockedIn, long made, long won, long lost,
            long reputation, BigInteger rewards) {}

    public Challenger challenger(long dlpId, Address account) {
        ChallengerRegistry.Challenger c = Calls.send("reading challenger " + account + " of DataDAO " + dlpId,
                challengers.challengers(BigInteger.valueOf(dlpId), account.value()));
        return new Challenger(c.admitted, c.bond, hex(c.lockedIn), c.made.longValueExact(), c.won.longValueExact(),
                c.lost.longValueExact(), c.reputation.longValueExact(), c.rewards);
    }

    /** The worker gives up on a task, with a reason; the requester can then be refunded at once. */
    public String failTask(String taskId, String reason) {
        return Calls.send("failing task " + taskId, coordinator.failTask(bytes32(taskId), reason)).getTransactionHash();
    }

    /** Refunds a failed task, or one not proved by its deadline, to its requester's earnings. */
    public String refund(String taskId) {
        return Calls.send("refunding task " + taskId, coordinator.refund(bytes32(taskId))).getTransactionHash();
    }

    // ---- payments

    /** What {@code account} may claim from the Settlement in {@code token}. */
    public BigInteger earnings(Address token, Address account) {
        return Calls.send("reading the Settlement earnings of " + account,
                settlement.earnings(token.value(), account.value()));
    }

    /** Pays this account's Settlement earnings in {@code token} out to it; returns the transaction hash. */
    public String claim(Address token) {
        return Calls.send("claiming Settlement earnings", settlement.claim(token.value())).getTransactionHash();
    }

    /** The Settlement's address, for claims of contributors' reads. */
    public Address settlement() {
        return Address.of(settlement.getContractAddress());
    }

    static byte[] bytes32(String hex) {
        byte[] bytes;
        try {
            bytes = Numeric.hexStringToByteArray(hex);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not hex: " + hex);
        }
        if (bytes.length != 32) {
            throw new IllegalArgumentException(hex + " is not 32 bytes (0x and 64 hex digits)");
        }
        return bytes;
    }

    private static String hex(byte[] bytes) {
        return Numeric.toHexString(bytes);
    }

    private static List<BigInteger> big(List<Long> values) {
        return values.stream().map(BigInteger::valueOf).toList();
    }

    private static List<Long> longs(List<BigInteger> values) {
        return values.stream().map(BigInteger::longValueExact).toList();
    }

    private static String uintTopic(long value) {
        return Numeric.prependHexPrefix(TypeEncoder.encode(new Uint256(value)));
    }

    /**
     * The four {@code bytes} arguments of a {@code submitTEEProof} call, from its transaction's input; or
     * the first four of a {@code submitOptimisticResult}, the same and in the same places.
     */
    @SuppressWarnings({"rawtypes", "unchecked"})
    private List<byte[]> teeProofArguments(String txHash) {
        String input = Calls.send("reading transaction " + txHash, new RemoteCall<>(chain.web3j().ethGetTransactionByHash(txHash)::send))
                .getTransaction().orElseThrow(() -> new ChainException("transaction " + txHash + " is not found"))
                .getInput();
        List<TypeReference<?>> types = List.of(new TypeReference<DynamicBytes>() {}, new TypeReference<DynamicBytes>() {},
                new TypeReference<DynamicBytes>() {}, new TypeReference<DynamicBytes>() {});
        List<Type> values = FunctionReturnDecoder.decode(Numeric.cleanHexPrefix(input).substring(8), (List) types);
        return values.stream().map(v -> (byte[]) v.getValue()).toList();
    }
}
