package org.datacoop.node.program;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.Consumer;
import org.datacoop.protocol.Address;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeclarativeProgramTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long DLP_ID = 1;
    private static final Address CONTRIBUTOR = Address.of("0x00000000000000000000000000000000000000aB");
    private static final Address SOMEONE_ELSE = Address.of("0x1111111111111111111111111111111111111111");

    @TempDir
    Path dir;

    private FileContentIndex index;
    private DeclarativeProgram program;
    private long nextJob;

    @BeforeEach
    void setUp() throws IOException {
        index = new FileContentIndex(dir.resolve("content-index.tsv"));
        program = DeclarativeProgram.fromDefinition(sampleDefinition(), index);
    }

    @Test
    void acceptsAFileOfTheContributorAndScoresItsQuality() throws Exception {
        ProgramResults half = run(3, days(CONTRIBUTOR.value(), 15));
        assertThat(half.valid()).isTrue();
        assertThat(half.dlpId()).isEqualTo(DLP_ID);
        assertThat(half.authenticity()).isEqualTo(1);
        assertThat(half.ownership()).isEqualTo(1);
        assertThat(half.uniqueness()).isEqualTo(1);
        assertThat(half.quality()).isEqualTo(0.5);
        assertThat(half.score()).isCloseTo(0.7, within(1e-12));
        assertThat(half.metadata().path("reason").asText()).isEqualTo("accepted");
        assertThat(half.metadata().path("program").asText()).isEqualTo(DeclarativeProgram.PROGRAM_ID);
        assertThat(half.attributes().path("count(days)").asLong()).isEqualTo(15);

        ProgramResults full = run(4, days(CONTRIBUTOR.value(), 45));
        assertThat(full.quality()).isEqualTo(1);
        assertThat(full.score()).isCloseTo(1, within(1e-12));
    }

    @Test
    void comparesTheOwnerAddressWhateverItsCase() throws Exception {
        ProgramResults results = run(3, days(CONTRIBUTOR.value().toUpperCase().replace("0X", "0x"), 30));
        assertThat(results.ownership()).isEqualTo(1);
        assertThat(results.score()).isCloseTo(1, within(1e-12));
    }

    @Test
    void theSameContentAgainIsADuplicateOfTheFirstFile() throws Exception {
        String content = days(CONTRIBUTOR.value(), 15);
        assertThat(run(3, content).valid()).isTrue();

        ProgramResults again = run(4, content);
        assertThat(again.valid()).isFalse();
        assertThat(again.score()).isZero();
        assertThat(again.uniqueness()).isZero();
        assertThat(again.metadata().path("duplicate_of").asLong()).isEqualTo(3);
        assertThat(again.metadata().path("reason").asText()).isEqualTo("duplicate of file 3");

        assertThat(run(3, content).valid()).as("the first file judged again, as after a restart").isTrue();
        DeclarativeProgram restarted = DeclarativeProgram.fromDefinition(sampleDefinition(), new FileContentIndex(dir.resolve("content-index.tsv")));
        assertThat(restarted.run(runOf(5, write(content))).metadata().path("duplicate_of").asLong()).isEqualTo(3);
    }

    @Test
    void aFileOwnedBySomeoneElseIsValidButScoresOnlyItsQuality() throws Exception {
        ProgramResults results = run(3, days(SOMEONE_ELSE.value(), 15));
        assertThat(results.valid()).isTrue();
        assertThat(results.ownership()).isZero();
        assertThat(results.score()).isCloseTo(0.6 * 0.5, within(1e-12));
        assertThat(results.metadata().path("reason").asText()).isEqualTo("accepted, but \"owner\" does not name the contributor");
    }

    @Test
    void aFileThatIsNotJsonIsInvalidWithAReasonThatDoesNotQuoteIt() throws Exception {
        ProgramResults results = run(3, "{\"owner\": \"secret-value\", days: [");
        assertThat(results.valid()).isFalse();
        assertThat(results.score()).isZero();
        assertThat(results.authenticity()).isZero();
        assertThat(results.metadata().path("reason").asText())
                .startsWith("not JSON: syntax error at line 1, column")
                .doesNotContain("secret");

        assertThat(run(4, "{\"owner\": \"x\"").metadata().path("reason").asText()).startsWith("not JSON: it ends unexpectedly");
        assertThat(run(5, "").metadata().path("reason").asText()).isEqualTo("not JSON: the file is empty");
        assertThat(run(6, "{} {}").metadata().path("reason").asText()).startsWith("not JSON");
        assertThat(run(7, "{\"owner\": \"a\", \"owner\": \"b\"}").metadata().path("reason").asText()).startsWith("not JSON");
    }

    @Test
    void aFileOverTheDocumentLimitFailsItsRunAsTooLargeBeforeItIsRead() throws Exception {
        String content = days(CONTRIBUTOR.value(), 15);
        Path input = write(content);
        ProgramRun run = runOf(3, input);
        long limit = content.length() - 1;
        ProgramRun bounded = new ProgramRun(run.jobId(), run.fileId(), run.dlpId(), run.owner(), run.decryptedChecksum(),
                run.inputDir(), run.outputDir(), run.environment(), run.timeout(), limit);
        assertThatThrownBy(() -> program.run(bounded))
                .isInstanceOfSatisfying(ProgramException.class,
                        e -> assertThat(e.reason()).isEqualTo(ProgramException.Reason.TOO_LARGE))
                .hasMessage("the file is too large for the declarative program: " + content.length()
                        + " bytes, over this validator's limit of " + limit + " bytes");
        // refused, not judged: its content hash is not reserved
        assertThat(index.claim(DLP_ID, sha256(content), 4)).isEqualTo(4);
    }

    @Test
    void aDocumentNestedTooDeeplyIsInvalidWithAReasonAndNoStackOverflow() throws Exception {
        int allowed = DeclarativeProgram.MAX_NESTING_DEPTH - 1; // within the document object itself
        ProgramResults within = run(3, "{\"owner\": \"" + CONTRIBUTOR.value() + "\", \"days\": [], \"extra\": "
                + "[".repeat(allowed) + "]".repeat(allowed) + "}");
        assertThat(within.metadata().path("reason").asText()).startsWith("does not match the DataDAO's schema");

        // Jackson's own default allows 1000 levels; the schema validator recursing through those could overflow
        for (int depth : new int[] {DeclarativeProgram.MAX_NESTING_DEPTH + 1, 1_000, 1_000_000}) {
            ProgramResults deep = run(4 + depth, "[".repeat(depth) + "]".repeat(depth));
            assertThat(deep.valid()).isFalse();
            assertThat(deep.score()).isZero();
            assertThat(deep.metadata().path("reason").asText()).as("depth " + depth)
                    .startsWith("not JSON: it exceeds the parser's limits (at most " + DeclarativeProgram.MAX_NESTING_DEPTH
                            + " levels of nesting");
        }
    }

    @Test
    void aFileThatBreaksTheSchemaIsInvalidAndNamesWhere() throws Exception {
        ProgramResults missing = run(3, "{\"owner\": \"" + CONTRIBUTOR.value() + "\"}");
        assertThat(missing.valid()).isFalse();
        assertThat(missing.score()).isZero();
        assertThat(missing.authenticity()).isZero();
        assertThat(missing.metadata().path("reason").asText())
                .startsWith("does not match the DataDAO's schema: $")
                .contains("days");

        ProgramResults negative = run(4, "{\"owner\": \"" + CONTRIBUTOR.value() + "\", \"days\": [{\"date\": \"2025-01-01\", \"steps\": -5}]}");
        assertThat(negative.valid()).isFalse();
        assertThat(negative.metadata().path("reason").asText()).contains("$.days[0].steps");
        assertThat(negative.metadata().path("errors")).hasSize(1);
        assertThat(negative.metadata().path("errors").get(0).asText()).startsWith("$.days[0].steps");
    }

    @Test
    void aFileThatBreaksTheSchemaDoesNotReserveItsHash() throws Exception {
        String broken = "{\"owner\": \"" + CONTRIBUTOR.value() + "\", \"days\": []}";
        Path input = write(broken);
        assertThat(program.run(runOf(3, input)).valid()).isFalse();
        assertThat(index.claim(DLP_ID, sha256(broken), 4)).isEqualTo(4);
    }

    @Test
    void listsAtMostFiveSchemaErrors() throws Exception {
        StringBuilder days = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            days.append(i == 0 ? "" : ",").append("{\"date\": \"d\", \"steps\": -1}");
        }
        ProgramResults results = run(3, "{\"owner\": \"x\", \"days\": [" + days + "]}");
        assertThat(results.metadata().path("errors")).hasSize(5);
    }

    @Test
    void theInputMustBeExactlyOneFile() throws Exception {
        Path input = Files.createDirectories(dir.resolve("two"));
        Files.writeString(input.resolve("a.json"), days(CONTRIBUTOR.value(), 15));
        Files.createDirectories(input.resolve("nested"));
        Files.writeString(input.resolve("nested/b.json"), days(CONTRIBUTOR.value(), 16));
        ProgramResults two = program.run(runOf(3, input));
        assertThat(two.valid()).isFalse();
        assertThat(two.score()).isZero();
        assertThat(two.metadata().path("reason").asText()).isEqualTo("input must be one file, found 2");

        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertThat(program.run(runOf(4, empty)).metadata().path("reason").asText()).isEqualTo("input must be one file, found 0");
    }

    @Test
    void anUnreadableInputDirectoryIsAFailedRun() {
        assertThatThrownBy(() -> program.run(runOf(3, dir.resolve("absent"))))
                .isInstanceOfSatisfying(ProgramException.class,
                        e -> assertThat(e.reason()).isEqualTo(ProgramException.Reason.CRASHED));
    }

    @Test
    void aFormulaThatFailsOnAFileIsAFailedRunNamingTheFormula() throws Exception {
        ObjectNode definition = sampleDefinition();
        definition.putObject("quality").put("formula", "sum(days.steps) / sum(days.missing)");
        DeclarativeProgram failing = DeclarativeProgram.fromDefinition(definition, index);
        String content = days(CONTRIBUTOR.value(), 15);
        assertThatThrownBy(() -> failing.run(runOf(3, write(content))))
                .isInstanceOfSatisfying(ProgramException.class,
                        e -> assertThat(e.reason()).isEqualTo(ProgramException.Reason.BAD_OUTPUT))
                .hasMessageContaining("quality.formula")
                .hasMessageContaining("sum(days.steps) / sum(days.missing)")
                .hasMessageContaining("division by zero");
        assertThat(index.claim(DLP_ID, sha256(content), 4)).as("the failed run reserved no hash").isEqualTo(4);
    }

    @Test
    void withoutOwnershipOrUniquenessChecksBothCountAsMet() throws Exception {
        ObjectNode definition = sampleDefinition();
        definition.remove("ownership");
        definition.put("uniqueness", "none");
        definition.put("score", "quality * ownership * uniqueness * authenticity");
        DeclarativeProgram lenient = DeclarativeProgram.fromDefinition(definition, index);
        String content = days(SOMEONE_ELSE.value(), 15);
        for (long fileId : new long[] {3, 4}) {
            ProgramResults results = lenient.run(runOf(fileId, write(content)));
            assertThat(results.valid()).isTrue();
            assertThat(results.ownership()).isEqualTo(1);
            assertThat(results.uniqueness()).isEqualTo(1);
            assertThat(results.score()).isEqualTo(0.5);
        }
    }

    @Test
    void anOwnerCanBeAConfiguredIdentityAtANestedField() throws Exception {
        ObjectNode definition = sampleDefinition();
        definition.putObject("ownership").put("field", "meta.exporter").put("equals", "fitness-app");
        DeclarativeProgram configured = DeclarativeProgram.fromDefinition(definition, index);
        String owned = "{\"owner\": \"x\", \"meta\": {\"exporter\": \"fitness-app\"}, \"days\": [{\"date\": \"d\", \"steps\": 1}]}";
        assertThat(configured.run(runOf(3, write(owned))).ownership()).isEqualTo(1);
        String other = owned.replace("fitness-app", "Fitness-App");
        ProgramResults results = configured.run(runOf(4, write(other)));
        assertThat(results.ownership()).isZero();
        assertThat(results.metadata().path("reason").asText()).isEqualTo("accepted, but \"meta.exporter\" does not name \"fitness-app\"");
    }

    @Test
    void refusesMalformedDefinitionsNamingTheKey() {
        assertRefused(d -> d.put("program", "builtin:declarative/v2"), "\"program\"");
        assertRefused(d -> d.remove("program"), "\"program\"");
        assertRefused(d -> d.put("schema", "not an object"), "\"schema\"");
        assertRefused(d -> d.remove("schema"), "\"schema\"");
        assertRefused(d -> ((ObjectNode) d.get("schema")).put("type", "objekt"), "\"schema\" is not a valid JSON Schema");
        assertRefused(d -> ((ObjectNode) d.get("schema")).put("$ref", "https://example.com/schema.json"), "\"schema\"");
        assertRefused(d -> ((ObjectNode) d.get("schema")).put("$schema", "https://example.com/dialect"), "\"schema\"");
        assertRefused(d -> d.put("uniqueness", "sha256"), "\"uniqueness\" must be \"content-hash\" or \"none\", not \"sha256\"");
        assertRefused(d -> d.putObject("quality").put("formula", "min(1, count(days) / )"), "\"quality.formula\": unexpected ')'");
        assertRefused(d -> d.putObject("quality").put("formula", "ownership"), "\"quality.formula\": unknown variable 'ownership'");
        assertRefused(d -> d.put("quality", "min(1, count(days) / 30)"), "\"quality\" must be an object");
        assertRefused(d -> d.put("score", "0.6 * qualty"), "\"score\": unknown variable 'qualty'");
        assertRefused(d -> d.put("score", 1), "\"score\" is required");
        assertRefused(d -> d.putObject("ownership").put("field", "owner"), "\"ownership.equals\"");
        assertRefused(d -> d.putObject("ownership").put("field", "owner..x").put("equals", "contributor"), "\"ownership.field\"");
        assertRefused(d -> d.put("ownership", "contributor"), "\"ownership\"");
        assertRefused(d -> d.put("uniquness", "none"), "unknown key \"uniquness\"");
        assertThatThrownBy(() -> DeclarativeProgram.fromDefinition(JSON.readTree("[]"), index))
                .isInstanceOf(ProgramException.class)
                .hasMessage("program definition: it must be a JSON object (see docs/declarative.md)");
    }

    @Test
    void acceptsASchemaOfAnotherDraftThatNamesIt() throws Exception {
        ObjectNode definition = sampleDefinition();
        ((ObjectNode) definition.get("schema")).put("$schema", "http://json-schema.org/draft-07/schema#");
        DeclarativeProgram draft7 = DeclarativeProgram.fromDefinition(definition, index);
        assertThat(draft7.run(runOf(3, write(days(CONTRIBUTOR.value(), 15)))).valid()).isTrue();
    }

    private void assertRefused(Consumer<ObjectNode> breakIt, String expected) {
        ObjectNode definition = sampleDefinition();
        breakIt.accept(definition);
        assertThatThrownBy(() -> DeclarativeProgram.fromDefinition(definition, index))
                .isInstanceOfSatisfying(ProgramException.class,
                        e -> assertThat(e.reason()).isEqualTo(ProgramException.Reason.REFUSED))
                .hasMessageStartingWith("program definition: ")
                .hasMessageContaining(expected);
    }

    private static ObjectNode sampleDefinition() {
        try (InputStream in = DeclarativeProgramTest.class.getResourceAsStream("/org/datacoop/chain/sample-dlp-program.json")) {
            return (ObjectNode) JSON.readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String days(String owner, int count) {
        StringBuilder days = new StringBuilder();
        for (int i = 1; i <= count; i++) {
            days.append(i == 1 ? "" : ", ").append("{\"date\": \"2025-01-").append(String.format("%02d", i)).append("\", \"steps\": ").append(1000 * i).append('}');
        }
        return "{\"owner\": \"" + owner + "\", \"days\": [" + days + "]}";
    }

    private ProgramResults run(long fileId, String content) throws IOException {
        return program.run(runOf(fileId, write(content)));
    }

    private Path write(String content) throws IOException {
        Path input = Files.createDirectories(dir.resolve("job-" + ++nextJob + "/input"));
        Files.writeString(input.resolve("data.json"), content);
        return input;
    }

    private ProgramRun runOf(long fileId, Path input) throws IOException {
        Path output = Files.createDirectories(input.resolveSibling("output"));
        Path data = input.resolve("data.json");
        String checksum = sha256(Files.exists(data) ? Files.readString(data) : "");
        return new ProgramRun(nextJob, fileId, DLP_ID, CONTRIBUTOR, checksum, input, output, Map.of(), Duration.ofSeconds(10));
    }

    private static String sha256(String content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
