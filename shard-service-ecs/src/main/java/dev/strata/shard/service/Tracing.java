package dev.strata.shard.service;

import dev.strata.telemetry.StrataTracing;
import dev.strata.telemetry.TracingOptions;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
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

    /**
     * Starts the server span of one search request, continuing the trace the caller's headers carry (read with
     * {@code getter}); with no trace header a new trace starts.
     */
    <C> Span startSearchSpan(C headers, TextMapGetter<C> getter, String method, String path) {
        Context parent = propagator.extract(Context.root(), headers, getter);
        return tracer.spanBuilder("shard.search")
                .setParent(parent)
                .setSpanKind(SpanKind.SERVER)
                .setAttribute("http.request.method", method)
                .setAttribute("url.path", path)
                .startSpan();
    }

    /** Records the response status on the span (5xx marks it an error) and ends it. */
    static void endSearchSpan(Span span, int status) {
        span.setAttribute("http.response.status_code", status);
        if (status >= 500) {
            span.setStatus(StatusCode.ERROR);
        }
        span.end();
    }

    /** The span's trace id in X-Ray form, {@code 1-xxxxxxxx-yyyyyyyyyyyyyyyyyyyyyyyy}, as the logs carry it. */
    static String xrayTraceId(Span span) {
        String traceId = span.getSpanContext().getTraceId();
        return "1-" + traceId.substring(0, 8) + "-" + traceId.substring(8);
    }

    /** The {@code X-Amzn-Trace-Id} response header naming the span: {@code Root=<trace>;Parent=<span>}. */
    static String xrayResponseHeader(Span span) {
        return "Root=" + xrayTraceId(span) + ";Parent=" + span.getSpanContext().getSpanId();
    }

    @PreDestroy
    void close() {
        provider.close();
    }
}
