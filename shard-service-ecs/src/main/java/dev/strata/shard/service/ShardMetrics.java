package dev.strata.shard.service;

import dev.strata.metrics.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * The shard service's Prometheus meters (names in {@link MetricNames}). Meters of a shard are created once and
 * cached, so the search path does no registry look-up. Thread-safe.
 */
final class ShardMetrics {

    private final MeterRegistry registry;
    private final Map<String, ShardMeters> byShard = new ConcurrentHashMap<>();
    private final Counter corruptSegments;
    private final Counter cacheHits;
    private final Counter cacheMisses;
    private final Counter homeFallbacks;

    /** Meters of one shard. */
    record ShardMeters(Timer searchLatency, Counter searches, Timer indexBuild) {}

    ShardMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.corruptSegments = Counter.builder(MetricNames.CORRUPT_SEGMENTS)
                .description("Segments refused because a checksum or format check failed")
                .register(registry);
        this.cacheHits = Counter.builder(MetricNames.CACHE_REQUESTS).tag("result", "hit")
                .description("Segment loads served from the local cache").register(registry);
        this.cacheMisses = Counter.builder(MetricNames.CACHE_REQUESTS).tag("result", "miss")
                .description("Segment loads that downloaded from the store").register(registry);
        this.homeFallbacks = Counter.builder(MetricNames.HOME_FALLBACK)
                .description("Segment files read from the home region's bucket (not replicated here yet)")
                .register(registry);
    }

    ShardMeters shard(ShardKey key) {
        return byShard.computeIfAbsent(key.label(), label -> new ShardMeters(
                Timer.builder(baseName(MetricNames.SEARCH_LATENCY))
                        .description("Search latency inside the shard service")
                        .tags("shard", label, "operation", "search")
                        .publishPercentileHistogram()
                        // CloudWatch cannot compute percentiles from Prometheus buckets; the p95 alarm and
                        // the latency scaling policy read these client-side quantiles instead
                        .publishPercentiles(0.5, 0.95, 0.99)
                        .minimumExpectedValue(Duration.ofNanos(100_000))
                        .maximumExpectedValue(Duration.ofSeconds(2))
                        .register(registry),
                Counter.builder(MetricNames.SEARCH_QPS).tag("shard", label)
                        .description("Searches served").register(registry),
                Timer.builder(baseName(MetricNames.INDEX_BUILD_DURATION))
                        .description("Time to load a segment: download or cache hit, verify, map and warm")
                        .tag("shard", label)
                        .publishPercentileHistogram()
                        .register(registry)));
    }

    /** Registers the replication lag gauge of a replica (removed with {@link #removeShard}). */
    <T> void lagGauge(ShardKey key, T replica, ToDoubleFunction<T> lagSeconds) {
        Gauge.builder(MetricNames.REPLICATION_LAG, replica, lagSeconds)
                .description("Seconds this replica is behind the committed version (0 when caught up)")
                .tag("shard", key.label())
                .strongReference(true)
                .register(registry);
    }

    /** Removes the gauges of a shard that moved away (counters and timers stay: they are cumulative). */
    void removeShard(ShardKey key) {
        var gauge = registry.find(MetricNames.REPLICATION_LAG).tag("shard", key.label()).gauge();
        if (gauge != null) {
            registry.remove(gauge);
        }
    }

    <T> void cacheGauges(T cache, ToDoubleFunction<T> bytes, ToDoubleFunction<T> diskUsedRatio) {
        Gauge.builder(MetricNames.CACHE_BYTES, cache, bytes).description("Bytes of segment files in the local cache")
                .baseUnit("bytes").strongReference(true).register(registry);
        Gauge.builder(MetricNames.DISK_USED_RATIO, cache, diskUsedRatio)
                .description("Fraction of the cache file system in use").strongReference(true).register(registry);
    }

    void corruptSegment() {
        corruptSegments.increment();
    }

    void homeFallback(int files) {
        homeFallbacks.increment(files);
    }

    /** The registry, for meters owned elsewhere (the recall estimates). */
    MeterRegistry registry() {
        return registry;
    }

    void cacheHit() {
        cacheHits.increment();
    }

    void cacheMiss() {
        cacheMisses.increment();
    }

    /**
     * Micrometer's Prometheus convention appends the base unit to timers; the shared names already end in
     * {@code _seconds}, so the unit is stripped here to export exactly {@code vector_search_latency_seconds}.
     */
    private static String baseName(String name) {
        return name.endsWith("_seconds") ? name.substring(0, name.length() - "_seconds".length()) : name;
    }
}
