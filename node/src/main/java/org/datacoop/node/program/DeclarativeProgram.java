package org.datacoop.node.program;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.AbsoluteIri;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaException;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.resource.DisallowSchemaLoader;
import com.networknt.schema.resource.InputStreamSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.datacoop.protocol.Address;

/**
 * The built-in proof-of-contribution program a DataDAO configures rather than writes: one JSON
 * document per file, judged against the DataDAO's JSON Schema (authenticity), an owner field
 * (ownership), the index of content hashes seen before (uniqueness) and two formulas (quality,
 * score). A file that breaks the rules is a verdict ({@code valid=false}, score 0, a reason), not
 * an exception.
 */
public final class DeclarativeProgram implements ContributionProgram {
    public static final String PROGRAM_ID = "builtin:declarative/v1";
    /** The {@code ownership.equals} value that stands for the file's on-chain owner. */
    public static final String CONTRIBUTOR = "contributor";

    private static final String DEFAULT_DIALECT = "https://json-schema.org/draft/2020-12/schema";
    /** Where the language is documented, named in every definition error. */
    static final String REFERENCE = "docs/declarative.md";
    private static final Set<String> KEYS = Set.of("program", "description", "schema", "ownership", "uniqueness", "quality", "score");
    private static final Set<String> SCORE_VARIABLES = Set.of("authenticity", "ownership", "quality", "uniqueness");
    private static final int MAX_ERRORS = 5;
    private static final Pattern HEX_ADDRESS = Pattern.compile("0x[0-9a-fA-F]{40}");

    /**
     * Deeper documents are refused as they are read: the schema validator recurses once per level
     * (several frames each), and a document nested thousands deep would overflow a worker's stack.
     */
    static final int MAX_NESTING_DEPTH = 100;

    // Strict reading: a duplicated key or trailing text makes a document two readers could see differently.
    private static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final JsonSchemaFactory SCHEMAS = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
            builder -> builder.schemaLoaders(loaders -> loaders.add(DeclarativeProgram::metaSchemasOnly)));
    // English and JSON paths whatever the host's locale: the messages go into attested results.
    private static final SchemaValidatorsConfig SCHEMA_CONFIG = SchemaValidatorsConfig.builder()
            .locale(Locale.ENGLISH)
            .pathType(PathType.JSON_PATH)
            .build();

    private enum Uniqueness { CONTENT_HASH, NONE }

    /** The owner field's check: the value at {@code field} must be {@code expected} (or the contributor's address). */
    private record Ownership(DataPath field, String expected) {
        boolean holds(JsonNode data, Address contributor) {
            JsonNode value = field.at(data);
            if (!value.isTextual()) {
                return false;
            }
            String identity = expected.equals(CONTRIBUTOR) ? contributor.value() : expected;
            // Hex addresses compare case-insensitively (checksummed addresses mix case); other identities exactly.
            return HEX_ADDRESS.matcher(identity).matches()
                    ? value.textValue().equalsIgnoreCase(identity)
                    : value.textValue().equals(identity);
        }

        String describeFailure() {
            return "\"" + field + "\" does not name " + (expected.equals(CONTRIBUTOR) ? "the contributor" : "\"" + expected + "\"");
        }
    }

    private final JsonSchema schema;
    private final Ownership ownership;
    private final Uniqueness uniqueness;
    private final Formula quality;
    private final Formula score;
    private final ContentIndex index;

    private DeclarativeProgram(JsonSchema schema, Ownership ownership, Uniqueness uniqueness, Formula quality, Formula score,
            ContentIndex index) {
        this.schema = schema;
        this.ownership = ownership;
        this.uniqueness = uniqueness;
        this.quality = quality;
        this.score = score;
        this.index = index;
    }

    /**
     * The program a DataDAO's {@code definition} describes, checked whole before any file is judged;
     * a malformed definition is {@link ProgramException.Reason#REFUSED} naming the bad key.
     */
    public static DeclarativeProgram fromDefinition(JsonNode definition, ContentIndex index) {
        if (definition == null || !definition.isObject()) {
            throw refused("it must be a JSON object");
        }
        requireKnownKeys(definition, "", KEYS);
        String program = text(definition, "program", "program");
        if (!program.equals(PROGRAM_ID)) {
            throw refused("\"program\" must be \"" + PROGRAM_ID + "\", not \"" + program + "\"");
        }
        JsonNode quality = definition.get("quality");
        if (quality == null || !quality.isObject()) {
            throw refused("\"quality\" must be an object with \"formula\"");
        }
        requireKnownKeys(quality, "quality.", Set.of("formula"));
        return new DeclarativeProgram(
                schema(definition.get("schema")),
                ownership(definition.get("ownership")),
                uniqueness(text(definition, "uniqueness", "uniqueness")),
                formula(text(quality, "formula", "quality.formula"), "quality.formula", Set.of()),
                formula(text(definition, "score", "score"), "score", SCORE_VARIABLES),
                Objects.requireNonNull(index, "index"));
    }

    @Override
    public ProgramResults run(ProgramRun run) {
        long deadline = System.nanoTime() + run.timeout().toNanos();
        List<Path> files = inputFiles(run.inputDir());
        if (files.size() != 1) {
            return rejected(run, "input must be one file, found " + files.size(), metadata());
        }
        JsonNode data;
        try {
            data = read(files.getFirst(), run.maxDocumentBytes());
        } catch (JsonProcessingException e) {
            return rejected(run, "not JSON: " + describe(e), metadata());
        } catch (IOException e) {
            throw new ProgramException(ProgramException.Reason.CRASHED, "cannot read the input file: " + e.getMessage(), e);
        }
        if (data.isMissingNode()) {
            return rejected(run, "not JSON: the file is empty", metadata());
        }
        checkDeadline(deadline, run);

        List<String> errors = validate(data);
        checkDeadline(deadline, run);
        if (!errors.isEmpty()) {
            ObjectNode metadata = metadata();
            errors.forEach(metadata.putArray("errors")::add);
            return rejected(run, "does not match the DataDAO's schema: " + errors.getFirst(), metadata);
        }

        double owned = ownership == null || ownership.holds(data, run.owner()) ? 1 : 0;
        double qualityValue = clamp(evaluate(quality, "quality.formula", data, Map.of()));
        double scoreIfUnique = clamp(evaluate(score, "score", data,
                Map.of("authenticity", 1.0, "ownership", owned, "quality", qualityValue, "uniqueness", 1.0)));
        // Claimed last, and only for authentic data, so neither a malformed file nor a failed formula reserves the hash.
        long firstFile = uniqueness == Uniqueness.CONTENT_HASH ? claim(run) : run.fileId();
        boolean unique = firstFile == run.fileId();

        ObjectNode metadata = metadata();
        if (!unique) {
            metadata.put("duplicate_of", firstFile);
        }
        metadata.put("reason", !unique ? "duplicate of file " + firstFile
                : owned == 1 ? "accepted" : "accepted, but " + ownership.describeFailure());
        return new ProgramResults(run.dlpId(), unique, unique ? scoreIfUnique : 0, 1, owned, qualityValue, unique ? 1 : 0,
                attributes(data), metadata);
    }

    /**
     * The document as a tree, parsed as it streams from disk. Its size is checked first: the tree
     * takes several times the document's bytes, and the file may be as large as the node's limit on
     * decrypted files.
     */
    private static JsonNode read(Path file, long maxBytes) throws IOException {
        long size = Files.size(file);
        if (size > maxBytes) {
            throw new ProgramException(ProgramException.Reason.TOO_LARGE, "the file is too large for the declarative program: "
                    + size + " bytes, over this validator's limit of " + maxBytes + " bytes");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return JSON.readTree(in);
        }
    }

    private static List<Path> inputFiles(Path inputDir) {
        try (Stream<Path> paths = Files.walk(inputDir)) {
            return paths.filter(path -> Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)).sorted().toList();
        } catch (IOException | UncheckedIOException e) {
            throw new ProgramException(ProgramException.Reason.CRASHED, "cannot read the input directory: " + e.getMessage(), e);
        }
    }

    // Metadata goes on-chain and the data is private: say where the document breaks, never quote it.
    private static String describe(JsonProcessingException e) {
        String problem = switch (e) {
            case JsonEOFException eof -> "it ends unexpectedly";
            case StreamConstraintsException limit -> "it exceeds the parser's limits (at most " + MAX_NESTING_DEPTH
                    + " levels of nesting, and bounded numbers, names and strings)";
            default -> "syntax error";
        };
        JsonLocation location = e.getLocation();
        return location == null ? problem
                : problem + " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private List<String> validate(JsonNode data) {
        try {
            return schema.validate(data).stream().limit(MAX_ERRORS).map(ValidationMessage::getMessage).toList();
        } catch (JsonSchemaException e) {
            throw new ProgramException(ProgramException.Reason.CRASHED, "cannot apply the DataDAO's schema: " + e.getMessage(), e);
        }
    }

    private long claim(ProgramRun run) {
        try {
            return index.claim(run.dlpId(), run.decryptedChecksum(), run.fileId());
        } catch (UncheckedIOException e) {
            throw new ProgramException(ProgramException.Reason.CRASHED, "cannot record the file's content hash: " + e.getMessage(), e);
        }
    }

    private static double evaluate(Formula formula, String key, JsonNode data, Map<String, Double> variables) {
        try {
            return formula.evaluate(data, variables);
        } catch (Formula.FormulaException e) {
            throw new ProgramException(ProgramException.Reason.BAD_OUTPUT,
                    "the DataDAO's \"" + key + "\" (\"" + formula.text() + "\") failed on this file: " + e.getMessage(), e);
        }
    }

    private static void checkDeadline(long deadline, ProgramRun run) {
        if (System.nanoTime() - deadline > 0) {
            throw new ProgramException(ProgramException.Reason.TIMED_OUT, "the declarative program ran past its timeout of " + run.timeout());
        }
    }

    /** Results for input that is not an authentic document, which nothing else is judged on. */
    private ProgramResults rejected(ProgramRun run, String reason, ObjectNode metadata) {
        metadata.put("reason", reason);
        // A check the DataDAO did not ask for counts as met; one it asked for cannot be met by such input.
        return new ProgramResults(run.dlpId(), false, 0, 0, ownership == null ? 1 : 0, 0,
                uniqueness == Uniqueness.NONE ? 1 : 0, null, metadata);
    }

    /** The quality formula's data queries and their values, so the attestation shows what the quality came from. */
    private ObjectNode attributes(JsonNode data) {
        ObjectNode attributes = JsonNodeFactory.instance.objectNode();
        quality.queries(data).forEach((query, value) -> {
            if (value == Math.rint(value) && Math.abs(value) < 1e15) {
                attributes.put(query, (long) value.doubleValue());
            } else {
                attributes.put(query, value);
            }
        });
        return attributes;
    }

    private static ObjectNode metadata() {
        ObjectNode metadata = JsonNodeFactory.instance.objectNode();
        metadata.put("program", PROGRAM_ID);
        return metadata;
    }

    private static double clamp(double value) {
        return Math.max(0, Math.min(1, value));
    }

    // The enclave has no network: a schema may refer to itself and to the standard meta-schemas the library ships.
    private static InputStreamSource metaSchemasOnly(AbsoluteIri iri) {
        return iri.toString().startsWith("classpath:draft") ? null : DisallowSchemaLoader.getInstance().getSchema(iri);
    }

    private static JsonSchema schema(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw refused("\"schema\" must be a JSON Schema object");
        }
        try {
            JsonNode dialect = node.path("$schema");
            if (!dialect.isMissingNode() && !dialect.isTextual()) {
                throw refused("\"schema.$schema\" must be a meta-schema URI");
            }
            JsonSchema metaSchema = SCHEMAS.getSchema(SchemaLocation.of(dialect.asText(DEFAULT_DIALECT)), SCHEMA_CONFIG);
            List<String> problems = metaSchema.validate(node).stream().limit(MAX_ERRORS).map(ValidationMessage::getMessage).toList();
            if (!problems.isEmpty()) {
                throw refused("\"schema\" is not a valid JSON Schema: " + String.join("; ", problems));
            }
            JsonSchema schema = SCHEMAS.getSchema(node, SCHEMA_CONFIG);
            schema.initializeValidators();
            return schema;
        } catch (JsonSchemaException e) {
            throw refused("\"schema\": " + e.getMessage());
        }
    }

    private static Ownership ownership(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (!node.isObject()) {
            throw refused("\"ownership\" must be an object with \"field\" and \"equals\"");
        }
        requireKnownKeys(node, "ownership.", Set.of("field", "equals"));
        DataPath field;
        try {
            field = DataPath.parse(text(node, "field", "ownership.field"));
        } catch (IllegalArgumentException e) {
            throw refused("\"ownership.field\": " + e.getMessage());
        }
        return new Ownership(field, text(node, "equals", "ownership.equals"));
    }

    private static Uniqueness uniqueness(String mode) {
        return switch (mode) {
            case "content-hash" -> Uniqueness.CONTENT_HASH;
            case "none" -> Uniqueness.NONE;
            default -> throw refused("\"uniqueness\" must be \"content-hash\" or \"none\", not \"" + mode + "\"");
        };
    }

    private static Formula formula(String text, String key, Set<String> variables) {
        try {
            return Formula.parse(text, variables);
        } catch (Formula.FormulaException e) {
            throw refused("\"" + key + "\": " + e.getMessage());
        }
    }

    private static void requireKnownKeys(JsonNode node, String prefix, Set<String> known) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                throw refused("unknown key \"" + prefix + name + "\" (known: " + String.join(", ", new TreeSet<>(known)) + ")");
            }
        }
    }

    private static String text(JsonNode parent, String field, String key) {
        JsonNode value = parent.get(field);
        if (value == null || !value.isTextual() || value.textValue().isBlank()) {
            throw refused("\"" + key + "\" is required and must be a non-empty string");
        }
        return value.textValue();
    }

    private static ProgramException refused(String problem) {
        return new ProgramException(ProgramException.Reason.REFUSED, "program definition: " + problem + " (see " + REFERENCE + ")");
    }
}
