package dev.strata.shard;

import dev.strata.api.Sharding;

/**
 * {@code hybrid} sharding (hash + range): the nearest centroid picks a group of shards, the id's hash picks one
 * shard in the group, so a hot region of the vector space is spread over several shards while a query still
 * visits only the groups near it.
 *
 * <p>The group rule, part of stored state and never to change: {@code groups = max(1, shards / 4)} (integer
 * division), one centroid per group; shard {@code s} belongs to group {@code s % groups}, so group {@code g}
 * holds shards {@code g, g + groups, g + 2·groups, …} (sizes differ by at most one). A document in group
 * {@code g} goes to shard {@code g + groups · jump(xxh64(utf8(id)), size(g))}. A query probes every shard of the
 * {@code nprobe} nearest groups. With fewer than 8 shards there is one group and this is {@code hash} sharding.
 *
 * <p>Immutable and thread-safe.
 */
public final class HybridSharding implements ShardingFunction {

    private final int shards;
    private final int groups;
    private final Centroids centroids;

    HybridSharding(int shards, Centroids centroids) {
        this.shards = shards;
        this.groups = groupCount(shards);
        if (centroids.count() != groups) {
            throw new IllegalArgumentException("hybrid sharding of " + shards + " shards needs " + groups
                    + " centroids (one per group), got " + centroids.count());
        }
        this.centroids = centroids;
    }

    /** Number of groups (and centroids) for a shard count: {@code max(1, shards / 4)}. */
    public static int groupCount(int shards) {
        return Math.max(1, shards / 4);
    }

    /** Number of shards in group {@code g}. */
    int groupSize(int g) {
        return (shards - g + groups - 1) / groups;
    }

    @Override
    public int shardOf(String id, float[] vector) {
        int g = groups == 1 ? 0 : centroids.nearest(vector);
        return shardInGroup(id, g);
    }

    private int shardInGroup(String id, int g) {
        return g + groups * StableHash.jump(StableHash.of(id), groupSize(g));
    }

    @Override
    public int[] shardsFor(float[] query, int nprobe) {
        int[] nearestGroups = groups == 1 ? new int[] {0} : centroids.nearest(query, nprobe);
        int total = 0;
        for (int g : nearestGroups) {
            total += groupSize(g);
        }
        int[] out = new int[total];
        int n = 0;
        for (int g : nearestGroups) {
            for (int s = g; s < shards; s += groups) {
                out[n++] = s;
            }
        }
        return out;
    }

    @Override
    public int[] shardsForDelete(String id) {
        int[] out = new int[groups];
        for (int g = 0; g < groups; g++) {
            out[g] = shardInGroup(id, g);
        }
        return out;
    }

    @Override
    public int shardCount() {
        return shards;
    }

    @Override
    public Sharding kind() {
        return Sharding.HYBRID;
    }
}
