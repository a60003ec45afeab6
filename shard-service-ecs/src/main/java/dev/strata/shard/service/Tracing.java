package dev.strata.shard.service;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.contrib.awsxray.AwsXrayIdGenerator;
import io.opentelemetry.contrib.awsxray.propagator.AwsXrayPropagator;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SdkTracerProviderBuilder;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

/**
 * OpenTelemetry for this node: X-Ray trace ids ({@link AwsXrayIdGenerator}), and a propagator that reads both
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
        SdkTracerProviderBuilder builder = SdkTracerProvider.builder()
                .setIdGenerator(AwsXrayIdGenerator.getInstance())
                .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(
                        AttributeKey.stringKey("service.name"), settings.serviceName(),
                        AttributeKey.stringKey("service.instance.id"), node.nodeId()))));
        if ("otlp".equals(settings.exporter())) {
            var exporter = OtlpHttpSpanExporter.builder();
            if (settings.otlpEndpoint() != null) {
                exporter.setEndpoint(settings.otlpEndpoint());
            }
            builder.addSpanProcessor(BatchSpanProcessor.builder(exporter.build()).build());
        }
        this.provider = builder.build();
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
