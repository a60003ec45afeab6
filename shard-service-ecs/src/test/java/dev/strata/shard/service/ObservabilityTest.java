package dev.strata.shard.service;

import dev.strata.catalog.Catalog;
import dev.strata.catalog.CollectionRecord;
import dev.strata.catalog.SegmentRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Prometheus at /metrics, liveness and readiness, and the trace carried from the caller. */
class ObservabilityTest {

    private static ShardServiceFixture fixture;
    private static CollectionRecord collection;
    private static URI node;

    @BeforeAll
    static void startNode() throws InterruptedException {
        fixture = ShardServiceFixture.shared();
        Catalog catalog = fixture.newCatalog();
        collection = catalog.createCollection("acme", "obs", ShardServiceFixture.spec(4, 1, 1), "test");
        SegmentRef segment = fixture.writeSegment(fixture.store, collection, 0,
                ShardServiceFixture.documents("o", 50, 4, 3), List.of());
        collection = ShardServiceFixture.commit(catalog, collection, Map.of(0, List.of(segment)));
        ShardNode started = fixture.startNode("obs-1", catalog, fixture.store);
        assertThat(started.awaitReady(Duration.ofSeconds(20))).isTrue();
        node = started.endpoint();
    }

    @AfterAll
    static void stop() {
        fixture.stopNodes();
    }

    @Test
    void metricsEndpointExportsTheSearchCacheAndLagMetricsInPrometheusFormat() {
        // GIVEN a few searches
        for (int i = 0; i < 3; i++) {
            assertThat(fixture.post(node, ShardServiceFixture.searchPath(collection, 0),
                    Map.of("vector", new float[] {1, 0, 0, 0}, "k", 5)).statusCode()).isEqualTo(200);
        }
        // WHEN Prometheus scrapes /metrics
        HttpResponse<String> response = fixture.get(node, "/metrics");
        // THEN the text format carries the histogram by shard and operation, the counters and the gauges
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        String body = response.body();
        assertThat(body).contains("vector_search_latency_seconds_bucket{operation=\"search\",shard=\"acme/obs/0\"");
        assertThat(body).containsPattern("search_qps_total\\{shard=\"acme/obs/0\"} [1-9]\\d*\\.0");
        assertThat(body).contains("replication_lag_seconds{shard=\"acme/obs/0\"} 0.0");
        assertThat(body).contains("index_build_duration_seconds_count{shard=\"acme/obs/0\"} 1");
        assertThat(body).containsPattern("segment_cache_bytes \\d");
        assertThat(body).contains("segment_cache_requests_total{result=\"miss\"} 1.0");
        assertThat(body).containsPattern("segment_cache_disk_used_ratio 0\\.\\d+");
        assertThat(body).contains("segment_corrupt_total 0.0");
    }

    @Test
    void livenessAndReadinessAreUpOnceTheShardsAreLoaded() {
        HttpResponse<String> liveness = fixture.get(node, "/health/liveness");
        HttpResponse<String> readiness = fixture.get(node, "/health/readiness");
        assertThat(liveness.statusCode()).isEqualTo(200);
        assertThat(readiness.statusCode()).as(readiness.body()).isEqualTo(200);
        assertThat(ShardServiceFixture.json(readiness).get("status").asText()).isEqualTo("UP");
        assertThat(fixture.get(node, "/health").statusCode()).isEqualTo(200);
    }

    @Test
    void xrayTraceHeaderContinuesTheCallersTrace() {
        // GIVEN a caller's X-Ray trace header
        String root = "1-5759e988-bd862e3fe1be46a994272793";
        // WHEN it searches
        HttpResponse<String> response = fixture.post(node, ShardServiceFixture.searchPath(collection, 0),
                Map.of("vector", new float[] {1, 0, 0, 0}, "k", 1),
                "X-Amzn-Trace-Id", "Root=" + root + ";Parent=53995c3f42cd8ad8;Sampled=1");
        // THEN the shard's span is in the same trace, with its own span id
        assertThat(response.statusCode()).isEqualTo(200);
        String answered = response.headers().firstValue("X-Amzn-Trace-Id").orElseThrow();
        assertThat(answered).startsWith("Root=" + root + ";Parent=").doesNotContain("53995c3f42cd8ad8");
    }

    @Test
    void w3cTraceparentContinuesTheCallersTrace() {
        String traceparent = "00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-01";
        HttpResponse<String> response = fixture.post(node, ShardServiceFixture.searchPath(collection, 0),
                Map.of("vector", new float[] {1, 0, 0, 0}, "k", 1), "traceparent", traceparent);
        assertThat(response.headers().firstValue("X-Amzn-Trace-Id").orElseThrow())
                .startsWith("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=");
    }

    @Test
    void newTraceGetsAnXrayTraceId() {
        HttpResponse<String> response = fixture.post(node, ShardServiceFixture.searchPath(collection, 0),
                Map.of("vector", new float[] {1, 0, 0, 0}, "k", 1));
        String header = response.headers().firstValue("X-Amzn-Trace-Id").orElseThrow();
        // X-Ray ids start with the epoch seconds of the trace in hex
        long epochSeconds = Long.parseLong(header.substring("Root=1-".length(), "Root=1-".length() + 8), 16);
        assertThat(epochSeconds).isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.data.Offset.offset(600L));
    }

}
