package dev.strata.shard.service;

import dev.strata.telemetry.StrataTracing;
import dev.strata.telemetry.TracingOptions;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.contrib.awsxray.propagator.AwsXrayPropagator;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

/**
 * OpenTelemetry for this node ({@link StrataTracing}: X-Ray trace ids, OTLP export), and a propagator that reads both
 * {@code X-Amzn-Trace-Id} and W3C {@code traceparent}, so the router's trace continues here. Spans are exported
 * over OTLP when {@code strata.tracing.exporter=otlp}; with {@code none} they are made (ids reach the logs) but
 * not sent. Not registered globally: several nodes may share one JVM. Thread-safe.
 */
@Singleton
final class Tracing {

    private final SdkTracerProvider provider;
    private final Tracer tracer;
    private final TextMapPropagator propagator = TextMapPropagator.composite(
            W3CTraceContextPropagator.getInstance(), AwsXrayPropagator.getInstance());

    Tracing(TracingSettings settings, ShardNodeRuntime node) {
        TracingOptions options = new TracingOptions(settings.exporter(), settings.otlpEndpoint(),
                settings.serviceName());
        this.provider = StrataTracing.provider(options, StrataTracing.resource(settings.serviceName(),
                Attributes.of(StrataTracing.SERVICE_INSTANCE_ID, node.nodeId())));
        this.tracer = provider.get("dev.strata.shard.service");
    }

    Tracer tracer() {
        return tracer;
    }

    TextMapPropagator propagator() {
        return propagator;
    }

    @PreDestroy
    void close() {
        provider.close();
    }
}
