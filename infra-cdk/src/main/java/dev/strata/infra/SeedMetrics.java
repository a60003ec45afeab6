package dev.strata.infra;

import java.util.Map;
import dev.strata.metrics.MetricNames;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.Metric;

/**
 * The four seed metrics as CloudWatch sees them. The shard service's Prometheus series reach CloudWatch through
 * the collector sidecar of {@link ShardService} (Prometheus scrape → EMF, namespace {@link #NAMESPACE}, dimension
 * {@link #SERVICE_DIMENSION}); the ingest Lambda writes its EMF records in the same namespace, per shard.
 */
public final class SeedMetrics {
    public static final String NAMESPACE = MetricNames.CLOUDWATCH_NAMESPACE;
    public static final String SERVICE_DIMENSION = "Service";
    public static final String SHARD_SERVICE = "strata-shard";
    /** The dimension of the ingest Lambda's EMF records (IngestTelemetry). */
    public static final String INGEST_SHARD_DIMENSION = "shard";
    /** Prometheus appends {@code _total} to counters; that is the name that is scraped. */
    public static final String SEARCH_QPS_TOTAL = MetricNames.SEARCH_QPS + "_total";

    /** Seed thresholds (DESIGN §9). */
    public static final double SEARCH_P95_SECONDS = 0.030;
    public static final double REPLICATION_LAG_SECONDS = 1.0;
    public static final double CACHE_DISK_USED_RATIO = 0.80;

    private static final Duration PERIOD = Duration.minutes(1);

    private SeedMetrics() {}

    /** Quantile label values the shard service publishes for the latency summary. */
    public static final String P50 = "0.5";
    public static final String P95 = "0.95";
    public static final String P99 = "0.99";
    public static final String QUANTILE_DIMENSION = "quantile";

    /**
     * One quantile of the search latency as each shard task computes it over its recent window, in seconds;
     * {@code statistic} aggregates over tasks (Maximum = the worst task).
     */
    public static Metric searchLatency(String quantile, String statistic) {
        return Metric.Builder.create()
                .namespace(NAMESPACE)
                .metricName(MetricNames.SEARCH_LATENCY)
                .dimensionsMap(Map.of(SERVICE_DIMENSION, SHARD_SERVICE, QUANTILE_DIMENSION, quantile))
                .statistic(statistic)
                .period(PERIOD)
                .build();
    }

    public static Metric searchCount() {
        return shard(SEARCH_QPS_TOTAL, "Sum");
    }

    public static Metric replicationLag() {
        return shard(MetricNames.REPLICATION_LAG, "Maximum");
    }

    public static Metric cacheDiskUsed() {
        return shard(MetricNames.DISK_USED_RATIO, "Maximum");
    }

    /**
     * Index build time of every shard the ingest Lambda built a segment for. Its EMF records carry the dimension
     * {@code shard} (one value per shard), so the dashboard finds them with a search expression.
     */
    public static IMetric indexBuildDuration(String statistic) {
        return MathExpression.Builder.create()
                .expression("SEARCH('{" + NAMESPACE + "," + INGEST_SHARD_DIMENSION + "} MetricName=\""
                        + MetricNames.INDEX_BUILD_DURATION + "\"', '" + statistic + "', 60)")
                .label(statistic)
                .period(PERIOD)
                .build();
    }

    private static Metric shard(String name, String statistic) {
        return metric(name, SHARD_SERVICE, statistic);
    }

    private static Metric metric(String name, String service, String statistic) {
        return Metric.Builder.create()
                .namespace(NAMESPACE)
                .metricName(name)
                .dimensionsMap(Map.of(SERVICE_DIMENSION, service))
                .statistic(statistic)
                .period(PERIOD)
                .build();
    }
}
