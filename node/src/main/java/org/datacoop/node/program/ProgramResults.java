package org.datacoop.node.program;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A program's verdict in Vana's {@code results.json} shape (PROTOCOL.md §4). Scores are in [0, 1];
 * only {@code score} and {@code metadata} go on-chain, the rest into the attestation.
 */
public record ProgramResults(
        long dlpId,
        boolean valid,
        double score,
        double authenticity,
        double ownership,
        double quality,
        double uniqueness,
        ObjectNode attributes,
        ObjectNode metadata) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public ProgramResults {
        score = roundedToNine(score);
        authenticity = roundedToNine(authenticity);
        ownership = roundedToNine(ownership);
        quality = roundedToNine(quality);
        uniqueness = roundedToNine(uniqueness);
        requireUnit("score", score);
        requireUnit("authenticity", authenticity);
        requireUnit("ownership", ownership);
        requireUnit("quality", quality);
        requireUnit("uniqueness", uniqueness);
        attributes = attributes == null ? JsonNodeFactory.instance.objectNode() : attributes.deepCopy();
        metadata = metadata == null ? JsonNodeFactory.instance.objectNode() : metadata.deepCopy();
    }

    /**
     * Reads {@code results.json} text; {@code valid} and {@code score} are required, the other
     * scores default to 0, and anything out of shape is a {@link ProgramException.Reason#BAD_OUTPUT}
     * naming the field.
     */
    public static ProgramResults parse(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new ProgramException(ProgramException.Reason.BAD_OUTPUT,
                    "results.json is not JSON" + (e.getLocation() == null ? ""
                            : " (at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")"));
        }
        if (root == null || !root.isObject()) {
            throw new ProgramException(ProgramException.Reason.BAD_OUTPUT, "results.json is not a JSON object");
        }
        JsonNode valid = root.get("valid");
        if (valid == null || !valid.isBoolean()) {
            throw new ProgramException(ProgramException.Reason.BAD_OUTPUT, "results.json: \"valid\" must be true or false");
        }
        try {
            return new ProgramResults(
                    root.path("dlp_id").asLong(0),
                    valid.booleanValue(),
                    unit(root, "score", true),
                    unit(root, "authenticity", false),
                    unit(root, "ownership", false),
                    unit(root, "quality", false),
                    unit(root, "uniqueness", false),
                    object(root, "attributes"),
                    object(root, "metadata"));
        } catch (IllegalArgumentException e) {
            throw new ProgramException(ProgramException.Reason.BAD_OUTPUT, "results.json: " + e.getMessage());
        }
    }

    /** The score as the contracts take it: fixed point with 18 decimals, rounded down. */
    public java.math.BigInteger scaledScore() {
        return new java.math.BigDecimal(Double.toString(score)).movePointRight(18).toBigInteger();
    }

    /** These results as Vana's {@code results.json} object. */
    public ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("dlp_id", dlpId);
        node.put("valid", valid);
        node.put("score", score);
        node.put("authenticity", authenticity);
        node.put("ownership", ownership);
        node.put("quality", quality);
        node.put("uniqueness", uniqueness);
        node.set("attributes", attributes.deepCopy());
        node.set("metadata", metadata.deepCopy());
        return node;
    }

    private static double unit(JsonNode root, String field, boolean required) {
        JsonNode value = root.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw new IllegalArgumentException("\"" + field + "\" is required");
            }
            return 0;
        }
        if (!value.isNumber()) {
            // The value is not quoted: results.json may echo the decrypted data, and this reason goes on-chain.
            throw new IllegalArgumentException("\"" + field + "\" must be a number in [0, 1], not " + value.getNodeType());
        }
        return value.doubleValue();
    }

    private static ObjectNode object(JsonNode root, String field) {
        JsonNode value = root.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isObject()) {
            throw new IllegalArgumentException("\"" + field + "\" must be an object");
        }
        return (ObjectNode) value;
    }

    /** Nine decimals: binary floating-point noise (0.42000000000000004) must not reach the chain. */
    private static double roundedToNine(double value) {
        return Double.isFinite(value) ? Math.round(value * 1e9) / 1e9 : value;
    }

    private static void requireUnit(String field, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException("\"" + field + "\" must be in [0, 1], not " + value);
        }
    }
}
