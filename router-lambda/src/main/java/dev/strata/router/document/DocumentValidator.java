package dev.strata.router.document;

import dev.strata.api.Document;
import dev.strata.api.DocumentRules;
import dev.strata.api.Limits;
import dev.strata.api.StrataException;
import dev.strata.catalog.CollectionRecord;

import java.util.List;

/**
 * Checks documents posted to the API before they are written to {@code ingest/}, so a bad request fails at once
 * with 400/413 instead of as a rejected batch later: the call's own limits (count, body size) here, each document
 * by {@link DocumentRules}, the rules ingest applies again to every line. Stateless; thread-safe.
 */
final class DocumentValidator {

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

    void check(List<Document> documents, CollectionRecord collection) {
        boolean embeds = collection.spec().embedding() != null;
        for (int i = 0; i < documents.size(); i++) {
            DocumentRules.check("documents[" + i + "]", documents.get(i), collection.spec().dimension(),
                    collection.name(), embeds);
        }
    }
}
