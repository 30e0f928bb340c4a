package org.datacoop.worker;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.datacoop.chain.ComputeChain;
import org.datacoop.compute.trace.Trace;
import org.datacoop.protocol.Address;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's part in an OP dispute, as the result's worker or its challenger, played from the trace it
 * kept: at each poll it posts its move when it is its turn, ends the dispute by {@code timeout} when the
 * opponent (or the referees) let the deadline pass, and in the step phase has the step decided by the
 * referees' quorum ({@link Referees}). It holds nothing but the chain's state, so a restarted node takes
 * the game up where the chain is.
 */
final class DisputePlayer {
    private static final Logger LOG = LoggerFactory.getLogger(DisputePlayer.class);
    /** Referees re-execute before they answer: they are asked again no sooner than this. */
    private static final Duration ASK_AGAIN = Duration.ofSeconds(5);

    private final ComputeChain compute;
    private final Referees referees;
    private final Address self;
    private final Object chainWrites;
    private final Map<String, Instant> askedAt = new ConcurrentHashMap<>();

    DisputePlayer(ComputeChain compute, Referees referees, Address self, Object chainWrites) {
        this.compute = compute;
        this.referees = referees;
        this.self = self;
        this.chainWrites = chainWrites;
    }

    /** Plays this node's turn in task {@code taskId}'s dispute, if any is due; the phase the dispute is in after. */
    ComputeChain.DisputePhase play(String taskId, Trace mine) {
        Optional<ComputeChain.Dispute> found = compute.dispute(taskId);
        if (found.isEmpty() || found.get().phase().ended()) {
            return found.map(ComputeChain.Dispute::phase).orElse(ComputeChain.DisputePhase.NONE);
        }
        ComputeChain.Dispute dispute = found.get();
        Address worker = compute.proposal(taskId).orElseThrow().worker();
        boolean asWorker = worker.equals(self);
        if (!asWorker && !dispute.challenger().equals(self)) {
            return dispute.phase();
        }
        boolean stepPhase = dispute.phase() == ComputeChain.DisputePhase.STEP;
        boolean myTurn = !stepPhase && dispute.workerTurn() == asWorker;
        if (compute.blockNumber() > dispute.deadline()) {
            if (stepPhase || !myTurn) {
                synchronized (chainWrites) {
                    compute.timeout(taskId);
                }
                LOG.info("[taskId:{}] the {} missed the deadline of block {}: timed out", taskId,
                        stepPhase ? "referees" : asWorker ? "challenger" : "worker", dispute.deadline());
            }
            return compute.dispute(taskId).orElseThrow().phase();
        }
        if (myTurn) {
            Bisection.Move move = Bisection.next(dispute, mine);
            synchronized (chainWrites) {
                compute.move(taskId, move.previous(), move.midpoint());
            }
            LOG.info("[taskId:{}] moved as the {}: range [{}, {}], state {} at the midpoint", taskId,
                    asWorker ? "worker" : "challenger", dispute.lo(), dispute.hi(), move.midpoint());
        } else if (stepPhase) {
            decide(taskId, dispute, worker);
        }
        return compute.dispute(taskId).orElseThrow().phase();
    }

    private void decide(String taskId, ComputeChain.Dispute dispute, Address worker) {
        Instant last = askedAt.get(taskId);
        if (last != null && Instant.now().isBefore(last.plus(ASK_AGAIN))) {
            return;
        }
        askedAt.put(taskId, Instant.now());
        Optional<Map.Entry<String, List<byte[]>>> decision = referees.decision(taskId, dispute, worker,
                compute.disputeConfig().quorum());
        if (decision.isEmpty()) {
            return;
        }
        try {
            synchronized (chainWrites) {
                compute.decide(taskId, decision.get().getKey(), decision.get().getValue());
            }
            LOG.info("[taskId:{}] step {} decided by {} referees: state {}", taskId, dispute.lo(),
                    decision.get().getValue().size(), decision.get().getKey());
        } catch (org.datacoop.chain.ChainException e) {
            // The opponent may have had it decided first: the next poll reads how it ended.
            LOG.info("[taskId:{}] deciding step {} failed: {}", taskId, dispute.lo(), e.getMessage());
        }
        askedAt.remove(taskId);
    }
}
