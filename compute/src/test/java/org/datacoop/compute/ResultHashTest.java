package org.datacoop.compute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.datacoop.protocol.Sha256;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The result hash is exactly what its documentation says, and every byte of the output counts. */
class ResultHashTest {
    @TempDir
    Path dir;

    private Path output(String name) throws IOException {
        Path out = Files.createDirectories(dir.resolve(name));
        Files.createDirectories(out.resolve("sub"));
        Files.writeString(out.resolve("sub/c.txt"), "see");
        Files.writeString(out.resolve("b.json"), "{}\n");
        Files.writeString(out.resolve("sub.txt"), "");
        return out;
    }

    @Test
    void isTheDocumentedEncoding() throws IOException {
        Path out = output("out");
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        DataOutputStream data = new DataOutputStream(expected);
        data.write("datacoop-output/v1\n".getBytes(StandardCharsets.UTF_8));
        // Byte order of the paths: "sub.txt" ('.' is 0x2e) before "sub/c.txt" ('/' is 0x2f).
        for (String[] file : new String[][] {{"b.json", "{}\n"}, {"sub.txt", ""}, {"sub/c.txt", "see"}}) {
            data.writeInt(file[0].length());
            data.write(file[0].getBytes(StandardCharsets.UTF_8));
            data.writeLong(file[1].length());
            data.write(file[1].getBytes(StandardCharsets.UTF_8));
        }

        assertThat(ResultHash.files(out)).containsExactly("b.json", "sub.txt", "sub/c.txt");
        assertThat(ResultHash.of(out)).isEqualTo(Sha256.of(expected.toByteArray()));
    }

    @Test
    void changesWithAnyByteOrNameButNotWithEmptyDirectories() throws IOException {
        byte[] base = ResultHash.of(output("base"));

        Path emptyDir = output("empty-dir");
        Files.createDirectories(emptyDir.resolve("nothing"));
        Path changed = output("changed");
        Files.writeString(changed.resolve("sub/c.txt"), "sea");
        Path renamed = output("renamed");
        Files.move(renamed.resolve("b.json"), renamed.resolve("a.json"));
        Path moved = output("moved");
        // The same bytes split differently between two files must not collide.
        Files.writeString(moved.resolve("b.json"), "{}\n" + "");
        Files.writeString(moved.resolve("sub.txt"), "x");

        assertThat(ResultHash.of(emptyDir)).isEqualTo(base);
        assertThat(ResultHash.of(changed)).isNotEqualTo(base);
        assertThat(ResultHash.of(renamed)).isNotEqualTo(base);
        assertThat(ResultHash.of(moved)).isNotEqualTo(base);
    }

    @Test
    void refusesALinkInTheOutput() throws IOException {
        Path out = output("linked");
        Files.createSymbolicLink(out.resolve("key"), Path.of("/etc/hostname"));

        assertThatThrownBy(() -> ResultHash.of(out))
                .isInstanceOf(ComputeException.class)
                .hasMessageContaining("the output holds key, which is not a regular file");
    }

    @Test
    void computeRefusesAnOutputDirectoryThatIsNotEmpty() throws IOException {
        Path out = output("used");
        Path rows = TaskRows.write(dir.resolve("rows.parquet"), 10);

        assertThatThrownBy(() -> Compute.run(org.datacoop.compute.builtin.Builtin.EVALUATE, TaskInput.of(rows, "{}"), out))
                .isInstanceOf(ComputeException.class)
                .hasMessageContaining("is not empty");
    }
}
