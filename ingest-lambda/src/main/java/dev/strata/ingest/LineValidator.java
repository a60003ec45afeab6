package dev.strata.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.api.Document;
import dev.strata.api.DocumentRules;
import dev.strata.api.StrataException;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Validates one JSONL ingest line against a collection and turns it into a {@link Document}, or into the exact
 * reason it is refused. First the line's JSON shape, in this order: valid JSON; a JSON object; only the fields
 * {@code id, vector, text, metadata, delete}; {@code id} a non-empty string; a delete has only {@code id} and
 * {@code delete: true}; {@code vector} an array of numbers; {@code text} a string; {@code metadata} an object of
 * scalars or arrays of scalars. Then the document itself by {@link DocumentRules} (sizes, dimension, finite
 * values, a vector or a text, an embedding model for text alone), the rules the router's API also applies.
 *
 * <p>NaN and Infinity literals are read (so they are refused with a precise reason rather than as bad JSON).
 * Thread-safe: immutable.
 */
public final class LineValidator {

    static final Set<String> FIELDS = Set.of("id", "vector", "text", "metadata", "delete");
    private static final String ALLOWED = "id, vector, text, metadata, delete";
    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build());

    private final String collection;
    private final int dimension;
    private final boolean hasEmbeddingModel;

    public LineValidator(String collection, int dimension, boolean hasEmbeddingModel) {
        this.collection = collection;
        this.dimension = dimension;
        this.hasEmbeddingModel = hasEmbeddingModel;
    }

    /** Outcome of one line. */
    public sealed interface Result permits Accepted, Rejected {
        int line();
    }

    /** A valid line; {@code document.vector()} is null when its text is still to be embedded. */
    public record Accepted(int line, Document document) implements Result {}

    /** A refused line: its 1-based number, its id when it could be read, and why. */
    public record Rejected(int line, String id, String reason) implements Result {}

    public Result validate(int lineNumber, String line) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            return new Rejected(lineNumber, null, "line is not valid JSON (column "
                    + e.getLocation().getColumnNr() + ")");
        }
        if (node == null || !node.isObject()) {
            return new Rejected(lineNumber, null, "line is not a JSON object");
        }
        String id = node.path("id").isTextual() ? node.get("id").asText() : null;
        try {
            return new Accepted(lineNumber, document(node));
        } catch (StrataException.InvalidRequest e) {
            return new Rejected(lineNumber, id, e.getMessage());
        }
    }

    private Document document(JsonNode node) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw invalid("unknown field '" + name + "'; allowed fields are " + ALLOWED);
            }
        }
        JsonNode idNode = node.get("id");
        if (idNode == null || idNode.isNull()) {
            throw invalid("id is required");
        }
        if (!idNode.isTextual() || idNode.asText().isEmpty()) {
            throw invalid("id must be a non-empty string");
        }
        String id = idNode.asText();
        if (node.has("delete")) {
            if (!node.get("delete").isBoolean() || !node.get("delete").asBoolean()) {
                throw invalid("delete must be true when present");
            }
            for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!name.equals("id") && !name.equals("delete")) {
                    throw invalid("a delete line may only have id and delete; it also has '" + name + "'");
                }
            }
            Document tombstone = Document.tombstone(id);
            DocumentRules.check("", tombstone, dimension, collection, hasEmbeddingModel);
            return tombstone;
        }
        float[] vector = node.has("vector") && !node.get("vector").isNull() ? vector(node.get("vector")) : null;
        String text = null;
        if (node.has("text") && !node.get("text").isNull()) {
            if (!node.get("text").isTextual()) {
                throw invalid("text must be a string");
            }
            text = node.get("text").asText();
        }
        Map<String, Object> metadata = node.has("metadata") && !node.get("metadata").isNull()
                ? metadata(node.get("metadata")) : null;
        Document document = new Document(id, vector, text, metadata);
        DocumentRules.check("", document, dimension, collection, hasEmbeddingModel);
        return document;
    }

    private float[] vector(JsonNode array) {
        if (!array.isArray()) {
            throw invalid("vector must be an array of numbers");
        }
        float[] v = new float[array.size()];
        for (int i = 0; i < v.length; i++) {
            JsonNode value = array.get(i);
            if (!value.isNumber()) {
                throw invalid("vector[" + i + "] is not a number");
            }
            v[i] = (float) value.doubleValue();
        }
        return v;
    }

    private static Map<String, Object> metadata(JsonNode object) {
        if (!object.isObject()) {
            throw invalid("metadata must be a JSON object");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = object.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            String path = "metadata." + field.getKey();
            JsonNode value = field.getValue();
            if (value.isArray()) {
                List<Object> list = new ArrayList<>(value.size());
                for (int i = 0; i < value.size(); i++) {
                    list.add(scalar(path + "[" + i + "]", value.get(i)));
                }
                out.put(field.getKey(), list);
            } else {
                out.put(field.getKey(), scalar(path, value));
            }
        }
        return out;
    }

    private static Object scalar(String path, JsonNode value) {
        if (value.isTextual()) {
            return value.asText();
        }
        if (value.isBoolean()) {
            return value.asBoolean();
        }
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            return value.asLong();
        }
        if (value.isNumber()) {
            double d = value.asDouble();
            if (!Double.isFinite(d)) {
                throw invalid(path + " is " + d + "; numbers must be finite");
            }
            return d;
        }
        String kind = value.isObject() ? "an object" : value.isArray() ? "an array" : value.isNull() ? "null" : "not a scalar";
        throw invalid(path + " is " + kind + "; metadata values must be scalars or arrays of scalars");
    }

    private static StrataException.InvalidRequest invalid(String message) {
        return new StrataException.InvalidRequest(message);
    }
}
