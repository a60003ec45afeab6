package dev.strata.router.telemetry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.metrics.MetricNames;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes one CloudWatch Embedded Metric Format line per search to standard output, where the Lambda runtime ships
 * it to CloudWatch Logs and CloudWatch extracts the metrics (namespace {@code Strata}, dimension
 * {@code collection}). Used whenever the Micrometer implementation is not. Thread-safe.
 */
@Singleton
@Requires(missingBeans = MicrometerRouterMetrics.class)
public final class EmfRouterMetrics implements RouterMetrics {

    static final String SEARCH_LATENCY_MS = "router_search_latency_ms";
    static final String REGION_FALLBACK = "router_region_fallback";

    private final ObjectMapper mapper;
    private final PrintStream out;

    public EmfRouterMetrics(ObjectMapper mapper) {
        this(mapper, System.out);
    }

    EmfRouterMetrics(ObjectMapper mapper, PrintStream out) {
        this.mapper = mapper;
        this.out = out;
    }

    @Override
    public void search(String collection, long tookNanos, int shards, int hedges, boolean partial, boolean cacheHit,
                       long lagMs) {
        out.println(line(collection, tookNanos, shards, hedges, partial, cacheHit, lagMs, System.currentTimeMillis()));
    }

    String line(String collection, long tookNanos, int shards, int hedges, boolean partial, boolean cacheHit,
                long lagMs, long timestamp) {
        Map<String, Object> metricsDirective = Map.of(
                "Namespace", MetricNames.CLOUDWATCH_NAMESPACE,
                "Dimensions", List.of(List.of("collection")),
                "Metrics", List.of(
                        Map.of("Name", SEARCH_LATENCY_MS, "Unit", "Milliseconds"),
                        Map.of("Name", MetricNames.SEARCH_QPS, "Unit", "Count"),
                        Map.of("Name", "router_partial_answers", "Unit", "Count"),
                        Map.of("Name", "router_hedged_requests", "Unit", "Count"),
                        Map.of("Name", "router_cache_hits", "Unit", "Count"),
                        Map.of("Name", MetricNames.REPLICATION_LAG, "Unit", "Seconds")));
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("_aws", Map.of("Timestamp", timestamp, "CloudWatchMetrics", List.of(metricsDirective)));
        line.put("collection", collection);
        line.put(SEARCH_LATENCY_MS, tookNanos / 1e6);
        line.put(MetricNames.SEARCH_QPS, 1);
        line.put("router_partial_answers", partial ? 1 : 0);
        line.put("router_hedged_requests", hedges);
        line.put("router_cache_hits", cacheHit ? 1 : 0);
        line.put(MetricNames.REPLICATION_LAG, lagMs / 1000.0);
        line.put("shards", shards);
        try {
            return mapper.writeValueAsString(line);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("EMF line cannot be written", e);
        }
    }

    @Override
    public void regionFallback(String collection, String region, int shards) {
        out.println(fallbackLine(collection, region, shards, System.currentTimeMillis()));
    }

    /** One EMF line: {@code router_region_fallback} (shards answered by {@code region}), dimension {@code region}. */
    String fallbackLine(String collection, String region, int shards, long timestamp) {
        Map<String, Object> metricsDirective = Map.of(
                "Namespace", MetricNames.CLOUDWATCH_NAMESPACE,
                "Dimensions", List.of(List.of("region")),
                "Metrics", List.of(Map.of("Name", REGION_FALLBACK, "Unit", "Count")));
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("_aws", Map.of("Timestamp", timestamp, "CloudWatchMetrics", List.of(metricsDirective)));
        line.put("region", region);
        line.put("collection", collection);
        line.put(REGION_FALLBACK, shards);
        try {
            return mapper.writeValueAsString(line);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("EMF line cannot be written", e);
        }
    }
}
