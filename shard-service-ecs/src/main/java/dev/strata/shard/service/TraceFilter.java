package dev.strata.shard.service;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.propagation.TextMapGetter;
import org.slf4j.MDC;

/**
 * Continues the caller's trace for every shard search the framework routes: extracts {@code X-Amzn-Trace-Id} /
 * {@code traceparent}, starts a server span, and puts {@code trace_id} (X-Ray form), {@code tenant},
 * {@code collection} and {@code shard} into the log context for the request. The span ends with the response and
 * carries its status. Searches answered by {@link ShardSearchFastPath} never reach this filter; that handler does
 * the same through the same {@link Tracing} methods.
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
        Span span = tracing.startSearchSpan(request.getHeaders(), HEADERS, request.getMethod().name(),
                request.getPath());
        request.setAttribute(SPAN_ATTRIBUTE, span);
        MDC.put("trace_id", Tracing.xrayTraceId(span));
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
            Tracing.endSearchSpan(span, response.code());
            response.header("X-Amzn-Trace-Id", Tracing.xrayResponseHeader(span));
        });
        MDC.remove("trace_id");
        MDC.remove("tenant");
        MDC.remove("collection");
        MDC.remove("shard");
    }
}
