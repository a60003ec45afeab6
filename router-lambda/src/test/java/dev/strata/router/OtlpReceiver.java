package dev.strata.router;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * An OTLP/HTTP traces receiver on loopback ({@code POST /v1/traces}, protobuf, what the ADOT collector extension
 * listens to on Lambda) that decodes each {@code ExportTraceServiceRequest} into {@link ReceivedSpan}s. The decoder
 * reads the protobuf wire format for the fields tests look at (resource attributes; span ids, parent, name, kind,
 * string/int/bool attributes) and skips every other field, so it needs no generated classes. Thread-safe.
 */
final class OtlpReceiver implements AutoCloseable {

    /** Span kinds of the OTLP enum. */
    static final int SERVER = 2;
    static final int CLIENT = 3;

    /** One span as received, with its resource's attributes; ids in lower-case hex. */
    record ReceivedSpan(String traceId, String spanId, String parentSpanId, String name, int kind,
                        Map<String, String> attributes, Map<String, String> resource) {}

    private final HttpServer server;
    private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();
    private final List<Integer> requestSizes = new CopyOnWriteArrayList<>();

    OtlpReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/traces", exchange -> {
            int status = 200;
            try {
                if (!"POST".equals(exchange.getRequestMethod())) {
                    status = 405;
                } else {
                    byte[] body = exchange.getRequestBody().readAllBytes();
                    requestSizes.add(body.length);
                    spans.addAll(decodeRequest(body));
                }
            } catch (RuntimeException e) {
                status = 400;
            }
            exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    /** The URL to give {@code strata.tracing.otlp-endpoint}. */
    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces";
    }

    List<ReceivedSpan> spans() {
        return List.copyOf(spans);
    }

    /** Number of export requests received. */
    int requests() {
        return requestSizes.size();
    }

    /** Waits up to {@code millis} until {@code count} spans match; returns those that match. */
    List<ReceivedSpan> await(Predicate<ReceivedSpan> match, int count, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (true) {
            List<ReceivedSpan> found = spans.stream().filter(match).toList();
            if (found.size() >= count || System.nanoTime() > deadline) {
                return found;
            }
            Thread.sleep(20);
        }
    }

    void clear() {
        spans.clear();
        requestSizes.clear();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    // ---- protobuf wire format (opentelemetry/proto/collector/trace/v1/trace_service.proto and trace.proto) ----

    static List<ReceivedSpan> decodeRequest(byte[] body) {
        List<ReceivedSpan> out = new ArrayList<>();
        Reader request = new Reader(body);
        while (request.more()) {
            int tag = request.tag();
            if (tag >>> 3 == 1 && (tag & 7) == 2) { // resource_spans
                Reader resourceSpans = request.message();
                Map<String, String> resource = new LinkedHashMap<>();
                List<byte[]> scopeSpans = new ArrayList<>();
                while (resourceSpans.more()) {
                    int t = resourceSpans.tag();
                    if (t >>> 3 == 1 && (t & 7) == 2) { // resource
                        Reader r = resourceSpans.message();
                        while (r.more()) {
                            int rt = r.tag();
                            if (rt >>> 3 == 1 && (rt & 7) == 2) {
                                keyValue(r.message(), resource);
                            } else {
                                r.skip(rt);
                            }
                        }
                    } else if (t >>> 3 == 2 && (t & 7) == 2) { // scope_spans
                        scopeSpans.add(resourceSpans.bytes());
                    } else {
                        resourceSpans.skip(t);
                    }
                }
                for (byte[] scope : scopeSpans) {
                    Reader s = new Reader(scope);
                    while (s.more()) {
                        int t = s.tag();
                        if (t >>> 3 == 2 && (t & 7) == 2) { // spans
                            out.add(span(s.message(), resource));
                        } else {
                            s.skip(t);
                        }
                    }
                }
            } else {
                request.skip(tag);
            }
        }
        return out;
    }

    private static ReceivedSpan span(Reader r, Map<String, String> resource) {
        String traceId = null;
        String spanId = null;
        String parent = "";
        String name = null;
        int kind = 0;
        Map<String, String> attributes = new LinkedHashMap<>();
        while (r.more()) {
            int tag = r.tag();
            switch (tag >>> 3) {
                case 1 -> traceId = HexFormat.of().formatHex(r.bytes());
                case 2 -> spanId = HexFormat.of().formatHex(r.bytes());
                case 4 -> parent = HexFormat.of().formatHex(r.bytes());
                case 5 -> name = new String(r.bytes(), StandardCharsets.UTF_8);
                case 6 -> kind = (int) r.varint();
                case 9 -> keyValue(r.message(), attributes);
                default -> r.skip(tag);
            }
        }
        return new ReceivedSpan(traceId, spanId, parent, name, kind, Map.copyOf(attributes), Map.copyOf(resource));
    }

    /** KeyValue {1: key, 2: AnyValue {1: string, 2: bool, 3: int, 4: double}}; other value kinds are skipped. */
    private static void keyValue(Reader kv, Map<String, String> into) {
        String key = null;
        String value = null;
        while (kv.more()) {
            int tag = kv.tag();
            if (tag >>> 3 == 1) {
                key = new String(kv.bytes(), StandardCharsets.UTF_8);
            } else if (tag >>> 3 == 2) {
                Reader any = kv.message();
                while (any.more()) {
                    int t = any.tag();
                    switch (t >>> 3) {
                        case 1 -> value = new String(any.bytes(), StandardCharsets.UTF_8);
                        case 2 -> value = String.valueOf(any.varint() != 0);
                        case 3 -> value = String.valueOf(any.varint());
                        case 4 -> value = String.valueOf(Double.longBitsToDouble(any.fixed64()));
                        default -> any.skip(t);
                    }
                }
            } else {
                kv.skip(tag);
            }
        }
        if (key != null && value != null) {
            into.put(key, value);
        }
    }

    private static final class Reader {
        private final ByteBuffer buf;

        Reader(byte[] bytes) {
            this.buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        }

        boolean more() {
            return buf.hasRemaining();
        }

        int tag() {
            return (int) varint();
        }

        long varint() {
            long result = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                byte b = buf.get();
                result |= (long) (b & 0x7f) << shift;
                if ((b & 0x80) == 0) {
                    return result;
                }
            }
            throw new IllegalArgumentException("malformed varint");
        }

        long fixed64() {
            return buf.getLong();
        }

        byte[] bytes() {
            byte[] out = new byte[(int) varint()];
            buf.get(out);
            return out;
        }

        Reader message() {
            return new Reader(bytes());
        }

        void skip(int tag) {
            switch (tag & 7) {
                case 0 -> varint();
                case 1 -> buf.position(buf.position() + 8);
                case 2 -> bytes();
                case 5 -> buf.position(buf.position() + 4);
                default -> throw new IllegalArgumentException("unsupported wire type " + (tag & 7));
            }
        }
    }
}
