package org.datacoop.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.datacoop.chain.Deployment;
import org.datacoop.chain.QueryChain;
import org.datacoop.protocol.Address;
import org.datacoop.protocol.Sha256;
import org.datacoop.protocol.query.Refiner;
import org.datacoop.query.refine.RefinerDefinition;
import org.datacoop.query.refine.SchemaDefinition;
import org.datacoop.storage.HttpBlobStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code coop refiner}: a DataDAO's refiners, added and listed. */
@Command(
        name = "refiner",
        mixinStandardHelpOptions = true,
        description = "Adds and lists the refiners that turn a DataDAO's validated files into tables.",
        subcommands = {RefinerCommand.Add.class, RefinerCommand.List.class, RefinerCommand.Service.class,
            RefinerRemoveServiceCommand.class, RefinerRunCommand.class})
final class RefinerCommand {
    /** Given here it applies to the subcommand: {@code coop refiner --json ...}. */
    @Mixin
    private JsonOption json;

    @Command(
            name = "add",
            mixinStandardHelpOptions = true,
            description = {
                "Adds a refiner to a DataDAO the wallet owns.",
                "",
                "--definition is a declarative mapping "
                    + "(\"refiner\": \"builtin:refiner/v1\": tables, JSON Pointer paths, types, unit conversions), "
                    + "checked here first; its schema (tables and column types) is published and registered too. "
                    + "An external refiner is an executable (--program) writing TABLE.parquet, .csv or .jsonl to "
                    + "$OUTPUT_DIR, with its tables given by --schema. Programs and schemas are uploaded to "
                    + "storage and their SHA-256 pinned on-chain."
            })
    static final class Add extends SigningCommand {
        @Option(names = "--dlp", required = true, paramLabel = "ID", description = "The DataDAO.")
        private long dlpId;

        @Option(names = "--name", required = true, paramLabel = "NAME", description = "The refiner's name.")
        private String name;

        @Option(names = "--definition", paramLabel = "FILE", description = "A declarative refiner definition (JSON).")
        private Path definition;

        @Option(names = "--program", paramLabel = "FILE", description = "An external refiner program.")
        private Path program;

        @Option(names = "--schema", paramLabel = "FILE",
                description = "The schema definition (required with --program; derived from --definition otherwise).")
        private Path schema;

        @Option(names = "--schema-name", paramLabel = "NAME", description = "The schema's name (default: NAME).")
        private String schemaName;

        @Override
        public Integer call() throws IOException {
            if ((definition == null) == (program == null)) {
                throw new IllegalArgumentException("give exactly one of --definition and --program");
            }
            byte[] refinerBytes = read(definition != null ? definition : program);
            String published = schemaName == null ? name : schemaName;
            byte[] schemaBytes;
            if (definition != null) {
                RefinerDefinition parsed = RefinerDefinition.parse(refinerBytes);
                schemaBytes = schema != null ? read(schema) : parsed.schemaDocument(published);
                SchemaDefinition.parse(schemaBytes).requireMatches(parsed);
            } else {
                if (schema == null) {
                    throw new IllegalArgumentException("an external refiner needs --schema: the tables it writes");
                }
                schemaBytes = read(schema);
                SchemaDefinition.parse(schemaBytes);
            }
            long schemaId;
            long refinerId;
            String refinerUrl;
            String schemaUrl;
            try (ChainSession session = session()) {
                QueryChain queries = session.queries();
                session.chain().requireDataDao(dlpId);
                queries.requireDataDaoOwner(dlpId, "adds its refiners");
                HttpBlobStore storage = new HttpBlobStore(session.chain().deployment().service(Deployment.STORAGE_URL));
                refinerUrl = storage.urlOf(storage.put(new ByteArrayInputStream(refinerBytes)));
                schemaUrl = storage.urlOf(storage.put(new ByteArrayInputStream(schemaBytes)));
                schemaId = queries.addSchema(published, SchemaDefinition.DIALECT, schemaUrl, Sha256.of(schemaBytes));
                refinerId = queries.addRefiner(dlpId, name, schemaId, refinerUrl, Sha256.of(refinerBytes));
            }
            PrintWriter out = out();
            if (asJson()) {
                ObjectNode body = Json.object();
                body.put("refinerId", refinerId);
                body.put("schemaId", schemaId);
                body.put("dlpId", dlpId);
                body.put("refinerUrl", refinerUrl);
                body.put("schemaUrl", schemaUrl);
                out.println(Json.write(body));
            } else {
                out.println("added refiner " + refinerId + " (" + name + ") to DataDAO " + dlpId + ", schema " + schemaId);
            }
            return 0;
        }

        private static byte[] read(Path file) throws IOException {
            FileArguments.requireInput(file);
            return Files.readAllBytes(file);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists a DataDAO's refiners.")
    static final class List extends ChainCommand {
        @Option(names = "--dlp", required = true, paramLabel = "ID", description = "The DataDAO.")
        private long dlpId;

        @Override
        public Integer call() {
            java.util.List<Refiner> refiners;
            try (ChainSession session = readOnly()) {
                session.chain().requireDataDao(dlpId);
                refiners = session.queries().refinersOf(dlpId);
            }
            PrintWriter out = out();
            if (asJson()) {
                out.println(Json.write(refiners));
            } else if (refiners.isEmpty()) {
                out.println("DataDAO " + dlpId + " has no refiners");
            } else {
                refiners.forEach(r -> out.println("refiner " + r.id() + "  " + r.name() + "  schema " + r.schemaId()
                        + "  program " + r.instructionDigest()));
            }
            return 0;
        }
    }

    @Command(name = "service", mixinStandardHelpOptions = true,
            description = {
                "Trusts a validator (its address) to refine a DataDAO's files and serve its queries.",
                "",
                "The DataDAO's owner only. Without such a service nothing of the DataDAO is refined or can be queried."
            })
    static final class Service extends SigningCommand {
        @Option(names = "--dlp", required = true, paramLabel = "ID", description = "The DataDAO.")
        private long dlpId;

        @Parameters(paramLabel = "ADDRESS", description = "The validator's address.")
        private String address;

        @Override
        public Integer call() {
            Address service = Address.of(address);
            try (ChainSession session = session()) {
                session.chain().requireDataDao(dlpId);
                QueryChain queries = session.queries();
                queries.requireDataDaoOwner(dlpId, "chooses its services");
                if (session.chain().findValidator(service).isEmpty()) {
                    throw new CoopException(ErrorCode.NOT_FOUND, service + " is not a registered validator");
                }
                if (queries.isRefinementService(dlpId, service)) {
                    throw new CoopException(ErrorCode.REFUSED, service + " already serves DataDAO " + dlpId);
                }
                String tx = queries.addRefinementService(dlpId, service);
                if (asJson()) {
                    ObjectNode body = Json.object();
                    body.put("dlpId", dlpId);
                    body.put("service", service.value());
                    body.put("txHash", tx);
                    out().println(Json.write(body));
                } else {
                    out().println(service + " now refines and serves DataDAO " + dlpId
                            + " (transaction " + tx + ")");
                }
            }
            return 0;
        }
    }
}
