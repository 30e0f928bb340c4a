package org.datacoop.query.refine;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.datacoop.query.QueryException;

/**
 * Runs the built-in declarative refiner: maps each input JSON document to rows of the definition's
 * tables and writes them as JSON Lines ({@code TABLE.jsonl}), values converted to their target
 * units. {@link RefinedWriter} then types them and writes Parquet.
 */
public final class DeclarativeRefiner {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DeclarativeRefiner() {}

    /** Refines every file of {@code inputs} into {@code rawDir}; fails naming the file and path at fault. */
    public static void refine(RefinerDefinition definition, List<Path> inputs, Path rawDir) {
        for (RefinerDefinition.TableMapping table : definition.tables()) {
            Path target = rawDir.resolve(table.name() + ".jsonl");
            try (OutputStream out = Files.newOutputStream(target);
                    JsonGenerator generator = JSON.getFactory().createGenerator(out)) {
                for (Path input : inputs) {
                    writeRows(table, read(input), input.getFileName().toString(), generator);
                }
            } catch (IOException e) {
                throw new QueryException(QueryException.Code.BAD_INPUT, "cannot write the rows of " + table.name() + ": "
                        + e.getMessage(), e);
            }
        }
    }

    private static JsonNode read(Path input) {
        try {
            return JSON.readTree(input.toFile());
        } catch (IOException e) {
            throw new QueryException(QueryException.Code.BAD_INPUT, input.getFileName() + " is not JSON", e);
        }
    }

    private static void writeRows(RefinerDefinition.TableMapping table, JsonNode document, String source,
            JsonGenerator out) throws IOException {
        JsonNode rows = table.rows().map(document::at).orElse(document);
        if (rows.isMissingNode() || rows.isNull()) {
            throw new QueryException(QueryException.Code.BAD_INPUT, source + " has nothing at "
                    + table.rows().map(Object::toString).orElse("/") + " (the rows of table " + table.name() + ")");
        }
        if (rows.isArray()) {
            int index = 0;
            for (JsonNode row : rows) {
                writeRow(table, row, source + " row " + index++, out);
            }
        } else {
            writeRow(table, rows, source, out);
        }
    }

    private static void writeRow(RefinerDefinition.TableMapping table, JsonNode row, String where, JsonGenerator out)
            throws IOException {
        out.writeStartObject();
        for (RefinerDefinition.ColumnMapping column : table.columns()) {
            JsonNode value = row.at(column.path());
            out.writeFieldName(column.name());
            if (value.isMissingNode() || value.isNull()) {
                out.writeNull();
            } else if (column.unit().isPresent()) {
                if (!value.isNumber()) {
                    throw new QueryException(QueryException.Code.BAD_INPUT, where + ": " + table.name() + "." + column.name()
                            + " converts units, so " + column.path() + " must be a number, not " + value.getNodeType());
                }
                out.writeNumber(column.convert(value.doubleValue()));
            } else if (value.isContainerNode()) {
                out.writeString(value.toString());
            } else {
                out.writeString(value.asText());
            }
        }
        out.writeEndObject();
        out.writeRaw('\n');
    }
}
