package dev.strata.router.telemetry;

import dev.strata.telemetry.TracingOptions;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * The router's tracing ({@code strata.tracing.*}; env {@code STRATA_TRACING_EXPORTER},
 * {@code STRATA_TRACING_OTLP_ENDPOINT}), the same settings as the shard service's plus what Lambda needs.
 *
 * @param exporter        {@code none} or {@code otlp} (see {@link TracingOptions})
 * @param otlpEndpoint    OTLP/HTTP traces URL; null = {@code http://localhost:4318/v1/traces} (the ADOT collector
 *                        extension of the Lambda layer)
 * @param serviceName     {@code service.name} of the spans
 * @param batch           batch spans (default) or export each span as it ends (tests)
 * @param flushTimeout    on Lambda, how long the end of each request waits for its spans to be exported: after the
 *                        response the execution environment may be frozen, and a span still queued then is late or lost
 * @param functionName    {@code faas.name} (from {@code AWS_LAMBDA_FUNCTION_NAME}); blank off Lambda
 * @param functionVersion {@code faas.version} (from {@code AWS_LAMBDA_FUNCTION_VERSION})
 * @param region          {@code cloud.region} (from {@code AWS_REGION})
 */
@ConfigurationProperties("strata.tracing")
public record TracingConfig(
        @Bindable(defaultValue = "none") String exporter,
        @Nullable String otlpEndpoint,
        @Bindable(defaultValue = "strata-router") String serviceName,
        @Bindable(defaultValue = "true") boolean batch,
        @Bindable(defaultValue = "200ms") Duration flushTimeout,
        @Nullable String functionName,
        @Nullable String functionVersion,
        @Nullable String region) {

    public TracingConfig {
        if (flushTimeout.isNegative()) {
            throw new IllegalArgumentException("strata.tracing.flush-timeout is " + flushTimeout + "; must be >= 0");
        }
    }

    /** The settings shared with the shard service; validates the exporter and the endpoint. */
    public TracingOptions options() {
        return new TracingOptions(exporter, otlpEndpoint, serviceName);
    }
}
