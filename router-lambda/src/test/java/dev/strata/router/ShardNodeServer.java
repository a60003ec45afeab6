package dev.strata.router;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.strata.api.ShardSearchBinary;
import dev.strata.api.ShardSearchRequest;
import dev.strata.api.ShardSearchResponse;
import dev.strata.api.StrataException;
import dev.strata.router.telemetry.XrayTraceHeader;
import dev.strata.telemetry.StrataTracing;
import dev.strata.telemetry.TracingOptions;
import dev.strata.tls.TlsMaterial;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A {@link ShardFleet.FleetNode} (real segments and shard indexes) served over real HTTP on loopback the way the shard
 * service serves it: {@code POST /internal/v1/shards/{tenant}/{collection}/{shard}/search}, 404 not placed, 409
 * behind. With {@code tls} it serves HTTPS and requires a client certificate signed by the material's CA (what
 * {@code micronaut.server.ssl.client-authentication=NEED} does on the shard service). With {@code tracing} it continues
 * the caller's {@code X-Amzn-Trace-Id} trace with a server span exported through {@link StrataTracing} (the shard
 * service's own set-up), each span sent as it ends. Closed by the test.
 */
final class ShardNodeServer implements AutoCloseable {

    private static final TextMapGetter<Headers> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Headers carrier, String key) {
            return carrier.getFirst(key);
        }
    };

    private final ShardFleet fleet;
    private final String nodeId;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final ObjectMapper mapper = new ObjectMapper();
    private final SdkTracerProvider tracing;
    private final Tracer tracer;
    private final String scheme;

    private ShardNodeServer(ShardFleet fleet, String nodeId, TlsMaterial tls, TracingOptions tracingOptions)
            throws IOException {
        this.fleet = fleet;
        this.nodeId = nodeId;
        InetSocketAddress loopback = new InetSocketAddress("127.0.0.1", 0);
        if (tls != null) {
            HttpsServer https = HttpsServer.create(loopback, 0);
            SSLContext context = tls.sslContext();
            https.setHttpsConfigurator(new HttpsConfigurator(context) {
                @Override
                public void configure(HttpsParameters params) {
                    SSLParameters ssl = context.getDefaultSSLParameters();
                    ssl.setNeedClientAuth(true);
                    params.setSSLParameters(ssl);
                }
            });
            server = https;
            scheme = "https";
        } else {
            server = HttpServer.create(loopback, 0);
            scheme = "http";
        }
        if (tracingOptions != null) {
            tracing = StrataTracing.builder(StrataTracing.resource(tracingOptions.serviceName(),
                            Attributes.of(StrataTracing.SERVICE_INSTANCE_ID, nodeId)))
                    .addSpanProcessor(SimpleSpanProcessor.create(StrataTracing.otlpExporter(tracingOptions)))
                    .build();
            tracer = tracing.get("dev.strata.shard.service");
        } else {
            tracing = null;
            tracer = null;
        }
        server.setExecutor(executor);
        server.createContext("/internal/v1/shards/", this::handle);
        server.start();
    }

    /**
     * Serves fleet node {@code nodeId} (added to the fleet afterwards with {@link #endpoint()}); {@code tls} and
     * {@code tracing} may be null (plain HTTP; no spans).
     */
    static ShardNodeServer start(ShardFleet fleet, String nodeId, TlsMaterial tls, TracingOptions tracing) {
        try {
            return new ShardNodeServer(fleet, nodeId, tls, tracing);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** {@code http(s)://127.0.0.1:port}, what the node's heartbeat advertises. */
    String endpoint() {
        return scheme + "://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        Span span = null;
        if (tracer != null) {
            Context parent = XrayTraceHeader.getInstance().extract(Context.root(), exchange.getRequestHeaders(),
                    HEADERS);
            span = tracer.spanBuilder("shard.search").setParent(parent).setSpanKind(SpanKind.SERVER)
                    .setAttribute("url.path", exchange.getRequestURI().getPath()).startSpan();
        }
        int status;
        byte[] body;
        String contentType = "application/json";
        try {
            // /internal/v1/shards/{tenant}/{collection}/{shard}/search, in JSON or the binary form, answered alike
            List<String> parts = List.of(exchange.getRequestURI().getRawPath().split("/"));
            boolean binary = ShardSearchBinary.isMediaType(exchange.getRequestHeaders().getFirst("Content-Type"));
            byte[] raw = exchange.getRequestBody().readAllBytes();
            ShardSearchRequest request = binary ? ShardSearchBinary.decodeRequest(ByteBuffer.wrap(raw))
                    : mapper.readValue(raw, ShardSearchRequest.class);
            ShardSearchResponse response = fleet.node(nodeId).search(decode(parts.get(4)), decode(parts.get(5)),
                    Integer.parseInt(parts.get(6)), request);
            body = binary ? ShardSearchBinary.encodeResponse(response) : mapper.writeValueAsBytes(response);
            contentType = binary ? ShardSearchBinary.MEDIA_TYPE : contentType;
            status = 200;
        } catch (StrataException e) {
            status = e.httpStatus();
            body = mapper.writeValueAsBytes(e.toResponse());
        } catch (RuntimeException e) {
            status = 500;
            body = ("{\"error\":{\"code\":\"internal\",\"message\":\"" + e.getClass().getSimpleName() + "\"}}")
                    .getBytes(StandardCharsets.UTF_8);
        }
        if (span != null) {
            span.setAttribute("http.response.status_code", status);
            span.end();
        }
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        if (tracing != null) {
            tracing.close();
        }
    }
}
