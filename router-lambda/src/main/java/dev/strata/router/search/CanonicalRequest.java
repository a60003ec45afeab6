package dev.strata.router.search;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.strata.api.ShardSearchRequest;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Digest of what decides a search's answer: the query vector, k, search width, filter and includes, written as
 * JSON with map keys sorted (so {@code {"a":1,"b":2}} and {@code {"b":2,"a":1}} are one entry). Thread-safe.
 */
final class CanonicalRequest {

    private final ObjectMapper mapper;

    CanonicalRequest(ObjectMapper mapper) {
        this.mapper = mapper.copy().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    }

    String digest(ShardSearchRequest request) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(mapper.writeValueAsBytes(new ShardSearchRequest(request.vector(), request.k(),
                    request.searchWidth(), request.filter(), request.includeMetadata(), request.includeText(), null)));
            return HexFormat.of().formatHex(sha.digest());
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot digest a search request", e);
        }
    }
}
