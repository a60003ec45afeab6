package dev.strata.shard.service;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import org.slf4j.MDC;

/**
 * Continues the caller's trace for every shard search: extracts {@code X-Amzn-Trace-Id} / {@code traceparent},
 * starts a server span, and puts {@code trace_id} (X-Ray form), {@code tenant}, {@code collection} and
 * {@code shard} into the log context for the request. The span ends with the response and carries its status.
 */
@ServerFilter("/internal/**")
final class TraceFilter {

    static final String SPAN_ATTRIBUTE = "strata.span";

    private static final TextMapGetter<HttpHeaders> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(HttpHeaders carrier) {
            return carrier.names();
        }

        @Override
        public String get(HttpHeaders carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private final Tracing tracing;

    TraceFilter(Tracing tracing) {
        this.tracing = tracing;
    }

    @RequestFilter
    void start(HttpRequest<?> request) {
        Context parent = tracing.propagator().extract(Context.root(), request.getHeaders(), HEADERS);
        Span span = tracing.tracer().spanBuilder("shard.search")
                .setParent(parent)
                .setSpanKind(SpanKind.SERVER)
                .setAttribute("http.request.method", request.getMethod().name())
                .setAttribute("url.path", request.getPath())
                .startSpan();
        request.setAttribute(SPAN_ATTRIBUTE, span);
        String traceId = span.getSpanContext().getTraceId();
        MDC.put("trace_id", "1-" + traceId.substring(0, 8) + "-" + traceId.substring(8));
        String[] parts = request.getPath().split("/");
        // /internal/v1/shards/{tenant}/{collection}/{shard}/search
        if (parts.length >= 7) {
            MDC.put("tenant", parts[4]);
            MDC.put("collection", parts[5]);
            MDC.put("shard", parts[6]);
        }
    }

    @ResponseFilter
    void end(HttpRequest<?> request, MutableHttpResponse<?> response) {
        request.getAttribute(SPAN_ATTRIBUTE, Span.class).ifPresent(span -> {
            span.setAttribute("http.response.status_code", response.code());
            if (response.code() >= 500) {
                span.setStatus(StatusCode.ERROR);
            }
            span.end();
            String traceId = span.getSpanContext().getTraceId();
            response.header("X-Amzn-Trace-Id", "Root=1-" + traceId.substring(0, 8) + "-" + traceId.substring(8)
                    + ";Parent=" + span.getSpanContext().getSpanId());
        });
        MDC.remove("trace_id");
        MDC.remove("tenant");
        MDC.remove("collection");
        MDC.remove("shard");
    }
}
