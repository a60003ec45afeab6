package dev.strata.router.telemetry;

import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.core.annotation.Nullable;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.contrib.awsxray.AwsXrayIdGenerator;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SdkTracerProviderBuilder;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import jakarta.inject.Singleton;

/**
 * OpenTelemetry tracing with X-Ray trace ids ({@link AwsXrayIdGenerator}) and the X-Ray header ({@link XrayTraceHeader}), so the
 * {@code X-Amzn-Trace-Id} of API Gateway is the parent of the router's spans and is carried to the shard services.
 * Spans go to a {@link SpanExporter} bean when one exists (the ADOT collector's OTLP exporter in AWS, an in-memory
 * exporter in tests); {@code strata.tracing.batch=false} exports each span synchronously.
 */
@Factory
public final class TracingFactory {

    @Singleton
    @Bean(preDestroy = "close")
    SdkTracerProvider tracerProvider(@Nullable SpanExporter exporter,
                                     @io.micronaut.context.annotation.Value("${strata.tracing.batch:true}") boolean batch) {
        SdkTracerProviderBuilder builder = SdkTracerProvider.builder().setIdGenerator(AwsXrayIdGenerator.getInstance());
        if (exporter != null) {
            builder.addSpanProcessor(batch ? BatchSpanProcessor.builder(exporter).build()
                    : SimpleSpanProcessor.create(exporter));
        }
        return builder.build();
    }

    @Singleton
    Tracer tracer(SdkTracerProvider provider) {
        return provider.get("dev.strata.router");
    }

    @Singleton
    TextMapPropagator propagator() {
        return XrayTraceHeader.getInstance();
    }
}
