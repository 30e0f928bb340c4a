package org.datacoop.node.job;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * A job's life on this node, as an explicit state machine: {@link #canMoveTo} is the whole
 * transition table. Every non-terminal state may go back to {@link #QUEUED} (a restart resumes
 * the job), on to {@link #FAILING} (a reason is known and must reach the chain), or straight to
 * {@link #COMPLETED} or {@link #CANCELED} when the chain says the job already ended. A proved job
 * in {@link #REFINING} only completes; a completed one goes back to {@link #REFINING} when its
 * DataDAO gains a refiner (a backfill).
 */
public enum JobState {
    QUEUED,
    WAITING_FOR_KEY,
    FETCHING,
    DECRYPTING,
    RUNNING_PROGRAM,
    ATTESTING,
    SUBMITTING,
    /** Proved; the DataDAO's refiners are turning the file into tables (the proof stands whatever happens here). */
    REFINING,
    /** Failed with a reason that is being recorded on-chain with {@code failJob}. */
    FAILING,
    COMPLETED,
    FAILED,
    CANCELED;

    private static final Map<JobState, Set<JobState>> NEXT = new EnumMap<>(JobState.class);

    static {
        NEXT.put(QUEUED, EnumSet.of(WAITING_FOR_KEY));
        NEXT.put(WAITING_FOR_KEY, EnumSet.of(FETCHING));
        NEXT.put(FETCHING, EnumSet.of(DECRYPTING));
        NEXT.put(DECRYPTING, EnumSet.of(RUNNING_PROGRAM));
        NEXT.put(RUNNING_PROGRAM, EnumSet.of(ATTESTING));
        NEXT.put(ATTESTING, EnumSet.of(SUBMITTING));
        NEXT.put(SUBMITTING, EnumSet.of(REFINING));
        NEXT.put(REFINING, EnumSet.noneOf(JobState.class));
        NEXT.put(FAILING, EnumSet.of(FAILED));
        for (JobState state : values()) {
            if (!state.isTerminal() && state != FAILING) {
                NEXT.get(state).addAll(EnumSet.of(QUEUED, FAILING, COMPLETED, FAILED, CANCELED));
            }
        }
        NEXT.get(FAILING).addAll(EnumSet.of(FAILING, COMPLETED, CANCELED));
        // Proved: whatever happens to its refinement, the job can only complete. A restart resumes it
        // in REFINING (not QUEUED, where the chain would close it as completed and skip the refinement).
        NEXT.put(REFINING, EnumSet.of(COMPLETED));
        for (JobState state : EnumSet.of(COMPLETED, FAILED, CANCELED)) {
            NEXT.put(state, EnumSet.noneOf(JobState.class));
        }
        // A backfill: a proved file is refined again when its DataDAO gains a refiner, or takes this
        // node as its refinement service, after the job completed.
        NEXT.put(COMPLETED, EnumSet.of(REFINING));
    }

    public boolean isTerminal() {
        return this == COMPLETED || this == FAILED || this == CANCELED;
    }

    public boolean canMoveTo(JobState next) {
        return NEXT.get(this).contains(next);
    }
}
