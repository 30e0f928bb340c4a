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

class ResultBundleTest {
    @TempDir
    Path tmp;

    @Test
    void aBundlesSha256IsTheResultHashAndItUnpacksToTheSameFiles() throws IOException {
        Path out = Files.createDirectories(tmp.resolve("out/sub"));
        Files.writeString(out.getParent().resolve("model.json"), "{\"w\":[1,2]}");
        Files.writeString(out.resolve("b.csv"), "x\n1\n");
        byte[] bundle = ResultBundle.of(out.getParent());
        assertThat(Sha256.digest().digest(bundle)).isEqualTo(ResultHash.of(out.getParent()));

        Path copy = tmp.resolve("copy");
        ResultBundle.unpack(bundle, copy, 1 << 20);
        assertThat(ResultHash.of(copy)).isEqualTo(ResultHash.of(out.getParent()));
        assertThat(Files.readString(copy.resolve("sub/b.csv"))).isEqualTo("x\n1\n");
    }

    @Test
    void aHostileBundleIsRefusedNamingWhy() throws IOException {
        assertThatThrownBy(() -> ResultBundle.unpack("nope".getBytes(StandardCharsets.UTF_8), tmp.resolve("a"), 100))
                .hasMessageContaining("header");
        assertThatThrownBy(() -> ResultBundle.unpack(bundle("../evil", "x"), tmp.resolve("b"), 100))
                .hasMessageContaining("leaves the output directory");
        assertThat(tmp.resolve("evil")).doesNotExist();
        assertThatThrownBy(() -> ResultBundle.unpack(bundle("big", "x".repeat(200)), tmp.resolve("c"), 100))
                .hasMessageContaining("more than 100 bytes");
        byte[] cut = bundle("f", "abcdef");
        assertThatThrownBy(() -> ResultBundle.unpack(java.util.Arrays.copyOf(cut, cut.length - 2), tmp.resolve("d"), 100))
                .hasMessageContaining("cut short");
    }

    private static byte[] bundle(String path, String content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write("datacoop-output/v1\n".getBytes(StandardCharsets.UTF_8));
        byte[] name = path.getBytes(StandardCharsets.UTF_8);
        out.writeInt(name.length);
        out.write(name);
        out.writeLong(content.length());
        out.write(content.getBytes(StandardCharsets.UTF_8));
        return bytes.toByteArray();
    }
}
