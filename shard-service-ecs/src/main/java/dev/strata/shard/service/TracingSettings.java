package dev.strata.shard.service;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * OpenTelemetry tracing ({@code strata.tracing.*}). Trace ids are X-Ray ids; {@code X-Amzn-Trace-Id} and
 * {@code traceparent} continue a caller's trace.
 *
 * @param exporter     {@code none} (spans are made, ids are logged, nothing is sent) or {@code otlp}
 *                     (to the ADOT collector / CloudWatch agent beside the task)
 * @param otlpEndpoint OTLP/HTTP traces endpoint, e.g. {@code http://localhost:4318/v1/traces}
 * @param serviceName  {@code service.name} of the spans
 */
@ConfigurationProperties("strata.tracing")
public record TracingSettings(
        @Bindable(defaultValue = "none") String exporter,
        @Nullable String otlpEndpoint,
        @Bindable(defaultValue = "strata-shard-service") String serviceName) {

    public TracingSettings {
        if (!"none".equals(exporter) && !"otlp".equals(exporter)) {
            throw new IllegalArgumentException("strata.tracing.exporter is '" + exporter + "'; one of none, otlp");
        }
    }
}
