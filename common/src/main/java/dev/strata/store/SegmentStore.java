package dev.strata.store;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Object storage for segments, ingest objects and rejects reports: S3 in AWS ({@link S3SegmentStore}),
 * the in-process S3 server in tests and the local emulation. Keys are S3 keys; segment files live under
 * {@code segments/{tenant}/{collection}/{shard}/{segmentId}/}. Implementations are thread-safe.
 */
public interface SegmentStore {

    /** Uploads every regular file of {@code dir} under {@code keyPrefix} (which ends in '/'). */
    void uploadDirectory(Path dir, String keyPrefix);

    /** Downloads every object under {@code keyPrefix} into {@code dir} (created if needed), by file name. */
    void downloadDirectory(String keyPrefix, Path dir);

    /** Writes one object. */
    void put(String key, byte[] bytes, String contentType);

    /**
     * Writes one object with user metadata (stored as {@code x-amz-meta-*}, e.g. {@code strata-key-id} on ingest
     * objects so the audit record names the API key). Stores without metadata ignore it.
     */
    default void put(String key, byte[] bytes, String contentType, Map<String, String> metadata) {
        put(key, bytes, contentType);
    }

    /** Opens one object; the caller closes the stream. NotFound if absent. */
    InputStream open(String key);

    /** Lists keys under a prefix. */
    List<String> list(String prefix);

    /** Deletes every object under a prefix. */
    void deletePrefix(String prefix);

    /**
     * User metadata of an object ({@code x-amz-meta-*} without the prefix, e.g. {@code strata-key-id}); empty
     * when the store keeps none. NotFound if the object is absent.
     */
    default Map<String, String> userMetadata(String key) {
        return Map.of();
    }
}
