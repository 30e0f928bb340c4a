package org.datacoop.node.attestation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.datacoop.chain.Wallet;
import org.datacoop.protocol.Address;
import org.datacoop.protocol.Hex;

/**
 * A data attestation in Vana's schema (PROTOCOL.md §5): {@code signed_fields} and the prover's
 * EIP-191 signature over their JSON with keys sorted at every level and no whitespace, so anyone can
 * recover {@code prover.address} from the document alone.
 */
public record Attestation(ObjectNode signedFields, String signature) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public Attestation {
        signedFields = signedFields.deepCopy();
    }

    /** Signs {@code signedFields} as {@code signer}. */
    public static Attestation sign(ObjectNode signedFields, Wallet signer) {
        byte[] signature = signer.signMessage(canonical(signedFields).getBytes(StandardCharsets.UTF_8));
        return new Attestation(signedFields, Hex.prefixed(signature));
    }

    /** Reads a stored attestation document; fails naming what is missing. */
    public static Attestation parse(String json) {
        try {
            JsonNode root = JSON.readTree(json);
            if (root == null || !root.path("signed_fields").isObject() || !root.path("signature").isTextual()) {
                throw new IllegalArgumentException("not an attestation: it needs a signed_fields object and a signature");
            }
            return new Attestation((ObjectNode) root.get("signed_fields"), root.get("signature").asText());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not an attestation: not JSON (" + e.getOriginalMessage() + ")", e);
        }
    }

    /** The address whose key signed this document (compare it with {@code prover.address} and the chain). */
    public Address recoverSigner() {
        return Wallet.signerOfMessage(canonical(signedFields).getBytes(StandardCharsets.UTF_8), Hex.bytes(signature));
    }

    /** The document as stored. */
    public String toJson() {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.set("signed_fields", signedFields.deepCopy());
        root.put("signature", signature);
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    /** The signed text: keys sorted at every level, no whitespace. */
    public static String canonical(JsonNode node) {
        try {
            return JSON.writeValueAsString(sorted(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    private static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            names.sort(null);
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            names.forEach(name -> copy.set(name, sorted(node.get(name))));
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            node.forEach(element -> copy.add(sorted(element)));
            return copy;
        }
        return node;
    }

    /** A field of {@code signed_fields} by path, such as {@code ("subject", "file_id")}. */
    public JsonNode field(String section, String name) {
        return signedFields.path(section).path(name);
    }
}
