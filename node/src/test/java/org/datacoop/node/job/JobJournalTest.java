package org.datacoop.node.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobJournalTest {
    private static final JobRequest WITH_KEY =
            new JobRequest("http", 7L, "seed", Map.of("A", "1"), Map.of(), "00ff", null);

    @TempDir
    Path dir;

    @Test
    void aStepARestartRepeatsIsSeenButNotWritten() {
        JobJournal journal = new JobJournal(dir);
        journal.save(NodeJob.queued(1, 10, 1, JobRequest.FROM_CHAIN));
        journal.progress(1, job -> job.moveTo(JobState.WAITING_FOR_KEY));
        journal.progress(1, job -> job.moveTo(JobState.FETCHING));

        assertThat(journal.find(1)).get().extracting(NodeJob::state).isEqualTo(JobState.FETCHING);
        assertThat(journal.counts()).containsEntry(JobState.FETCHING, 1).doesNotContainKey(JobState.QUEUED);
        assertThat(journal.all()).extracting(NodeJob::state).containsExactly(JobState.FETCHING);
        // A kill now: the next start reads the disk alone, and takes the job up from the start.
        assertThat(new JobJournal(dir).find(1)).get().extracting(NodeJob::state).isEqualTo(JobState.QUEUED);
    }

    @Test
    void theStatesARestartTreatsApartReachTheDisk() {
        JobJournal journal = new JobJournal(dir);
        journal.save(NodeJob.queued(1, 10, 1, JobRequest.FROM_CHAIN));
        journal.save(NodeJob.queued(2, 20, 1, JobRequest.FROM_CHAIN));
        for (JobState step : new JobState[] {JobState.WAITING_FOR_KEY, JobState.FETCHING, JobState.DECRYPTING,
                JobState.RUNNING_PROGRAM, JobState.ATTESTING, JobState.SUBMITTING, JobState.REFINING}) {
            journal.progress(1, job -> job.moveTo(step));
        }
        journal.progress(2, job -> job.moveTo(JobState.FAILING, "the program refused the file"));

        JobJournal restarted = new JobJournal(dir);
        assertThat(restarted.find(1)).get().extracting(NodeJob::state).isEqualTo(JobState.REFINING);
        assertThat(restarted.find(2)).get().extracting(NodeJob::state, NodeJob::reason)
                .containsExactly(JobState.FAILING, "the program refused the file");
        journal.progress(1, job -> job.moveTo(JobState.COMPLETED));
        assertThat(new JobJournal(dir).counts()).isEqualTo(Map.of(JobState.COMPLETED, 1, JobState.FAILING, 1));
    }

    @Test
    void aJobAboutToSendItsProofIsOnDiskWithItsResult() {
        JobJournal journal = new JobJournal(dir);
        journal.save(NodeJob.queued(1, 10, 1, JobRequest.FROM_CHAIN));
        for (JobState step : new JobState[] {JobState.WAITING_FOR_KEY, JobState.FETCHING, JobState.DECRYPTING,
                JobState.RUNNING_PROGRAM, JobState.ATTESTING}) {
            journal.progress(1, job -> job.moveTo(step));
        }
        NodeJob.Result judged = new NodeJob.Result(true, 0.5, "http://storage/attestation", null, null);
        journal.progress(1, job -> job.withResult(judged).moveTo(JobState.SUBMITTING));

        // A kill before the receipt: the proof may be on-chain, and the next start needs what it said.
        assertThat(new JobJournal(dir).find(1)).get().satisfies(job -> {
            assertThat(job.state()).isEqualTo(JobState.SUBMITTING);
            assertThat(job.result()).isEqualTo(judged);
        });
    }

    @Test
    void theNextBlockToScanSurvivesARestart() {
        new JobJournal(dir).setNextBlock(42);
        new JobJournal(dir).setNextBlock(43);
        assertThat(new JobJournal(dir).nextBlock()).isEqualTo(43);
        assertThat(dir.resolve("next-block.partial")).doesNotExist();
    }

    @Test
    void aChangedRequestReachesTheDiskInAnyState() {
        JobJournal journal = new JobJournal(dir);
        journal.save(NodeJob.queued(1, 10, 1, JobRequest.FROM_CHAIN));
        journal.progress(1, job -> job.moveTo(JobState.WAITING_FOR_KEY));
        journal.progress(1, job -> job.withRequest(WITH_KEY));

        assertThat(new JobJournal(dir).find(1)).get().satisfies(job -> {
            assertThat(job.state()).isEqualTo(JobState.WAITING_FOR_KEY);
            assertThat(job.request()).isEqualTo(WITH_KEY);
        });
    }

    @Test
    void anUnknownJobIsNeitherChangedNorCreated() throws IOException {
        JobJournal journal = new JobJournal(dir);
        assertThat(journal.progress(5, job -> job.moveTo(JobState.COMPLETED))).isEmpty();
        assertThat(journal.update(5, job -> job.moveTo(JobState.COMPLETED))).isEmpty();
        assertThat(journal.find(5)).isEmpty();
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }
}
