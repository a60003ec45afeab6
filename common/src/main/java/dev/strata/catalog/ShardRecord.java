package dev.strata.catalog;

import java.time.Instant;
import java.util.List;

/**
 * One shard of a collection ({@code SHARD#{tenant}#{name}#{i}}): its committed segments, oldest first.
 *
 * @param tenant       owning tenant
 * @param collection   collection name
 * @param shard        shard number, 0..shards-1
 * @param segments     committed segments ordered by version (newer masks older)
 * @param version      collection version of the last commit that touched this shard (0 = never)
 * @param lastCommitAt time of that commit, or null
 */
public record ShardRecord(
        String tenant,
        String collection,
        int shard,
        List<SegmentRef> segments,
        long version,
        Instant lastCommitAt) {}
