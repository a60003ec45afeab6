package dev.strata.router.lambda;

import dev.strata.router.telemetry.RouterTracing;
import dev.strata.router.telemetry.TracingConfig;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;

/**
 * On Lambda, exports the spans of a request before the invocation returns. Lambda freezes the execution environment
 * once the handler has answered, so spans left in the batch queue would only leave at the next invocation (minutes
 * later, or never if the environment is reclaimed). A bounded {@code forceFlush} keeps batching (one OTLP request per
 * invocation carries the server span and every shard call's span) and costs about one loopback round trip to the
 * collector extension; a collector that does not answer in {@code strata.tracing.flush-timeout} (200 ms) costs no
 * more than that and never fails the request. Chosen over {@code SimpleSpanProcessor}, which exports asynchronously
 * too (one request per span, still unfinished when the handler returns).
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
@Requires(env = "lambda")
final class SpanFlushFilter {

    private final RouterTracing tracing;
    private final TracingConfig config;

    SpanFlushFilter(RouterTracing tracing, TracingConfig config) {
        this.tracing = tracing;
        this.config = config;
    }

    @ResponseFilter
    void flush(HttpRequest<?> request, MutableHttpResponse<?> response) {
        tracing.flush(config.flushTimeout());
    }
}
