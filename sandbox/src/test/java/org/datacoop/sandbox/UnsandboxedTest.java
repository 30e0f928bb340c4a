package org.datacoop.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operator's explicit opt-out: the same launch, translated to this machine's paths, with no isolation. */
class UnsandboxedTest {
    @TempDir
    Path dir;

    @Test
    void runsTheLaunchWithItsPathsTranslatedAndSaysItIsNoSandbox() throws IOException {
        Unsandboxed none = new Unsandboxed(dir);
        Path input = Files.createDirectories(dir.resolve("input"));
        Path output = Files.createDirectories(dir.resolve("output"));
        Files.writeString(input.resolve("data"), "hello");
        Path program = Files.writeString(dir.resolve("program"), "#!/bin/sh\ncat \"$INPUT_DIR/data\" > \"$OUTPUT_DIR/copy\"\n");
        Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwx------"));

        int exit = none.run(new Launch(Root.HOST, List.of("/app/program"), Map.of("INPUT_DIR", "/input", "OUTPUT_DIR", "/output"),
                "/app", input, output, Optional.empty(), List.of(new Mount(dir, "/app")), Limits.DEFAULT, Duration.ofSeconds(10)));

        assertThat(exit).isZero();
        assertThat(Files.readString(output.resolve("copy"))).isEqualTo("hello");
        assertThat(none.type()).isEqualTo("none");
    }

    @Test
    void refusesAnImage() {
        Unsandboxed none = new Unsandboxed(dir);

        assertThatThrownBy(() -> none.run(new Launch(new Root.Image(dir), List.of("/bin/true"), Map.of(), "/", dir, dir,
                Optional.empty(), List.of(), Limits.DEFAULT, Duration.ofSeconds(1))))
                .isInstanceOf(SandboxException.class).hasMessageContaining("install bubblewrap");
    }
}
