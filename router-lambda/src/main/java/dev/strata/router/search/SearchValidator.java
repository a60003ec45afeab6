package dev.strata.router.search;

import dev.strata.api.Limits;
import dev.strata.api.SearchRequest;
import dev.strata.api.StrataException;
import dev.strata.api.VectorRules;
import dev.strata.catalog.CollectionRecord;
import dev.strata.filter.Filter;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * The rules a search request must meet before any shard is called; each failure is a 400 whose message names the
 * field, the value and the limit. Stateless; thread-safe.
 */
final class SearchValidator {

    private static final Set<String> INCLUDES = Set.of("metadata", "text");

    private SearchValidator() {}

    static void validate(SearchRequest request, CollectionRecord collection) {
        boolean hasVector = request.vector() != null;
        boolean hasText = request.text() != null;
        if (hasVector && hasText) {
            throw new StrataException.InvalidRequest("send either vector or text, not both");
        }
        if (!hasVector && !hasText) {
            throw new StrataException.InvalidRequest("vector or text is required");
        }
        if (hasVector) {
            VectorRules.validate("vector", request.vector(), collection.spec().dimension(), collection.name());
        } else {
            if (request.text().isBlank()) {
                throw new StrataException.InvalidRequest("empty_text", "text is blank; send a question or a vector");
            }
            int bytes = request.text().getBytes(StandardCharsets.UTF_8).length;
            if (bytes > Limits.MAX_TEXT_BYTES) {
                throw new StrataException.InvalidRequest("text has " + bytes + " bytes; at most " + Limits.MAX_TEXT_BYTES);
            }
            if (collection.spec().embedding() == null) {
                throw new StrataException.InvalidRequest("no_embedding_model", "collection '" + collection.name()
                        + "' has no embedding model, so text queries are not possible; send a vector");
            }
        }
        VectorRules.validateK(request.kOrDefault());
        if (request.searchWidth() != null && (request.searchWidth() < 1 || request.searchWidth() > Limits.MAX_SEARCH_WIDTH)) {
            throw new StrataException.InvalidRequest("searchWidth is " + request.searchWidth()
                    + "; it must be between 1 and " + Limits.MAX_SEARCH_WIDTH);
        }
        List<String> include = request.include() == null ? List.of() : request.include();
        for (String what : include) {
            if (!INCLUDES.contains(what)) {
                throw new StrataException.InvalidRequest("include has '" + what + "'; allowed: metadata, text");
            }
        }
        if (request.minVersion() != null && request.minVersion() < 0) {
            throw new StrataException.InvalidRequest("minVersion is " + request.minVersion() + "; it must be 0 or more");
        }
        if (request.filter() != null) {
            try {
                Filter.parse(request.filter());
            } catch (StrataException.InvalidRequest e) {
                throw new StrataException.InvalidRequest("invalid_filter", e.getMessage());
            }
        }
    }

    /** A vector produced by the collection's model must have the collection's dimension. */
    static void checkEmbedded(float[] vector, CollectionRecord collection) {
        if (vector.length != collection.spec().dimension()) {
            throw new StrataException.InvalidRequest("no_embedding_model", "embedding model '"
                    + collection.spec().embedding() + "' gives " + vector.length + " values; collection '"
                    + collection.name() + "' has dimension " + collection.spec().dimension());
        }
    }
}
