package dev.strata.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.strata.shard.HybridSharding;

/**
 * What a collection is: the body of {@code PUT /v1/collections/{c}} and the spec stored in the catalog.
 *
 * @param dimension dimension of every vector, 1..4096
 * @param metric    similarity metric
 * @param shards    number of shards, 1..256
 * @param replicas  replicas per shard and region, 1..5
 * @param sharding  how documents are spread ({@code hash} by default)
 * @param embedding name of the embedding model for {@code text} documents and queries, or null (vectors only)
 * @param index     index parameters (defaults when null)
 * @param nprobe    shards a query visits under {@code centroid} sharding, groups of shards under {@code hybrid};
 *                  0 = half of them, rounded up (ignored under {@code hash}: a query visits every shard)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CollectionSpec(
        int dimension,
        Metric metric,
        int shards,
        int replicas,
        Sharding sharding,
        String embedding,
        IndexParams index,
        int nprobe) {

    /** Returns a copy with defaults filled in: metric cosine, 1 shard, 1 replica, hash sharding, default index. */
    public CollectionSpec withDefaults() {
        int s = shards == 0 ? 1 : shards;
        Sharding kind = sharding == null ? Sharding.HASH : sharding;
        // hybrid probes groups of shards, so its default is half of the groups, not half of the shards
        int probed = kind == Sharding.HYBRID ? HybridSharding.groupCount(s) : s;
        return new CollectionSpec(
                dimension,
                metric == null ? Metric.COSINE : metric,
                s,
                replicas == 0 ? 1 : replicas,
                kind,
                embedding,
                (index == null ? IndexParams.DEFAULTS : index).withDefaults(),
                nprobe == 0 ? (probed + 1) / 2 : nprobe);
    }

    /** Throws {@link StrataException.InvalidRequest} naming the first bad field; call on {@link #withDefaults()}. */
    public CollectionSpec validate() {
        IndexParams.requireRange("dimension", dimension, Limits.MIN_DIMENSION, Limits.MAX_DIMENSION);
        if (metric == null) {
            throw new StrataException.InvalidRequest("metric is required; one of cosine, dot, l2");
        }
        IndexParams.requireRange("shards", shards, 1, Limits.MAX_SHARDS);
        IndexParams.requireRange("replicas", replicas, 1, Limits.MAX_REPLICAS);
        if (sharding == null) {
            throw new StrataException.InvalidRequest("sharding is required; one of hash, centroid, hybrid");
        }
        IndexParams.requireRange("nprobe", nprobe, 1, shards);
        if (embedding != null && embedding.isBlank()) {
            throw new StrataException.InvalidRequest("embedding must be a model name or absent");
        }
        (index == null ? IndexParams.DEFAULTS : index).validate(dimension);
        return this;
    }

    /** Validates a collection name against {@link Limits#COLLECTION_NAME_PATTERN}. */
    public static String validateName(String name) {
        if (name == null || !name.matches(Limits.COLLECTION_NAME_PATTERN)) {
            throw new StrataException.InvalidRequest("collection name '" + name
                    + "' is invalid; use 1 to 64 of a-z, 0-9, '-' and '_', starting with a letter or digit");
        }
        return name;
    }
}
