package dev.strata.router.telemetry;

import dev.strata.telemetry.StrataTracing;
import dev.strata.telemetry.TracingOptions;
import io.micronaut.core.annotation.Nullable;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SdkTracerProviderBuilder;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The router's tracer provider (DESIGN §9): X-Ray ids and a resource with {@code service.name} and, on Lambda,
 * {@code cloud.provider=aws}, {@code faas.name} ({@link StrataTracing}). Spans go over OTLP when
 * {@code strata.tracing.exporter=otlp} (through a {@link ReopeningSpanExporter}, safe across SnapStart), and to a
 * {@link SpanExporter} bean when one is registered (tests). {@link #flush} pushes queued spans out before a Lambda
 * invocation returns. Closed with the application context. Thread-safe.
 */
@Singleton
public final class RouterTracing {

    private static final Logger LOG = LoggerFactory.getLogger(RouterTracing.class);

    private final SdkTracerProvider provider;
    private final ReopeningSpanExporter otlp;

    public RouterTracing(TracingConfig config, @Nullable SpanExporter registered) {
        TracingOptions options = config.options();
        SdkTracerProviderBuilder builder = StrataTracing.builder(StrataTracing.resource(config.serviceName(),
                StrataTracing.lambda(config.functionName(), config.functionVersion(), config.region())));
        this.otlp = options.exports() ? new ReopeningSpanExporter(() -> StrataTracing.otlpExporter(options)) : null;
        if (otlp != null) {
            builder.addSpanProcessor(processor(otlp, config.batch()));
        }
        if (registered != null) {
            builder.addSpanProcessor(processor(registered, config.batch()));
        }
        this.provider = builder.build();
        LOG.info("tracing: exporter {}{}", options.exporter(), options.exports()
                ? " to " + (options.otlpEndpoint() == null ? "the default OTLP endpoint" : options.otlpEndpoint()) : "");
    }

    private static SpanProcessor processor(SpanExporter exporter, boolean batch) {
        return batch ? BatchSpanProcessor.builder(exporter).build() : SimpleSpanProcessor.create(exporter);
    }

    public SdkTracerProvider provider() {
        return provider;
    }

    /**
     * Exports every ended span still queued, waiting at most {@code timeout}; returns whether all were exported in
     * time. A slow or absent collector costs the request at most {@code timeout}, never an error.
     */
    public boolean flush(Duration timeout) {
        CompletableResultCode done = provider.forceFlush().join(timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (!done.isSuccess()) {
            LOG.debug("spans not exported within {} ms", timeout.toMillis());
        }
        return done.isSuccess();
    }

    /**
     * Sends one empty OTLP request (no span reaches X-Ray) so the exporter's classes and the JDK HTTP client are
     * loaded before a SnapStart snapshot: otherwise the first flush after a restore pays for that and may overrun
     * {@code flush-timeout}. Then drops the client ({@link #reopenExporter()}). Returns whether the request succeeded;
     * false (no collector yet, or no OTLP export) is harmless.
     */
    public boolean primeExporter(Duration timeout) {
        if (otlp == null) {
            return false;
        }
        try {
            return otlp.export(List.of()).join(timeout.toNanos(), TimeUnit.NANOSECONDS).isSuccess();
        } finally {
            otlp.reopen();
        }
    }

    /** Drops the OTLP exporter's HTTP client so no connection survives a snapshot (see {@link ReopeningSpanExporter}). */
    public void reopenExporter() {
        if (otlp != null) {
            otlp.reopen();
        }
    }

    @PreDestroy
    public void close() {
        provider.close();
    }
}
