package dev.strata.router.telemetry;

import io.micronaut.context.annotation.Factory;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.propagation.TextMapPropagator;
import jakarta.inject.Singleton;

/**
 * The tracer of the router's spans ({@link RouterTracing}) and the X-Ray header propagator ({@link XrayTraceHeader}),
 * so the {@code X-Amzn-Trace-Id} of API Gateway is the parent of the router's spans and is carried to the shard
 * services.
 */
@Factory
public final class TracingFactory {

    @Singleton
    Tracer tracer(RouterTracing tracing) {
        return tracing.provider().get("dev.strata.router");
    }

    @Singleton
    TextMapPropagator propagator() {
        return XrayTraceHeader.getInstance();
    }
}
