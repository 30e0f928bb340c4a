package org.datacoop.node.program;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileContentIndexTest {
    private static final String HASH_A = "aa".repeat(32);
    private static final String HASH_B = "bb".repeat(32);

    @TempDir
    Path dir;

    @Test
    void theFirstClaimerWinsPerDataDao() {
        FileContentIndex index = new FileContentIndex(dir.resolve("content-index.tsv"));
        assertThat(index.claim(1, HASH_A, 10)).isEqualTo(10);
        assertThat(index.claim(1, HASH_A, 11)).isEqualTo(10);
        assertThat(index.claim(1, HASH_A, 10)).isEqualTo(10);
        assertThat(index.claim(1, HASH_A.toUpperCase(), 12)).isEqualTo(10);
        assertThat(index.claim(2, HASH_A, 11)).isEqualTo(11);
        assertThat(index.claim(1, HASH_B, 12)).isEqualTo(12);
    }

    @Test
    void claimsSurviveARestart() throws Exception {
        Path file = dir.resolve("content-index.tsv");
        FileContentIndex before = new FileContentIndex(file);
        before.claim(1, HASH_A, 10);
        before.claim(1, HASH_A, 11);
        before.claim(2, HASH_B, 20);

        FileContentIndex after = new FileContentIndex(file);
        assertThat(after.claim(1, HASH_A, 11)).isEqualTo(10);
        assertThat(after.claim(2, HASH_B, 21)).isEqualTo(20);
        assertThat(Files.readAllLines(file)).containsExactly("1\t" + HASH_A + "\t10", "2\t" + HASH_B + "\t20");
    }

    @Test
    void aLineCutShortByACrashIsDroppedAndTheFileStaysWellFormed() throws Exception {
        Path file = dir.resolve("content-index.tsv");
        Files.writeString(file, "1\t" + HASH_A + "\t10\n1\t" + HASH_B.substring(0, 20));

        FileContentIndex index = new FileContentIndex(file);
        assertThat(index.claim(1, HASH_A, 11)).isEqualTo(10);
        assertThat(index.claim(1, HASH_B, 12)).isEqualTo(12);
        assertThat(new FileContentIndex(file).claim(1, HASH_B, 13)).isEqualTo(12);
        assertThat(Files.readAllLines(file)).containsExactly("1\t" + HASH_A + "\t10", "1\t" + HASH_B + "\t12");
    }

    @Test
    void aCorruptCompleteLineIsAnError() throws Exception {
        Path file = dir.resolve("content-index.tsv");
        Files.writeString(file, "1\t" + HASH_A + "\t10\nnot a line\n", StandardOpenOption.CREATE);
        assertThatThrownBy(() -> new FileContentIndex(file))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("corrupt at line 2");
    }

    @Test
    void refusesAHashThatIsNotHex() {
        FileContentIndex index = new FileContentIndex(dir.resolve("content-index.tsv"));
        assertThatThrownBy(() -> index.claim(1, "ab\tcd", 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void concurrentClaimersAgreeOnOneWinner() throws Exception {
        FileContentIndex index = new FileContentIndex(dir.resolve("content-index.tsv"));
        List<Future<Long>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (long fileId = 1; fileId <= 32; fileId++) {
                long id = fileId;
                results.add(pool.submit(() -> index.claim(7, HASH_A, id)));
            }
        }
        long winner = results.getFirst().get();
        for (Future<Long> result : results) {
            assertThat(result.get()).isEqualTo(winner);
        }
        assertThat(Files.readAllLines(dir.resolve("content-index.tsv"))).hasSize(1);
    }
}
