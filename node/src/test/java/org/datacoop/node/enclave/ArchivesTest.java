package org.datacoop.node.enclave;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchivesTest {
    private static final long LIMIT = 100_000;

    @TempDir
    Path dir;

    @Test
    void aZipBombStopsAtTheLimitWithNoMoreThanTheLimitOnDisk() throws IOException {
        Path bomb = write(zip(new Entry("zeros", new byte[10_000_000])));
        assertThat(Files.size(bomb)).isLessThan(LIMIT / 4);
        Path into = Files.createDirectories(dir.resolve("into"));

        assertThatThrownBy(() -> Archives.extract(bomb, into, LIMIT, 10))
                .isInstanceOf(Archives.Refused.class)
                .hasMessage("the archive is too large: it expands past " + LIMIT + " bytes");
        // checked as it streams, not after: a bomb never fills the disk
        assertThat(bytesUnder(into)).isLessThanOrEqualTo(LIMIT);
    }

    @Test
    void theLimitCountsEveryEntry() throws IOException {
        Path archive = write(zip(new Entry("a", new byte[60_000]), new Entry("b", new byte[60_000])));
        Path into = Files.createDirectories(dir.resolve("into"));
        assertThatThrownBy(() -> Archives.extract(archive, into, LIMIT, 10)).hasMessageContaining("too large");
        assertThat(bytesUnder(into)).isLessThanOrEqualTo(LIMIT);
    }

    @Test
    void anArchiveWithinItsLimitsIsExtracted() throws IOException {
        Path archive = write(zip(new Entry("a.txt", "a".getBytes(StandardCharsets.UTF_8)),
                new Entry("b/c.txt", new byte[(int) LIMIT]))); // exactly the limit is allowed
        Path into = Files.createDirectories(dir.resolve("into"));
        Archives.extract(archive, into, LIMIT + 1, 10);
        assertThat(into.resolve("a.txt")).hasContent("a");
        assertThat(Files.size(into.resolve("b/c.txt"))).isEqualTo(LIMIT);
    }

    @Test
    void tooManyEntriesOrOneOutsideTheFolderAreRefused() throws IOException {
        Path many = write(zip(new Entry("1", new byte[1]), new Entry("2", new byte[1]), new Entry("3", new byte[1])));
        assertThatThrownBy(() -> Archives.extract(many, Files.createDirectories(dir.resolve("many")), LIMIT, 2))
                .hasMessage("the archive holds over 2 entries");
        Path escaping = write(zip(new Entry("../evil", new byte[1])));
        assertThatThrownBy(() -> Archives.extract(escaping, Files.createDirectories(dir.resolve("escaping")), LIMIT, 2))
                .hasMessage("the archive entry ../evil points outside its folder");
        assertThat(dir.resolve("evil")).doesNotExist();
    }

    private record Entry(String name, byte[] content) {}

    private static byte[] zip(Entry... entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Entry entry : entries) {
                zip.putNextEntry(new ZipEntry(entry.name()));
                zip.write(entry.content());
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    private Path write(byte[] zip) throws IOException {
        return Files.write(Files.createTempFile(dir, "archive", ".zip"), zip);
    }

    private static long bytesUnder(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).mapToLong(file -> file.toFile().length()).sum();
        }
    }
}
