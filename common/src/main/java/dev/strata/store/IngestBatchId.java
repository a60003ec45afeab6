package dev.strata.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The batch id of an ingest object: 32 hex characters of SHA-256 over {@code bucket + "\n" + key + "\n" + version},
 * where version is the S3 version id when the bucket is versioned, else the ETag without quotes (empty when
 * neither is known). A redelivered S3 event names the same batch; a new upload of the same key names a new one.
 * Shared by ingest (which reads the object's version from the S3 event) and the router (which reads it back after
 * writing the object), so both name a batch the same. Stateless; thread-safe.
 */
public final class IngestBatchId {

    private IngestBatchId() {}

    /** The batch id of {@code key} in {@code bucket} at {@code versionOrEtag} (quotes are stripped; null = empty). */
    public static String of(String bucket, String key, String versionOrEtag) {
        String version = versionOrEtag == null ? "" : versionOrEtag.replace("\"", "");
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((bucket + "\n" + key + "\n" + version).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
