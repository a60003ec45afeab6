package dev.strata.router.telemetry;

import dev.strata.metrics.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Prometheus figures of a router run as a local server, scraped at {@code GET /metrics}. Not used on Lambda
 * (Micrometer is not in the Lambda jar). Thread-safe.
 */
@Singleton
@Requires(notEnv = "lambda")
@Requires(classes = PrometheusMeterRegistry.class)
public final class MicrometerRouterMetrics implements RouterMetrics {

    /** Shards answered by another region ({@code router_region_fallback_total} in the exposition). */
    static final String REGION_FALLBACK = "router_region_fallback";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    /** One collection's search meters, looked up once (building and registering them per search was costly). */
    private record SearchMeters(Timer latency, Counter qps, Counter partial, Counter hedged, Counter cacheHits,
                                DistributionSummary lag) {}

    private final java.util.concurrent.ConcurrentHashMap<String, SearchMeters> searchMeters =
            new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public void search(String collection, long tookNanos, int shards, int hedges, boolean partial, boolean cacheHit,
                       long lagMs) {
        SearchMeters m = searchMeters.computeIfAbsent(collection, this::searchMeters);
        m.latency().record(tookNanos, TimeUnit.NANOSECONDS);
        m.qps().increment();
        if (partial) {
            m.partial().increment();
        }
        if (hedges > 0) {
            m.hedged().increment(hedges);
        }
        if (cacheHit) {
            m.cacheHits().increment();
        }
        m.lag().record(lagMs / 1000.0);
    }

    private SearchMeters searchMeters(String collection) {
        return new SearchMeters(
                Timer.builder("router_search_latency")
                        .tag("collection", collection)
                        .publishPercentiles(0.5, 0.95, 0.99)
                        .serviceLevelObjectives(Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(30))
                        .register(registry),
                Counter.builder(MetricNames.SEARCH_QPS).tag("collection", collection).register(registry),
                Counter.builder("router_partial_answers").tag("collection", collection).register(registry),
                Counter.builder("router_hedged_requests").tag("collection", collection).register(registry),
                Counter.builder("router_cache_hits").tag("collection", collection).register(registry),
                DistributionSummary.builder("router_answer_lag_seconds").tag("collection", collection)
                        .register(registry));
    }

    @Override
    public void regionFallback(String collection, String region, int shards) {
        Counter.builder(REGION_FALLBACK).tag("collection", collection).tag("region", region).register(registry)
                .increment(shards);
    }

    /** The Prometheus text exposition. */
    public String scrape() {
        return registry.scrape();
    }
}
