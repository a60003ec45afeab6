package dev.strata.shard;

import dev.strata.api.CollectionSpec;
import dev.strata.api.Sharding;
import dev.strata.catalog.CollectionRecord;

import java.util.List;

/**
 * Where a collection's documents go and which shards a query visits: the one routing rule shared by ingest
 * (partitioning a batch), the router (query planning) and tests.
 *
 * <p>Invariants: {@link #shardOf} is a pure function of the id, the vector and the collection's stored state
 * (shard count and centroids), so an upsert always lands in the shard holding the row it replaces — for
 * {@code hash} the id alone decides; for {@code centroid} and {@code hybrid} the vector also does, so callers
 * that upsert a moved vector must delete the id from every shard ({@link #shardsForDelete}).
 * {@link #shardsFor} returns distinct shards, nearest first, never empty.
 *
 * <p>Implementations are immutable and thread-safe.
 */
public interface ShardingFunction {

    /** The shard in {@code [0, shardCount())} a document goes to. */
    int shardOf(String id, float[] vector);

    /**
     * The shards a query visits, most promising first: every shard for {@code hash}; the {@code nprobe} nearest
     * shards for {@code centroid}; every shard of the {@code nprobe} nearest groups for {@code hybrid}.
     * {@code nprobe} is clamped to {@code [1, number of centroids]}.
     */
    int[] shardsFor(float[] query, int nprobe);

    /** Number of shards of the collection. */
    int shardCount();

    /** The scheme this function implements. */
    Sharding kind();

    /**
     * Shards that may hold an older row of this id: the id's shard for {@code hash}; every shard for
     * {@code centroid}, and the id's shard in every group for {@code hybrid}, since the old vector may have
     * routed elsewhere.
     */
    int[] shardsForDelete(String id);

    /** Builds the function of a catalog collection from its spec and stored centroids. */
    static ShardingFunction of(CollectionRecord collection) {
        return of(collection.spec(), collection.centroids());
    }

    /** Builds the function of a collection; {@code centroids} must hold {@link #centroidCount} vectors. */
    static ShardingFunction of(CollectionSpec spec, List<float[]> centroids) {
        CollectionSpec s = spec.withDefaults();
        List<float[]> c = centroids == null ? List.of() : centroids;
        return switch (s.sharding()) {
            case HASH -> {
                if (!c.isEmpty()) {
                    throw new IllegalArgumentException("hash sharding takes no centroids; got " + c.size());
                }
                yield new HashSharding(s.shards());
            }
            case CENTROID -> new CentroidSharding(s.shards(), Centroids.of(c, s, centroidCount(s)));
            case HYBRID -> new HybridSharding(s.shards(), Centroids.of(c, s, centroidCount(s)));
        };
    }

    /**
     * How many centroids the collection needs ({@link KMeans#train} with this {@code k}): 0 for {@code hash},
     * one per shard for {@code centroid}, one per group ({@link HybridSharding#groupCount}) for {@code hybrid}.
     */
    static int centroidCount(CollectionSpec spec) {
        CollectionSpec s = spec.withDefaults();
        return switch (s.sharding()) {
            case HASH -> 0;
            case CENTROID -> s.shards();
            case HYBRID -> HybridSharding.groupCount(s.shards());
        };
    }
}
