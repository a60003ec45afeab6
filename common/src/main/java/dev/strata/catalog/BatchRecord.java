package dev.strata.catalog;

import java.time.Instant;
import java.util.List;

/**
 * An ingest batch ({@code BATCH#{tenant}#{name}#{batchId}}); its existence makes ingest idempotent.
 *
 * @param tenant     owning tenant
 * @param collection collection name
 * @param batchId    derived from the ingest object (bucket, key, version id or ETag)
 * @param status     pending, applied or rejected
 * @param objectKey  the ingest object ({@code ingest/...}) the batch came from
 * @param accepted   lines applied (upserts and deletes)
 * @param deleted    of which deletes
 * @param rejected   rejected lines, with reasons; the first {@link #MAX_REJECTS_INLINE} (all are in the report)
 * @param rejectedCount total rejected lines
 * @param rejectsKey store key of the full rejects report, or null when nothing was rejected
 * @param version    collection version the batch produced (0 until applied)
 * @param message    why the whole batch was rejected (status rejected), else null
 * @param createdAt  when ingest first saw it
 * @param updatedAt  last status change
 */
public record BatchRecord(
        String tenant,
        String collection,
        String batchId,
        BatchStatus status,
        String objectKey,
        int accepted,
        int deleted,
        List<Reject> rejected,
        int rejectedCount,
        String rejectsKey,
        long version,
        String message,
        Instant createdAt,
        Instant updatedAt) {

    /** Rejects kept inline in the item (DynamoDB items are limited to 400 KB). */
    public static final int MAX_REJECTS_INLINE = 100;

    /** A rejected line: 1-based line number, the id if it could be read, and the reason. */
    public record Reject(int line, String id, String reason) {}
}
