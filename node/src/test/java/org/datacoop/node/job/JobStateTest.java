package org.datacoop.node.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobStateTest {
    @Test
    void aJobWalksItsStepsInOrderOnly() {
        assertThat(JobState.QUEUED.canMoveTo(JobState.WAITING_FOR_KEY)).isTrue();
        assertThat(JobState.WAITING_FOR_KEY.canMoveTo(JobState.FETCHING)).isTrue();
        assertThat(JobState.QUEUED.canMoveTo(JobState.SUBMITTING)).isFalse();
        assertThat(JobState.RUNNING_PROGRAM.canMoveTo(JobState.DECRYPTING)).isFalse();
        assertThat(JobState.SUBMITTING.canMoveTo(JobState.COMPLETED)).isTrue();
    }

    @Test
    void terminalStatesAreFinalSaveARefiningBackfillAndFailingOnlyEndsOrReconciles() {
        for (JobState terminal : new JobState[] {JobState.COMPLETED, JobState.FAILED, JobState.CANCELED}) {
            for (JobState next : JobState.values()) {
                boolean backfill = terminal == JobState.COMPLETED && next == JobState.REFINING;
                assertThat(terminal.canMoveTo(next)).as(terminal + " -> " + next).isEqualTo(backfill);
            }
        }
        assertThat(JobState.FAILING.canMoveTo(JobState.FAILED)).isTrue();
        assertThat(JobState.FAILING.canMoveTo(JobState.QUEUED)).as("a known failure is not retried").isFalse();
    }

    @Test
    void everyUnfinishedStepCanResumeFailOrBeClosedByTheChain() {
        for (JobState state : JobState.values()) {
            if (state.isTerminal() || state == JobState.FAILING || state == JobState.REFINING) {
                continue;
            }
            assertThat(state.canMoveTo(JobState.QUEUED)).as(state + " resumes").isTrue();
            assertThat(state.canMoveTo(JobState.FAILING)).as(state + " fails").isTrue();
            assertThat(state.canMoveTo(JobState.COMPLETED)).as(state + " proved before a restart").isTrue();
            assertThat(state.canMoveTo(JobState.CANCELED)).as(state + " cancelled by its payer").isTrue();
        }
    }

    @Test
    void aProvedJobBeingRefinedOnlyCompletes() {
        assertThat(JobState.SUBMITTING.canMoveTo(JobState.REFINING)).isTrue();
        for (JobState state : JobState.values()) {
            assertThat(JobState.REFINING.canMoveTo(state)).as("REFINING -> " + state).isEqualTo(state == JobState.COMPLETED);
        }
    }

    @Test
    void anIllegalMoveIsRefusedNamingTheJob() {
        NodeJob job = NodeJob.queued(7, 3, 1, JobRequest.FROM_CHAIN);
        assertThatThrownBy(() -> job.moveTo(JobState.SUBMITTING))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("job 7 cannot go from QUEUED to SUBMITTING");
    }

    @Test
    void theJournalKeepsJobsTheirRequestsAndTheScanPositionAcrossRestarts(@TempDir Path dir) {
        JobJournal journal = new JobJournal(dir);
        JobRequest request = new JobRequest("RunProof", 42L, "seed", java.util.Map.of("A", "1"), java.util.Map.of("K", "0c"), "0a0b",
                "0x" + "ab".repeat(20));
        journal.save(NodeJob.queued(5, 2, 1, JobRequest.FROM_CHAIN).moveTo(JobState.WAITING_FOR_KEY));
        journal.update(5, recorded -> recorded.withRequest(request));
        journal.setNextBlock(99);

        JobJournal reopened = new JobJournal(dir);
        NodeJob job = reopened.find(5).orElseThrow();
        assertThat(job.state()).isEqualTo(JobState.WAITING_FOR_KEY);
        assertThat(job.request()).isEqualTo(request);
        assertThat(reopened.nextBlock()).isEqualTo(99);
        assertThat(reopened.counts()).containsExactly(java.util.Map.entry(JobState.WAITING_FOR_KEY, 1));
        assertThat(reopened.update(6, recorded -> recorded)).as("no job 6 to update").isEmpty();
    }
}
