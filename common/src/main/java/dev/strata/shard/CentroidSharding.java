package dev.strata.shard;

import dev.strata.api.Sharding;

/**
 * {@code centroid} sharding: one centroid per shard (centroid i is shard i). A document goes to the shard of its
 * nearest centroid under the collection's metric (ties to the lower index); a query probes the {@code nprobe}
 * nearest. The id plays no part. Immutable and thread-safe.
 */
public final class CentroidSharding implements ShardingFunction {

    private final int shards;
    private final Centroids centroids;

    CentroidSharding(int shards, Centroids centroids) {
        if (centroids.count() != shards) {
            throw new IllegalArgumentException("centroid sharding needs one centroid per shard: "
                    + shards + " shards, " + centroids.count() + " centroids");
        }
        this.shards = shards;
        this.centroids = centroids;
    }

    @Override
    public int shardOf(String id, float[] vector) {
        return centroids.nearest(vector);
    }

    @Override
    public int[] shardsFor(float[] query, int nprobe) {
        return centroids.nearest(query, nprobe);
    }

    @Override
    public int[] shardsForDelete(String id) {
        int[] all = new int[shards];
        for (int i = 0; i < shards; i++) {
            all[i] = i;
        }
        return all;
    }

    @Override
    public int shardCount() {
        return shards;
    }

    @Override
    public Sharding kind() {
        return Sharding.CENTROID;
    }
}
