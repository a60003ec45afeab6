package dev.strata.router.document;

import dev.strata.api.StrataException;
import dev.strata.store.IngestBatchId;
import dev.strata.store.S3SegmentStore;
import dev.strata.store.SegmentStore;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Names the objects the API writes and the batches they become. The object is
 * {@code ingest/{tenant}/{collection}/api-{13 hex ms}{16 random hex}.jsonl} (sorts by time, never collides); its
 * batch id is the one ingest derives from the S3 event ({@link IngestBatchId} over bucket, key and the version id
 * or ETag that S3 assigned), read back with a HEAD after the write, so the id the API returns is the id ingest
 * records.
 */
final class BatchIds {

    private static final SecureRandom RANDOM = new SecureRandom();

    private BatchIds() {}

    static String newObjectKey(String tenant, String collection) {
        byte[] random = new byte[8];
        RANDOM.nextBytes(random);
        return "ingest/" + tenant + "/" + collection + "/api-" + String.format("%013x", System.currentTimeMillis())
                + HexFormat.of().formatHex(random) + ".jsonl";
    }

    /** The batch id ingest will give the object just written at {@code key}. */
    static String batchIdOf(SegmentStore store, String key) {
        if (store instanceof S3SegmentStore s3) {
            S3SegmentStore.ObjectInfo info = s3.head(key);
            String version = info.versionId() != null && !info.versionId().isEmpty() && !"null".equals(info.versionId())
                    ? info.versionId() : info.eTag();
            return IngestBatchId.of(s3.bucket(), key, version);
        }
        throw new StrataException.Internal("store_without_versions", "the configured segment store ("
                + store.getClass().getSimpleName() + ") does not report object versions, so batch ids cannot be"
                + " derived; use the S3 segment store", null);
    }
}
