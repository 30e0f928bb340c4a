package org.datacoop.sandbox.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.datacoop.sandbox.Bubblewrap;
import org.datacoop.sandbox.SandboxArea;
import org.datacoop.sandbox.SandboxException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An OCI archive built here with umoci, unpacked as the node would unpack a DataDAO's image. */
class ImageUnpackerTest {
    @TempDir
    Path nodeDir;

    @TempDir
    Path work;

    private SandboxArea area;

    @BeforeEach
    void setUp() {
        Bubblewrap.Availability availability = Bubblewrap.probe(nodeDir);
        assumeTrue(availability.sandbox().isPresent(), availability.unavailableReason());
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/umoci")) && Files.isExecutable(Path.of("/usr/bin/skopeo")),
                "umoci or skopeo missing (Debian: apt-get install umoci skopeo)");
        area = availability.sandbox().get().area();
    }

    @Test
    void unpacksTheImagesConfigAndRootAsTheSandboxsUserNeverAsTheNodes() throws Exception {
        Path archive = image("/hello");

        Image image = new ImageUnpacker(area).unpack(archive, sha256(archive));

        assertThat(image.cmd()).containsExactly("/hello");
        Path hello = image.rootfs().resolve("hello");
        assertThat(Files.readString(hello)).isEqualTo("hi\n");
        // skopeo and umoci parse the DataDAO's archive: a root node runs them as the sandbox's user
        int expectedOwner = area.owner().orElse((Integer) Files.getAttribute(nodeDir, "unix:uid"));
        assertThat((Integer) Files.getAttribute(hello, "unix:uid", LinkOption.NOFOLLOW_LINKS)).isEqualTo(expectedOwner);
        assertThat(image.rootfs().resolve("input")).isDirectory();
    }

    @Test
    void refusesATarThatIsNoImageArchive() throws Exception {
        Path notAnImage = work.resolve("plain.tar");
        exec(work, "tar", "-cf", notAnImage.toString(), "-C", work.toString(), ".");

        assertThatThrownBy(() -> new ImageUnpacker(area).unpack(notAnImage, sha256(notAnImage)))
                .isInstanceOf(SandboxException.class)
                .hasMessageContaining("neither an OCI image archive nor a docker-save archive");
    }

    /** An OCI archive of one layer holding {@code /hello}, its cmd {@code cmd}. */
    private Path image(String cmd) throws Exception {
        Path layout = work.resolve("layout");
        Path bundle = work.resolve("bundle");
        exec(work, "umoci", "init", "--layout", layout.toString());
        exec(work, "umoci", "new", "--image", layout + ":t");
        exec(work, "umoci", "unpack", "--rootless", "--image", layout + ":t", bundle.toString());
        Files.writeString(bundle.resolve("rootfs/hello"), "hi\n");
        exec(work, "umoci", "repack", "--image", layout + ":t", bundle.toString());
        exec(work, "umoci", "config", "--image", layout + ":t", "--config.cmd", cmd);
        Path archive = work.resolve("image.tar");
        exec(work, "tar", "-cf", archive.toString(), "-C", layout.toString(), ".");
        return archive;
    }

    private static void exec(Path dir, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(List.of(command)).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command) + ": " + output).isZero();
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
