package dev.strata.catalog;

import java.time.Instant;

/**
 * A segment a compaction removed from its shard. Its objects stay in the store for a grace period (replicas that
 * have not yet applied the swap may still download it), then the orphan sweeper deletes them.
 *
 * @param segmentId the removed segment
 * @param key       its store key prefix
 * @param retiredAt when the swap was committed
 */
public record RetiredSegment(String segmentId, String key, Instant retiredAt) {}
