package dev.strata.router.collection;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.strata.api.CollectionSpec;
import dev.strata.catalog.CollectionRecord;
import dev.strata.catalog.SegmentRef;
import dev.strata.catalog.ShardRecord;

import java.time.Instant;
import java.util.List;

/**
 * The describe answer of {@code GET /v1/collections/{c}} (and an item of the list, without shards).
 *
 * @param name          collection name
 * @param spec          the spec with defaults filled in
 * @param version       committed version (0 = nothing committed yet)
 * @param documentCount live documents
 * @param homeRegion    region where ingest runs
 * @param createdAt     creation time
 * @param updatedAt     last change
 * @param lastCommitAt  time of the last commit, or null
 * @param shards        per shard: segments, rows and the version of its last commit (describe only)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CollectionView(
        String name,
        CollectionSpec spec,
        long version,
        long documentCount,
        String homeRegion,
        Instant createdAt,
        Instant updatedAt,
        Instant lastCommitAt,
        List<ShardView> shards) {

    /** One shard's counts. */
    public record ShardView(int shard, int segments, long rows, long tombstones, long version) {
        static ShardView of(ShardRecord shard) {
            long rows = shard.segments().stream().mapToLong(SegmentRef::rows).sum();
            long tombstones = shard.segments().stream().mapToLong(SegmentRef::tombstones).sum();
            return new ShardView(shard.shard(), shard.segments().size(), rows, tombstones, shard.version());
        }
    }

    static CollectionView of(CollectionRecord c, List<ShardRecord> shards) {
        return new CollectionView(c.name(), c.spec(), c.version(), c.documentCount(), c.homeRegion(),
                c.createdAt(), c.updatedAt(), c.lastCommitAt(),
                shards == null ? null : shards.stream().map(ShardView::of).toList());
    }
}
