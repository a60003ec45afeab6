package dev.strata.router.telemetry;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;

import java.util.List;
import java.util.Locale;

/**
 * Reads and writes the AWS X-Ray trace header, {@code X-Amzn-Trace-Id: Root=1-5759e988-bd862e3fe1be46a994272793;
 * Parent=53995c3f42cd8ad8;Sampled=1}: the OpenTelemetry trace id is the root's two hex parts joined, the parent is
 * the span id. A header with a root but no parent (API Gateway's first hop) continues the trace under a parent id
 * derived from the root, so the router's spans still join the caller's trace.
 *
 * <p>Why not {@code io.opentelemetry.contrib.awsxray.propagator.AwsXrayPropagator}: its newest release
 * (1.57.0-alpha) calls {@code io.opentelemetry.api.internal.StringUtils.padLeft}, which the OpenTelemetry API
 * managed here (1.68) no longer has, so every extraction fails with {@code NoSuchMethodError}. The format is small
 * and stable; this class implements it and is tested against the documented examples. Stateless; thread-safe.
 */
public final class XrayTraceHeader implements TextMapPropagator {

    /** The header name (HTTP headers are case-insensitive; lower case is what API Gateway v2 delivers). */
    public static final String HEADER = "X-Amzn-Trace-Id";

    private static final XrayTraceHeader INSTANCE = new XrayTraceHeader();

    private XrayTraceHeader() {}

    public static XrayTraceHeader getInstance() {
        return INSTANCE;
    }

    @Override
    public List<String> fields() {
        return List.of(HEADER);
    }

    @Override
    public <C> void inject(Context context, C carrier, TextMapSetter<C> setter) {
        SpanContext span = Span.fromContext(context).getSpanContext();
        if (!span.isValid() || setter == null) {
            return;
        }
        String traceId = span.getTraceId();
        setter.set(carrier, HEADER, "Root=1-" + traceId.substring(0, 8) + "-" + traceId.substring(8)
                + ";Parent=" + span.getSpanId() + ";Sampled=" + (span.isSampled() ? "1" : "0"));
    }

    @Override
    public <C> Context extract(Context context, C carrier, TextMapGetter<C> getter) {
        if (carrier == null || getter == null) {
            return context;
        }
        String header = getter.get(carrier, HEADER);
        if (header == null) {
            header = getter.get(carrier, HEADER.toLowerCase(Locale.ROOT));
        }
        SpanContext parent = parse(header);
        return parent == null ? context : context.with(Span.wrap(parent));
    }

    /** The remote span context of a header, or null when it is absent or malformed. */
    static SpanContext parse(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String traceId = null;
        String parentId = null;
        boolean sampled = true;
        for (String part : header.split(";")) {
            String[] kv = part.strip().split("=", 2);
            if (kv.length != 2) {
                continue;
            }
            switch (kv[0]) {
                case "Root" -> traceId = traceIdOf(kv[1]);
                case "Parent" -> parentId = kv[1].toLowerCase(Locale.ROOT);
                case "Sampled" -> sampled = !"0".equals(kv[1]);
                default -> { }
            }
        }
        if (traceId == null || !TraceId.isValid(traceId)) {
            return null;
        }
        if (parentId == null || !SpanId.isValid(parentId)) {
            parentId = traceId.substring(16);
        }
        return SpanContext.createFromRemoteParent(traceId, parentId,
                sampled ? TraceFlags.getSampled() : TraceFlags.getDefault(), TraceState.getDefault());
    }

    private static String traceIdOf(String root) {
        String[] parts = root.split("-");
        if (parts.length != 3 || !"1".equals(parts[0]) || parts[1].length() != 8 || parts[2].length() != 24) {
            return null;
        }
        return (parts[1] + parts[2]).toLowerCase(Locale.ROOT);
    }
}
