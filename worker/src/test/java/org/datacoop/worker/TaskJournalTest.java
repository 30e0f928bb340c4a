package org.datacoop.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.datacoop.compute.trace.Trace;
import org.datacoop.protocol.Sha256;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskJournalTest {
    private static final String A = "0x" + "a1".repeat(32);
    private static final String B = "0x" + "b2".repeat(32);

    @TempDir
    Path dir;

    @Test
    void aRestartFindsTheTasksNotEndedAndTheNextBlock() {
        TaskJournal journal = new TaskJournal(dir);
        journal.save(new TaskJournal.Entry(A, TaskJournal.State.QUEUED, ""));
        journal.save(new TaskJournal.Entry(B, TaskJournal.State.QUEUED, ""));
        journal.save(new TaskJournal.Entry(B, TaskJournal.State.FAILED, "the spec's params do not hash"));
        journal.setNextBlock(42);

        TaskJournal reopened = new TaskJournal(dir);
        assertThat(reopened.unfinished()).extracting(TaskJournal.Entry::taskId).containsExactly(A);
        assertThat(reopened.find(B)).hasValueSatisfying(e -> assertThat(e.reason()).contains("params"));
        assertThat(reopened.nextBlock()).isEqualTo(42);
        assertThat(dir.toFile().list()).as("no temporary file left").allMatch(n -> n.endsWith(".json") || n.equals("next-block"));
    }

    @Test
    void aProposedTaskIsUnfinishedAndItsTraceIsKeptBesideIt() throws Exception {
        TaskJournal journal = new TaskJournal(dir);
        Trace trace = new Trace(List.of(new byte[32], Sha256.of(new byte[] {1}), Sha256.of(new byte[] {2})));
        journal.saveTrace(A, trace);
        journal.save(new TaskJournal.Entry(A, TaskJournal.State.PROPOSED, ""));

        TaskJournal reopened = new TaskJournal(dir);
        assertThat(reopened.unfinished()).extracting(TaskJournal.Entry::state).containsExactly(TaskJournal.State.PROPOSED);
        assertThat(Trace.parse(Files.readString(dir.resolve(A + ".trace"))).rootHex()).isEqualTo(trace.rootHex());
        assertThatThrownBy(() -> journal.saveTrace("../escape", trace)).hasMessageContaining("not a task id");
        assertThat(dir.resolveSibling("escape.trace")).doesNotExist();
    }

    @Test
    void aTaskIdThatIsNotOneIsRefusedAndAStrayFileIsIgnored() throws Exception {
        TaskJournal journal = new TaskJournal(dir);
        assertThatThrownBy(() -> journal.find("../../etc/passwd")).hasMessageContaining("not a task id");
        Files.writeString(dir.resolve("notes.txt"), "hello");
        assertThat(journal.unfinished()).isEmpty();
        assertThat(journal.nextBlock()).isZero();
    }
}
