package dev.strata.catalog;

import dev.strata.api.CollectionSpec;

import java.time.Instant;
import java.util.List;

/**
 * A collection as the catalog holds it ({@code COLLECTION#{tenant}#{name}}).
 *
 * @param tenant        owning tenant
 * @param name          collection name, unique within the tenant
 * @param spec          validated spec (defaults filled in)
 * @param version       monotonic; bumped by every commit (0 = created, nothing committed yet)
 * @param homeRegion    region where ingest runs
 * @param createdAt     creation time
 * @param updatedAt     time of the last change
 * @param lastCommitAt  commit time of {@code version} (null before the first commit); replication lag is measured from it
 * @param documentCount live documents after the last commit (upserts add, deletes subtract; approximate under upserts)
 * @param centroids     k-means centroids for {@code centroid}/{@code hybrid} sharding, trained on the first batch
 *                      and fixed afterwards; empty for {@code hash}
 */
public record CollectionRecord(
        String tenant,
        String name,
        CollectionSpec spec,
        long version,
        String homeRegion,
        Instant createdAt,
        Instant updatedAt,
        Instant lastCommitAt,
        long documentCount,
        List<float[]> centroids) {}
