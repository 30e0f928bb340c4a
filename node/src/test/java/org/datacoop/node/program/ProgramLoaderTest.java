package org.datacoop.node.program;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.datacoop.node.program.ProgramException.Reason;
import org.datacoop.protocol.Address;
import org.datacoop.sandbox.Bubblewrap;
import org.datacoop.sandbox.Limits;
import org.datacoop.sandbox.Sandbox;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which program a pinned digest names and how it runs: packages as zip, tar and tar.gz, and what is refused. */
class ProgramLoaderTest {
    private static final String PROGRAM_JSON = "{\"run\": [\"python3\", \"-m\", \"judge\"], \"env\": [\"MODE\"]}";
    private static final String JUDGE = "import json, os\n"
            + "data = open('/input/data').read()\n"
            + "json.dump({'valid': True, 'score': 0.5, 'metadata': {'mode': os.environ['MODE'], 'data': data}},"
            + " open('/output/results.json', 'w'))\n";

    @TempDir
    Path dir;

    private Sandbox sandbox;
    private ProgramLoader loader;
    private Path input;
    private Path output;

    @BeforeEach
    void setUp() throws IOException {
        Bubblewrap.Availability availability = Bubblewrap.probe(dir);
        Assumptions.assumeTrue(availability.sandbox().isPresent(), availability.unavailableReason());
        sandbox = availability.sandbox().get();
        loader = new ProgramLoader(new FileContentIndex(dir.resolve("index.tsv")), Optional.of(sandbox), "", Limits.DEFAULT);
        Path workspace = sandbox.area().directory("scratch/job");
        sandbox.area().adopt(workspace);
        input = Files.createDirectories(workspace.resolve("input"));
        output = Files.createDirectories(workspace.resolve("output"));
        Files.writeString(input.resolve("data"), "steps");
    }

    @Test
    void aZipPackageRunsAsItsManifestSaysAndDeclaresItsVariables() throws IOException {
        assertPackageRuns(zip(Map.of("program.json", PROGRAM_JSON, "judge/__init__.py", "", "judge/__main__.py", JUDGE)));
    }

    @Test
    void aTarAndATarGzPackageRunToo() throws IOException {
        byte[] tar = tar(Map.of("program.json", PROGRAM_JSON, "judge/__main__.py", JUDGE, "judge/__init__.py", ""), false);
        assertPackageRuns(tar);
        loader = new ProgramLoader(new FileContentIndex(dir.resolve("index2.tsv")), Optional.of(sandbox), "", Limits.DEFAULT);
        assertPackageRuns(gzip(tar));
    }

    @Test
    void aPackageWithoutAManifestIsRefusedNamingIt() throws IOException {
        byte[] zip = zip(Map.of("judge/__main__.py", JUDGE));

        assertThatThrownBy(() -> load(zip)).isInstanceOfSatisfying(ProgramException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.REFUSED);
            assertThat(e.getMessage()).contains("program.json");
        });
    }

    @Test
    void aTarHoldingALinkIsRefused() throws IOException {
        byte[] tar = tar(Map.of("program.json", PROGRAM_JSON), true);

        assertThatThrownBy(() -> load(tar)).isInstanceOf(ProgramException.class).hasMessageContaining("link");
    }

    @Test
    void bytesOtherThanThePinnedOnesAreRefused() {
        byte[] program = "#!/bin/sh\nexit 0\n".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> loader.load(3, "00".repeat(32), dataUrl(program)))
                .isInstanceOf(ProgramException.class).hasMessageContaining("is pinned on-chain; refusing it");
    }

    @Test
    void withoutASandboxOnlyBuiltInProgramsLoad() throws Exception {
        ProgramLoader unsandboxed = new ProgramLoader(new FileContentIndex(dir.resolve("index3.tsv")), Optional.empty(),
                "bubblewrap (bwrap) or prlimit is not installed", Limits.DEFAULT);
        byte[] script = "#!/bin/sh\nexit 0\n".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> unsandboxed.load(3, sha256(script), dataUrl(script)))
                .isInstanceOf(ProgramException.class)
                .hasMessage("this validator runs no external program: bubblewrap (bwrap) or prlimit is not installed");
        byte[] definition;
        try (var in = getClass().getResourceAsStream("/org/datacoop/chain/sample-dlp-program.json")) {
            definition = in.readAllBytes();
        }
        assertThat(unsandboxed.load(3, sha256(definition), dataUrl(definition))).isInstanceOf(DeclarativeProgram.class);
    }

    private void assertPackageRuns(byte[] archive) {
        ContributionProgram program = load(archive);
        ProgramRun run = new ProgramRun(7, 42, 3, Address.of("0x" + "ab".repeat(20)), "00".repeat(32), input, output,
                Map.of("MODE", "strict"), Duration.ofSeconds(20));

        assertThat(program.requiredVariables()).containsExactly("MODE");
        ProgramResults results = program.run(run);
        assertThat(results.score()).isEqualTo(0.5);
        assertThat(results.metadata().path("mode").asText()).isEqualTo("strict");
        assertThat(results.metadata().path("data").asText()).isEqualTo("steps");
        assertThat(program.execution(run).sandbox()).isEqualTo("bubblewrap");
    }

    private ContributionProgram load(byte[] program) {
        return loader.load(3, sha256(program), dataUrl(program));
    }

    private static String dataUrl(byte[] bytes) {
        return "data:application/octet-stream;base64," + Base64.getEncoder().encodeToString(bytes);
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] zip(Map<String, String> files) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, String> file : files.entrySet()) {
                zip.putNextEntry(new ZipEntry(file.getKey()));
                zip.write(file.getValue().getBytes(StandardCharsets.UTF_8));
            }
        }
        return bytes.toByteArray();
    }

    private static byte[] tar(Map<String, String> files, boolean withLink) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            for (Map.Entry<String, String> file : files.entrySet()) {
                byte[] content = file.getValue().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry entry = new TarArchiveEntry(file.getKey());
                entry.setSize(content.length);
                tar.putArchiveEntry(entry);
                tar.write(content);
                tar.closeArchiveEntry();
            }
            if (withLink) {
                TarArchiveEntry link = new TarArchiveEntry("keys", TarArchiveEntry.LF_SYMLINK);
                link.setLinkName("/root/.datacoop/node/signing.key");
                tar.putArchiveEntry(link);
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(bytes);
        }
        return out.toByteArray();
    }
}
