package dev.strata.router;

import dev.strata.router.telemetry.RouterTracing;
import dev.strata.router.telemetry.TracingConfig;
import io.opentelemetry.api.trace.Span;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The router's tracer provider against a loopback OTLP receiver: flushing, and the SnapStart priming request. */
class RouterTracingTest {

    private static TracingConfig otlp(String endpoint) {
        return new TracingConfig("otlp", endpoint, "strata-router", true, Duration.ofMillis(200), "fn", "3", "eu-west-1");
    }

    @Test
    void primingSendsOneEmptyRequestAndNoSpan() throws Exception {
        try (OtlpReceiver receiver = new OtlpReceiver()) {
            RouterTracing tracing = new RouterTracing(otlp(receiver.endpoint()), null);
            // WHEN the exporter is primed before a snapshot
            boolean sent = tracing.primeExporter(Duration.ofSeconds(5));
            // THEN the collector got one request holding no span (nothing reaches X-Ray)
            assertThat(sent).isTrue();
            assertThat(receiver.requests()).isEqualTo(1);
            assertThat(receiver.spans()).isEmpty();
            tracing.close();
        }
    }

    @Test
    void aFlushExportsTheEndedSpansOfABatchingProvider() throws Exception {
        try (OtlpReceiver receiver = new OtlpReceiver()) {
            RouterTracing tracing = new RouterTracing(otlp(receiver.endpoint()), null);
            // GIVEN a span ended into the batch queue (whose timer runs every 5 s)
            Span span = tracing.provider().get("test").spanBuilder("search").startSpan();
            span.end();
            // WHEN the request ends with a flush (after priming, as on a restored SnapStart environment)
            tracing.primeExporter(Duration.ofSeconds(5));
            boolean flushed = tracing.flush(Duration.ofSeconds(5));
            // THEN the span has been received
            assertThat(flushed).isTrue();
            assertThat(receiver.spans()).singleElement().satisfies(s -> {
                assertThat(s.spanId()).isEqualTo(span.getSpanContext().getSpanId());
                assertThat(s.resource()).containsEntry("faas.name", "fn");
            });
            tracing.close();
        }
    }

    @Test
    void noExporterMeansNothingToPrime() {
        RouterTracing tracing = new RouterTracing(new TracingConfig("none", null, "strata-router", true,
                Duration.ofMillis(200), null, null, null), null);
        assertThat(tracing.primeExporter(Duration.ofSeconds(1))).isFalse();
        assertThat(tracing.flush(Duration.ofSeconds(1))).isTrue();
        tracing.close();
    }
}
