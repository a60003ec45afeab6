package dev.strata.router.search;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.strata.api.ShardSearchRequest;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Digest of what decides a search's answer: the query vector (its float bits, in order), k, search width, the
 * includes and the filter, the filter written as JSON with map keys sorted (so {@code {"a":1,"b":2}} and
 * {@code {"b":2,"a":1}} are one entry). The vector goes in as raw bits rather than as JSON text: printing hundreds
 * of floats as decimals only to hash them cost more than the hash. Thread-safe.
 */
final class CanonicalRequest {

    private final ObjectMapper mapper;

    CanonicalRequest(ObjectMapper mapper) {
        this.mapper = mapper.copy().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    }

    String digest(ShardSearchRequest request) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            float[] vector = request.vector();
            java.nio.ByteBuffer head = java.nio.ByteBuffer.allocate(4 * vector.length + 16);
            head.putInt(vector.length);
            for (float v : vector) {
                head.putInt(Float.floatToIntBits(v));
            }
            head.putInt(request.k());
            head.putInt(request.searchWidth() == null ? -1 : request.searchWidth());
            head.put((byte) (request.includeMetadata() ? 1 : 0));
            head.put((byte) (request.includeText() ? 1 : 0));
            sha.update(head.array(), 0, head.position());
            if (request.filter() != null) {
                sha.update(mapper.writeValueAsBytes(request.filter()));
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot digest a search request", e);
        }
    }
}
