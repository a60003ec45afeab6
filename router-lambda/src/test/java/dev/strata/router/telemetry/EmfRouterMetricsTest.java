package dev.strata.router.telemetry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** One CloudWatch Embedded Metric Format line per search, as CloudWatch expects it. */
class EmfRouterMetricsTest {

    @Test
    void aSearchWritesOneEmfLineWithItsFigures() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new EmfRouterMetrics(mapper, new PrintStream(out, true, StandardCharsets.UTF_8))
                .search("acme/docs", 4_500_000, 4, 1, true, false, 250);
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text.lines()).hasSize(1);
        JsonNode line = mapper.readTree(text);
        JsonNode directive = line.at("/_aws/CloudWatchMetrics/0");
        assertThat(directive.get("Namespace").asText()).isEqualTo("Strata");
        assertThat(directive.at("/Dimensions/0/0").asText()).isEqualTo("collection");
        assertThat(directive.get("Metrics").findValuesAsText("Name")).contains("router_search_latency_ms",
                "router_partial_answers", "router_hedged_requests", "replication_lag_seconds");
        assertThat(line.get("collection").asText()).isEqualTo("acme/docs");
        assertThat(line.get("router_search_latency_ms").asDouble()).isEqualTo(4.5);
        assertThat(line.get("router_partial_answers").asInt()).isEqualTo(1);
        assertThat(line.get("replication_lag_seconds").asDouble()).isEqualTo(0.25);
        assertThat(line.at("/_aws/Timestamp").asLong()).isPositive();
    }

    @Test
    void aCrossRegionFallbackWritesOneEmfLineByRegion() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new EmfRouterMetrics(mapper, new PrintStream(out, true, StandardCharsets.UTF_8))
                .regionFallback("acme/docs", "eu-west-1", 3);
        JsonNode line = mapper.readTree(out.toString(StandardCharsets.UTF_8));
        JsonNode directive = line.at("/_aws/CloudWatchMetrics/0");
        assertThat(directive.at("/Dimensions/0/0").asText()).isEqualTo("region");
        assertThat(directive.get("Metrics").findValuesAsText("Name")).containsExactly("router_region_fallback");
        assertThat(line.get("region").asText()).isEqualTo("eu-west-1");
        assertThat(line.get("router_region_fallback").asInt()).isEqualTo(3);
    }
}
