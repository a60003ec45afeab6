package dev.strata.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;

/**
 * The rules a document must meet before it is written, in one place for both writers: the router's documents API
 * (which refuses a bad request at once, before anything reaches {@code ingest/}) and the ingest pipeline (which
 * checks every line again, because objects may also be uploaded to S3 directly). Checked in this order: the id
 * (present, at most {@link Limits#MAX_ID_BYTES} UTF-8 bytes); a delete carries nothing else; the vector
 * ({@link VectorRules}); the text (at most {@link Limits#MAX_TEXT_BYTES} bytes); the metadata (scalars or arrays of
 * scalars, at most {@link Limits#MAX_METADATA_BYTES} bytes as JSON); a vector or a text; text without a vector only
 * when the collection has an embedding model.
 *
 * <p>Every message starts with the field it is about, prefixed by {@code at} (say {@code "documents[3]"}, or
 * {@code ""} for a line of its own), and names the value and the limit. Stateless; thread-safe.
 */
public final class DocumentRules {

    private static final ObjectMapper JSON = new ObjectMapper();

    private DocumentRules() {}

    /**
     * @param at                where the document is in its request ({@code "documents[3]"}) or {@code ""}
     * @param hasEmbeddingModel whether the collection can embed a text that has no vector
     * @throws StrataException.InvalidRequest naming the first rule the document breaks ({@code no_embedding_model}
     *                                        for text that cannot be embedded)
     */
    public static void check(String at, Document document, int dimension, String collection,
                             boolean hasEmbeddingModel) {
        String subject = at.isEmpty() ? "document" : at;
        if (document == null) {
            throw new StrataException.InvalidRequest(subject + " is null");
        }
        checkId(field(at, "id"), document.id());
        if (document.isDelete()) {
            if (document.vector() != null || document.text() != null || document.metadata() != null) {
                throw new StrataException.InvalidRequest(subject + " is a delete; it may only carry id and delete");
            }
            return;
        }
        if (document.vector() != null) {
            VectorRules.validate(field(at, "vector"), document.vector(), dimension, collection);
        }
        if (document.text() != null) {
            int bytes = document.text().getBytes(StandardCharsets.UTF_8).length;
            if (bytes > Limits.MAX_TEXT_BYTES) {
                throw new StrataException.InvalidRequest(field(at, "text") + " has " + bytes + " bytes; at most "
                        + Limits.MAX_TEXT_BYTES + " are allowed");
            }
        }
        if (document.metadata() != null) {
            checkMetadata(field(at, "metadata"), document.metadata());
        }
        if (document.vector() == null) {
            if (document.text() == null || document.text().isBlank()) {
                throw new StrataException.InvalidRequest(subject + " has neither vector nor text; one is required");
            }
            if (!hasEmbeddingModel) {
                throw new StrataException.InvalidRequest("no_embedding_model", subject + " has text but no vector,"
                        + " and collection '" + collection + "' has no embedding model; send vectors");
            }
        }
    }

    /** An id: present, non-empty, at most {@link Limits#MAX_ID_BYTES} UTF-8 bytes. */
    public static void checkId(String field, String id) {
        if (id == null || id.isEmpty()) {
            throw new StrataException.InvalidRequest(field + " is required");
        }
        int bytes = id.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > Limits.MAX_ID_BYTES) {
            throw new StrataException.InvalidRequest(field + " has " + bytes + " bytes; at most "
                    + Limits.MAX_ID_BYTES + " are allowed");
        }
    }

    private static void checkMetadata(String field, Map<String, Object> metadata) {
        for (Map.Entry<String, Object> e : metadata.entrySet()) {
            Object v = e.getValue();
            boolean ok = v == null || isScalar(v)
                    || (v instanceof Collection<?> list && list.stream().allMatch(DocumentRules::isScalar));
            if (!ok) {
                throw new StrataException.InvalidRequest(field + "." + e.getKey()
                        + " must be a string, number, boolean or an array of them; nested objects are not allowed");
            }
        }
        int bytes;
        try {
            bytes = JSON.writeValueAsBytes(metadata).length;
        } catch (JsonProcessingException e) {
            throw new StrataException.InvalidRequest(field + " cannot be written as JSON: " + e.getOriginalMessage());
        }
        if (bytes > Limits.MAX_METADATA_BYTES) {
            throw new StrataException.InvalidRequest(field + " has " + bytes + " bytes as JSON; at most "
                    + Limits.MAX_METADATA_BYTES + " are allowed");
        }
    }

    private static boolean isScalar(Object v) {
        return v instanceof String || v instanceof Number || v instanceof Boolean;
    }

    private static String field(String at, String name) {
        return at.isEmpty() ? name : at + "." + name;
    }
}
