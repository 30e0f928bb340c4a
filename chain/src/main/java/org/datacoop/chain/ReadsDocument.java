package org.datacoop.chain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.datacoop.protocol.query.RowsRead;
import org.web3j.utils.Numeric;

/**
 * Every leaf of a settled query, as its service publishes them (the URL is in the QueryEngine's
 * {@code ReadsCommitted} events): the rows-read lineage of the query, and what contributors claim
 * with. Anyone rebuilds each refiner's root from it ({@link ReadsTree}, or OpenZeppelin's
 * StandardMerkleTree over {@code leaves}) and checks it against the one settled.
 *
 * <pre>{"queryId": "0x..", "reads": [{"refinerId": 1, "root": "0x..", "totalRows": 5,
 *   "leaves": [[fileId, rows], ...]}]}</pre>
 */
public record ReadsDocument(String queryId, List<RowsRead> reads) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public ReadsDocument {
        reads = List.copyOf(reads);
    }

    public byte[] toJson() {
        ObjectNode document = JSON.createObjectNode();
        document.put("queryId", queryId);
        ArrayNode all = document.putArray("reads");
        for (RowsRead read : reads) {
            ObjectNode node = all.addObject();
            node.put("refinerId", read.refinerId());
            node.put("root", Numeric.toHexString(ReadsTree.of(read).root()));
            node.put("totalRows", read.totalRows());
            ArrayNode leaves = node.putArray("leaves");
            read.rowsByFile().forEach((file, rows) -> leaves.addArray().add(file).add(rows));
        }
        try {
            return JSON.writeValueAsBytes(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("writing the leaves of query " + queryId, e);
        }
    }

    /** Reads a published document; fails naming what is malformed. */
    public static ReadsDocument parse(byte[] json) {
        JsonNode document;
        try {
            document = JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("the leaves document is not JSON: " + e.getMessage(), e);
        }
        if (document == null || !document.path("queryId").isTextual() || !document.path("reads").isArray()) {
            throw new IllegalArgumentException("the leaves document needs a queryId and reads: "
                    + new String(json, 0, Math.min(json.length, 200), StandardCharsets.UTF_8));
        }
        List<RowsRead> reads = new ArrayList<>();
        for (JsonNode read : document.get("reads")) {
            if (!read.path("refinerId").canConvertToLong() || !read.path("leaves").isArray()) {
                throw new IllegalArgumentException("a read of the leaves document needs a refinerId and leaves: " + read);
            }
            SortedMap<Long, Long> rowsByFile = new TreeMap<>();
            for (JsonNode leaf : read.get("leaves")) {
                if (leaf.size() != 2 || !leaf.get(0).canConvertToLong() || !leaf.get(1).canConvertToLong()) {
                    throw new IllegalArgumentException("a leaf must be [fileId, rows]: " + leaf);
                }
                if (rowsByFile.put(leaf.get(0).asLong(), leaf.get(1).asLong()) != null) {
                    throw new IllegalArgumentException("file " + leaf.get(0).asLong() + " is a leaf twice");
                }
            }
            reads.add(new RowsRead(read.get("refinerId").asLong(), rowsByFile));
        }
        return new ReadsDocument(document.get("queryId").asText(), reads);
    }
}
