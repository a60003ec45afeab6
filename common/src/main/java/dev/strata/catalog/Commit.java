package dev.strata.catalog;

import java.util.List;
import java.util.Map;

/**
 * What one ingest (or compaction) wants to commit atomically.
 *
 * @param tenant          owning tenant
 * @param collection      collection name
 * @param expectedVersion the collection version the segments were built against; the commit fails with
 *                        {@link dev.strata.api.StrataException.Conflict} if another commit came first
 *                        (the caller re-reads and retries: segments are immutable, so this is cheap)
 * @param added           per shard, segments to append
 * @param removed         per shard, segment ids to remove (compaction swaps; empty for ingest)
 * @param batch           the batch item to write as applied (null for compaction)
 * @param documentDelta   change of the live document count
 * @param centroids       centroids to store if the collection has none yet (first batch of centroid sharding), else null
 */
public record Commit(
        String tenant,
        String collection,
        long expectedVersion,
        Map<Integer, List<SegmentRef>> added,
        Map<Integer, List<String>> removed,
        BatchRecord batch,
        long documentDelta,
        List<float[]> centroids) {}
