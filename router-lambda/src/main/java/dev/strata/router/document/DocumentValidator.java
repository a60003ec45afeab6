package dev.strata.router.document;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.api.Document;
import dev.strata.api.Limits;
import dev.strata.api.StrataException;
import dev.strata.api.VectorRules;
import dev.strata.catalog.CollectionRecord;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Checks documents posted to the API against {@link Limits} and the collection's spec before they are written
 * to {@code ingest/}, so a bad request fails at once with 400/413 instead of as a rejected batch later.
 * Ingest validates again (objects may also be uploaded directly). Stateless; thread-safe.
 */
final class DocumentValidator {

    private final ObjectMapper mapper;

    DocumentValidator(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    void checkCount(int count, String field) {
        if (count == 0) {
            throw new StrataException.InvalidRequest(field + " is empty; send between 1 and "
                    + Limits.MAX_BATCH_DOCUMENTS);
        }
        if (count > Limits.MAX_BATCH_DOCUMENTS) {
            throw new StrataException.PayloadTooLarge(field + " has " + count + " entries; at most "
                    + Limits.MAX_BATCH_DOCUMENTS + " per call (upload larger batches to S3 under ingest/)");
        }
    }

    static void checkBodySize(byte[] body) {
        if (body != null && body.length > Limits.MAX_BATCH_BYTES) {
            throw new StrataException.PayloadTooLarge("the body has " + body.length + " bytes; at most "
                    + Limits.MAX_BATCH_BYTES + " per call");
        }
    }

    void checkId(String field, String id) {
        if (id == null || id.isEmpty()) {
            throw new StrataException.InvalidRequest(field + " is required");
        }
        int bytes = id.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > Limits.MAX_ID_BYTES) {
            throw new StrataException.InvalidRequest(field + " has " + bytes + " bytes; at most "
                    + Limits.MAX_ID_BYTES);
        }
    }

    void check(List<Document> documents, CollectionRecord collection) {
        for (int i = 0; i < documents.size(); i++) {
            Document d = documents.get(i);
            String at = "documents[" + i + "]";
            if (d == null) {
                throw new StrataException.InvalidRequest(at + " is null");
            }
            checkId(at + ".id", d.id());
            if (d.isDelete()) {
                if (d.vector() != null || d.text() != null || d.metadata() != null) {
                    throw new StrataException.InvalidRequest(at + " is a delete; it may only carry id and delete");
                }
                continue;
            }
            if (d.vector() != null) {
                VectorRules.validate(at + ".vector", d.vector(), collection.spec().dimension(), collection.name());
            } else if (d.text() == null || d.text().isBlank()) {
                throw new StrataException.InvalidRequest(at + " has neither vector nor text; one is required");
            } else if (collection.spec().embedding() == null) {
                throw new StrataException.InvalidRequest("no_embedding_model", at + " has text and no vector, but"
                        + " collection '" + collection.name() + "' has no embedding model; send vectors");
            }
            if (d.text() != null) {
                int bytes = d.text().getBytes(StandardCharsets.UTF_8).length;
                if (bytes > Limits.MAX_TEXT_BYTES) {
                    throw new StrataException.InvalidRequest(at + ".text has " + bytes + " bytes; at most "
                            + Limits.MAX_TEXT_BYTES);
                }
            }
            if (d.metadata() != null) {
                checkMetadata(at + ".metadata", d.metadata());
            }
        }
    }

    private void checkMetadata(String field, Map<String, Object> metadata) {
        for (Map.Entry<String, Object> e : metadata.entrySet()) {
            Object v = e.getValue();
            boolean ok = v == null || isScalar(v)
                    || (v instanceof Collection<?> list && list.stream().allMatch(DocumentValidator::isScalar));
            if (!ok) {
                throw new StrataException.InvalidRequest(field + "." + e.getKey()
                        + " must be a string, number, boolean or an array of them; nested objects are not allowed");
            }
        }
        try {
            int bytes = mapper.writeValueAsBytes(metadata).length;
            if (bytes > Limits.MAX_METADATA_BYTES) {
                throw new StrataException.InvalidRequest(field + " has " + bytes + " bytes as JSON; at most "
                        + Limits.MAX_METADATA_BYTES);
            }
        } catch (JsonProcessingException e) {
            throw new StrataException.InvalidRequest(field + " cannot be written as JSON: " + e.getOriginalMessage());
        }
    }

    private static boolean isScalar(Object v) {
        return v instanceof String || v instanceof Number || v instanceof Boolean;
    }
}
