package dev.strata.metrics;

/** Metric names shared by the shard service (Prometheus), the Lambdas (CloudWatch EMF) and the CDK alarms. */
public final class MetricNames {
    /** Histogram, seconds; tags {@code shard}, {@code operation}. */
    public static final String SEARCH_LATENCY = "vector_search_latency_seconds";
    /** Counter; tag {@code shard}. Prometheus exposes it as {@code search_qps_total}. */
    public static final String SEARCH_QPS = "search_qps";
    /** Gauge, seconds; tag {@code shard}. */
    public static final String REPLICATION_LAG = "replication_lag_seconds";
    /** Histogram/timer, seconds; tag {@code shard}. */
    public static final String INDEX_BUILD_DURATION = "index_build_duration_seconds";
    /** Gauge, bytes in the segment cache. */
    public static final String CACHE_BYTES = "segment_cache_bytes";
    /** Counter; tag {@code result} = hit | miss. */
    public static final String CACHE_REQUESTS = "segment_cache_requests";
    /** Gauge 0..1 of the cache disk in use. */
    public static final String DISK_USED_RATIO = "segment_cache_disk_used_ratio";
    /** Gauge 0..1; tag {@code collection}. */
    public static final String RECALL_ESTIMATE = "search_recall_estimate";
    /** Counter; tag {@code collection}: served searches re-run exactly to estimate {@link #RECALL_ESTIMATE}. */
    public static final String RECALL_SAMPLES = "search_recall_samples";
    /** Counter; sampled searches not re-run because the sampler's queue was full or its rate bound reached. */
    public static final String RECALL_SAMPLES_DROPPED = "search_recall_samples_dropped";
    /** Counter; segment files read from the home region's bucket because this region's copy was missing. */
    public static final String HOME_FALLBACK = "segment_home_fallback";
    /** Counter; segments refused because a checksum or format check failed. */
    public static final String CORRUPT_SEGMENTS = "segment_corrupt";
    /** CloudWatch namespace of the Lambdas' EMF metrics. */
    public static final String CLOUDWATCH_NAMESPACE = "Strata";

    private MetricNames() {}
}
