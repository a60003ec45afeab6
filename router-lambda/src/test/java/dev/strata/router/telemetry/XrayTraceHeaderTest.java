package dev.strata.router.telemetry;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The X-Ray header, read and written as AWS documents it. */
class XrayTraceHeaderTest {

    private static final TextMapGetter<Map<String, String>> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier.get(key);
        }
    };

    @Test
    void aFullHeaderBecomesTheRemoteParent() {
        Context ctx = XrayTraceHeader.getInstance().extract(Context.root(), Map.of("X-Amzn-Trace-Id",
                "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"), GETTER);
        SpanContext sc = Span.fromContext(ctx).getSpanContext();
        assertThat(sc.getTraceId()).isEqualTo("5759e988bd862e3fe1be46a994272793");
        assertThat(sc.getSpanId()).isEqualTo("53995c3f42cd8ad8");
        assertThat(sc.isSampled()).isTrue();
        assertThat(sc.isRemote()).isTrue();
    }

    @Test
    void aRootWithoutParentStillJoinsTheTrace() {
        SpanContext sc = XrayTraceHeader.parse("Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=0");
        assertThat(sc.getTraceId()).isEqualTo("5759e988bd862e3fe1be46a994272793");
        assertThat(sc.isValid()).isTrue();
        assertThat(sc.isSampled()).isFalse();
    }

    @Test
    void aMalformedHeaderIsIgnored() {
        assertThat(XrayTraceHeader.parse("Root=2-zz")).isNull();
        assertThat(XrayTraceHeader.parse("garbage")).isNull();
        assertThat(XrayTraceHeader.parse(null)).isNull();
    }

    @Test
    void injectWritesWhatExtractReads() {
        SpanContext original = XrayTraceHeader.parse("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1");
        Map<String, String> carrier = new HashMap<>();
        XrayTraceHeader.getInstance().inject(Context.root().with(Span.wrap(original)), carrier, Map::put);
        assertThat(carrier.get("X-Amzn-Trace-Id"))
                .isEqualTo("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1");
    }
}
