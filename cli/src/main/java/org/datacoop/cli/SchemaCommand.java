package org.datacoop.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import org.datacoop.node.program.ProgramLoader;
import org.datacoop.protocol.query.Schema;
import org.datacoop.query.TableSchema;
import org.datacoop.query.refine.SchemaDefinition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code coop schema show ID}. */
@Command(name = "schema", mixinStandardHelpOptions = true, description = "Shows refined table schemas.",
        subcommands = SchemaCommand.Show.class)
final class SchemaCommand {
    /** Given here it applies to the subcommand: {@code coop schema --json ...}. */
    @Mixin
    private JsonOption json;

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Shows a schema: its tables and column types, checked against the digest pinned on-chain.")
    static final class Show extends ChainCommand {
        @Parameters(paramLabel = "ID", description = "The schema's id.")
        private long id;

        @Override
        public Integer call() {
            Schema schema;
            try (ChainSession session = readOnly()) {
                schema = session.queries().schema(id);
            }
            byte[] bytes = ProgramLoader.fetchPinned(schema.definitionUrl(), schema.definitionDigest(),
                    "the definition of schema " + id);
            SchemaDefinition definition = SchemaDefinition.parse(bytes);
            PrintWriter out = out();
            if (asJson()) {
                ObjectNode body = Json.object();
                body.put("id", schema.id());
                body.put("name", schema.name());
                body.put("dialect", schema.dialect());
                body.put("definitionUrl", schema.definitionUrl());
                body.put("definitionDigest", schema.definitionDigest());
                body.set("tables", Json.MAPPER.valueToTree(definition.tables()));
                out.println(Json.write(body));
                return 0;
            }
            out.println("schema " + schema.id() + ": " + schema.name() + " (" + schema.dialect() + "), digest "
                    + schema.definitionDigest());
            for (TableSchema table : definition.tables()) {
                out.println("table " + table.name());
                table.columns().forEach(c -> out.printf("  %-20s %s%n", c.name(), c.type()));
            }
            return 0;
        }
    }
}
