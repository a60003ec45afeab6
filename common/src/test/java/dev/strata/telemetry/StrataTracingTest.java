package dev.strata.telemetry;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StrataTracingTest {

    @Test
    void anUnknownExporterIsRefusedNamingTheSettingAndTheChoices() {
        assertThatThrownBy(() -> new TracingOptions("xray", null, "strata-router"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("strata.tracing.exporter is 'xray'; one of none, otlp");
    }

    @Test
    void theOtlpEndpointMustBeAnHttpUrl() {
        assertThatThrownBy(() -> new TracingOptions("otlp", "localhost:4318", "strata-router"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("strata.tracing.otlp-endpoint is 'localhost:4318'")
                .hasMessageContaining("http://localhost:4318/v1/traces");
    }

    @Test
    void aBlankEndpointMeansTheExportersDefault() {
        assertThat(new TracingOptions("otlp", " ", "strata-router").otlpEndpoint()).isNull();
        assertThat(new TracingOptions("otlp", null, "strata-router").exports()).isTrue();
        assertThat(new TracingOptions("none", null, "strata-router").exports()).isFalse();
    }

    @Test
    void aBlankServiceNameIsRefused() {
        assertThatThrownBy(() -> new TracingOptions("none", null, ""))
                .hasMessageContaining("strata.tracing.service-name is blank");
    }

    @Test
    void lambdaAttributesNameTheFunctionOnlyOnLambda() {
        Attributes onLambda = StrataTracing.lambda("strata-router", "12", "eu-west-1");
        assertThat(onLambda.get(StrataTracing.CLOUD_PROVIDER)).isEqualTo("aws");
        assertThat(onLambda.get(StrataTracing.CLOUD_PLATFORM)).isEqualTo("aws_lambda");
        assertThat(onLambda.get(StrataTracing.FAAS_NAME)).isEqualTo("strata-router");
        assertThat(onLambda.get(StrataTracing.FAAS_VERSION)).isEqualTo("12");
        assertThat(onLambda.get(StrataTracing.CLOUD_REGION)).isEqualTo("eu-west-1");
        assertThat(StrataTracing.lambda("", "12", "eu-west-1").isEmpty()).isTrue();
        assertThat(StrataTracing.lambda(null, null, null).isEmpty()).isTrue();
    }

    @Test
    void theResourceCarriesTheServiceNameAndTheExtraAttributes() {
        Resource resource = StrataTracing.resource("strata-shard-service",
                Attributes.of(StrataTracing.SERVICE_INSTANCE_ID, "node-1"));
        assertThat(resource.getAttribute(StrataTracing.SERVICE_NAME)).isEqualTo("strata-shard-service");
        assertThat(resource.getAttribute(StrataTracing.SERVICE_INSTANCE_ID)).isEqualTo("node-1");
    }

    @Test
    void traceIdsAreXrayIdsStartingWithTheEpochSecond() {
        // GIVEN a provider that exports nothing
        try (SdkTracerProvider provider = StrataTracing.provider(new TracingOptions("none", null, "t"),
                StrataTracing.resource("t", Attributes.empty()))) {
            // WHEN a span starts
            Span span = provider.get("test").spanBuilder("s").startSpan();
            span.end();
            // THEN its trace id begins with the current epoch second in hex, as X-Ray requires
            long seconds = Long.parseLong(span.getSpanContext().getTraceId().substring(0, 8), 16);
            assertThat(seconds).isBetween(Instant.now().getEpochSecond() - 60, Instant.now().getEpochSecond() + 1);
        }
    }
}
