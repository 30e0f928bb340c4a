package org.datacoop.worker;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.datacoop.chain.BlockRange;
import org.datacoop.chain.ComputeChain;
import org.datacoop.chain.QueryChain;
import org.datacoop.compute.trace.Trace;
import org.datacoop.node.job.ValidatorNode.RequestRefused;
import org.datacoop.protocol.Address;
import org.datacoop.protocol.Hex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This validator as a challenger. It watches the OP results proposed on-chain ({@code Proposed}), and
 * takes each one by another worker over the rows of a DataDAO it is a bonded challenger of: it
 * re-executes the task ({@link TaskExecution#reexecute}) and, when its result differs and the window is
 * still open, disputes it with its own trace (kept first, in its journal) and its registry bond, then
 * plays the dispute to its end ({@link DisputePlayer}). Its journal ({@code challenges/}) holds each
 * task it took: {@code CHECKING} until re-executed, {@code DISPUTING} until the dispute ends, then
 * {@code AGREED} or {@code DISPUTED} (the reason says how it ended); a restart takes up the others.
 */
final class ChallengerWatch {
    private static final Logger LOG = LoggerFactory.getLogger(ChallengerWatch.class);

    private final ComputeChain compute;
    private final QueryChain queries;
    private final TaskJournal journal;
    private final TaskExecution execution;
    private final DisputePlayer player;
    private final Address self;
    private final long deploymentBlock;
    private final Object chainWrites;

    ChallengerWatch(ComputeChain compute, QueryChain queries, TaskJournal journal, TaskExecution execution,
            DisputePlayer player, Address self, long deploymentBlock, Object chainWrites) {
        this.compute = compute;
        this.queries = queries;
        this.journal = journal;
        this.execution = execution;
        this.player = player;
        this.self = self;
        this.deploymentBlock = deploymentBlock;
        this.chainWrites = chainWrites;
    }

    /** The OP results proposed since the last scan that this node should check, journaled {@code CHECKING}. */
    List<String> scan() {
        List<String> found = new ArrayList<>();
        long head = compute.blockNumber();
        for (BlockRange range : BlockRange.split(Math.max(journal.nextBlock(), deploymentBlock), head, BlockRange.MAX_BLOCKS)) {
            for (String taskId : compute.proposedTasks(range.from(), range.to())) {
                if (journal.find(taskId).isEmpty() && dataDao(taskId).isPresent()) {
                    journal.save(new TaskJournal.Entry(taskId, TaskJournal.State.CHECKING, ""));
                    LOG.info("[taskId:{}] an OP result to check as a challenger", taskId);
                    found.add(taskId);
                }
            }
            journal.setNextBlock(range.to() + 1);
        }
        return found;
    }

    /**
     * Takes task {@code taskId} to check now, as {@code POST /challenge} asks (a result proposed before this
     * node joined, say): journaled {@code CHECKING} and empty when it is this node's to check and was not
     * taken yet; its entry when it was. Refuses what this node cannot challenge, naming why.
     */
    Optional<TaskJournal.Entry> take(String taskId) {
        Optional<TaskJournal.Entry> taken = journal.find(taskId);
        if (taken.isPresent()) {
            return taken;
        }
        ComputeChain.Proposal proposal = compute.proposal(taskId).orElseThrow(() -> new RequestRefused(409, "task " + taskId
                + " has no OP result to challenge"));
        if (proposal.worker().equals(self)) {
            throw new RequestRefused(403, "this validator " + self + " proposed task " + taskId + "'s result itself");
        }
        if (dataDao(taskId).isEmpty()) {
            throw new RequestRefused(403, "this validator " + self + " is not a challenger of a DataDAO task " + taskId
                    + " reads: its owner admits it (coop challenger admit), then it joins (coop challenger join)");
        }
        journal.save(new TaskJournal.Entry(taskId, TaskJournal.State.CHECKING, ""));
        LOG.info("[taskId:{}] an OP result to check as a challenger, as asked", taskId);
        return Optional.empty();
    }

    /** The DataDAO this node challenges for whose rows task {@code taskId} reads, unless this node proposed it. */
    private Optional<Long> dataDao(String taskId) {
        Optional<ComputeChain.Proposal> proposal = compute.proposal(taskId);
        if (proposal.isEmpty() || proposal.get().worker().equals(self)) {
            return Optional.empty();
        }
        for (long refinerId : compute.task(taskId).orElseThrow().refinerIds()) {
            long dlpId = queries.refiner(refinerId).dlpId();
            if (compute.isChallenger(dlpId, self)) {
                return Optional.of(dlpId);
            }
        }
        return Optional.empty();
    }

    /**
     * Re-executes task {@code taskId} (unless its trace is kept from before a restart) and disputes its
     * result if it differs; the entry's new state: {@code DISPUTING} or {@code AGREED}, or still
     * {@code CHECKING} while another challenger's dispute of it runs (to be checked again).
     */
    TaskJournal.State check(String taskId) {
        Trace mine = journal.trace(taskId).orElseGet(() -> {
            Trace computed = execution.reexecute(taskId);
            journal.saveTrace(taskId, computed);
            return computed;
        });
        String result = Hex.prefixed(mine.state((int) mine.length()));
        ComputeChain.Proposal proposal = compute.proposal(taskId).orElseThrow();
        if (compute.dispute(taskId).filter(d -> d.challenger().equals(self)).isPresent()) {
            return save(taskId, TaskJournal.State.DISPUTING, ""); // disputed before a restart
        }
        if (proposal.resultHash().equalsIgnoreCase(result)) {
            LOG.info("[taskId:{}] re-executed: the same result {}", taskId, result);
            return save(taskId, TaskJournal.State.AGREED, "re-executed: the same result");
        }
        if (proposal.status() == ComputeChain.ProposalStatus.DISPUTED) {
            return TaskJournal.State.CHECKING; // another challenger's dispute runs: if it loses, the window resumes
        }
        if (proposal.status() != ComputeChain.ProposalStatus.OPEN || compute.blockNumber() >= proposal.windowEnd()) {
            LOG.warn("[taskId:{}] re-executed to {}, not the proposed {}, but the window is {}", taskId, result,
                    proposal.resultHash(), proposal.status() == ComputeChain.ProposalStatus.OPEN ? "closing" : proposal.status());
            return save(taskId, TaskJournal.State.AGREED, "another result, but the result was " + proposal.status()
                    + " with its window ending at block " + proposal.windowEnd());
        }
        long dlpId = dataDao(taskId).orElseThrow(() -> new IllegalStateException("this node no longer challenges for a"
                + " DataDAO task " + taskId + " reads"));
        synchronized (chainWrites) {
            compute.submitFraudProof(taskId, dlpId, result, mine.rootHex(), mine.length());
        }
        LOG.info("[taskId:{}] disputed: its result is {}, the worker's {}", taskId, result, proposal.resultHash());
        return save(taskId, TaskJournal.State.DISPUTING, "");
    }

    /** Plays task {@code taskId}'s dispute one turn; true once it ended (journaled {@code DISPUTED}). */
    boolean play(String taskId) {
        Trace mine = journal.trace(taskId).orElseThrow(() -> new IllegalStateException("the challenger kept no trace of"
                + " task " + taskId));
        ComputeChain.DisputePhase phase = player.play(taskId, mine);
        if (!phase.ended()) {
            return false;
        }
        save(taskId, TaskJournal.State.DISPUTED, switch (phase) {
            case CHALLENGER_WON -> "won: the worker's result was wrong";
            case WORKER_WON -> "lost: the worker's result stood";
            default -> "undecided: the referees did not decide in time";
        });
        return true;
    }

    /** The tasks taken and not ended before a restart. */
    List<TaskJournal.Entry> unfinished() {
        return journal.unfinished();
    }

    /** Ends the check of a task this node cannot re-execute (its spec not sealed to it, its data not shared). */
    void giveUp(String taskId, String reason) {
        save(taskId, TaskJournal.State.AGREED, "not re-executed: " + reason);
    }

    private TaskJournal.State save(String taskId, TaskJournal.State state, String reason) {
        journal.save(new TaskJournal.Entry(taskId, state, reason));
        return state;
    }
}
