package dev.strata.router.telemetry;

/**
 * The router's figures: CloudWatch Embedded Metric Format lines on Lambda ({@link EmfRouterMetrics}), Prometheus
 * through Micrometer when run as a local server ({@link MicrometerRouterMetrics}). Names are those of
 * {@link dev.strata.metrics.MetricNames}. Implementations are thread-safe.
 */
public interface RouterMetrics {

    /**
     * One search answered.
     *
     * @param collection {@code tenant/collection}
     * @param tookNanos  time in the router
     * @param shards     shards called
     * @param hedges     hedged requests sent
     * @param partial    some shard gave no answer
     * @param cacheHit   answered from the versioned result cache
     * @param lagMs      staleness of the answer
     */
    void search(String collection, long tookNanos, int shards, int hedges, boolean partial, boolean cacheHit,
                long lagMs);

    /**
     * A search had {@code shards} of its shards answered by another region's replicas (cross-region fallback):
     * {@code router_region_fallback} by {@code region}.
     *
     * @param collection {@code tenant/collection}
     * @param region     the region that answered
     * @param shards     shards it answered
     */
    void regionFallback(String collection, String region, int shards);
}
