package dev.strata.ingest;

import dev.strata.api.StrataException;
import dev.strata.store.IngestBatchId;


/**
 * An ingest object: {@code ingest/{tenant}/{collection}/{name}.jsonl} or {@code ...jsonl.gz} in a bucket, at
 * one version. Its batch id is derived from (bucket, key, version id or ETag), so a redelivered S3 event names
 * the same batch, and a new upload of the same key names a new one.
 *
 * @param bucket     bucket holding it
 * @param key        object key
 * @param version    S3 version id, else the ETag (quotes stripped), else empty
 * @param tenant     tenant from the key
 * @param collection collection from the key
 * @param gzip       true for {@code .jsonl.gz}
 */
public record IngestObject(String bucket, String key, String version, String tenant, String collection, boolean gzip) {

    /** Prefix S3 notifications are filtered on. */
    public static final String PREFIX = "ingest/";

    /** Parses a key; InvalidRequest naming the key and the expected layout when it does not match. */
    public static IngestObject parse(String bucket, String key, String versionOrEtag) {
        String[] parts = key.split("/", -1);
        boolean gzip = key.endsWith(".jsonl.gz");
        if (parts.length != 4 || !parts[0].equals("ingest") || parts[1].isEmpty() || parts[2].isEmpty()
                || !(gzip || key.endsWith(".jsonl")) || parts[3].equals(".jsonl") || parts[3].equals(".jsonl.gz")) {
            throw new StrataException.InvalidRequest("invalid_ingest_key", "ingest object key '" + key
                    + "' does not match ingest/{tenant}/{collection}/{name}.jsonl[.gz]");
        }
        String version = versionOrEtag == null ? "" : versionOrEtag.replace("\"", "");
        return new IngestObject(bucket, key, version, parts[1], parts[2], gzip);
    }

    /** The batch id ({@link IngestBatchId}, shared with the router): stable across redeliveries. */
    public String batchId() {
        return IngestBatchId.of(bucket, key, version);
    }

    /** Where the rejects report of this batch goes: {@code rejects/{tenant}/{collection}/{batch}.jsonl}. */
    public String rejectsKey() {
        return "rejects/" + tenant + "/" + collection + "/" + batchId() + ".jsonl";
    }
}
