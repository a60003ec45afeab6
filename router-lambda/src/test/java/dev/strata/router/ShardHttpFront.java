package dev.strata.router;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.strata.api.ShardSearchBinary;
import dev.strata.api.ShardSearchRequest;
import dev.strata.api.ShardSearchResponse;
import dev.strata.api.StrataException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * A fleet node served over real HTTP on a loopback port, speaking the shard service's internal protocol:
 * {@code POST /internal/v1/shards/{tenant}/{collection}/{shard}/search} with a {@link ShardSearchRequest} in JSON or
 * {@link ShardSearchBinary}'s form, 200 with the answer in the same form, and the shard service's error mapping ({@code {"error":{"code","message"}}}: 409
 * {@code version_not_applied}, 404 {@code shard_not_placed}, 500 for anything else). {@link #stop()} closes the
 * port, as a crashed node would: calls are refused while its heartbeat still lives. Thread-safe.
 */
final class ShardHttpFront implements AutoCloseable {

    private static final String PREFIX = "/internal/v1/shards/";

    private final HttpServer server;
    private final ObjectMapper mapper = new ObjectMapper();

    ShardHttpFront(ShardFleet.FleetNode node) {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext(PREFIX, exchange -> {
            try (exchange) {
                answer(node, exchange);
            }
        });
        server.start();
    }

    /** Base URL of the node, as its heartbeat advertises it. */
    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void answer(ShardFleet.FleetNode node, HttpExchange exchange) throws IOException {
        String[] parts = exchange.getRequestURI().getRawPath().substring(PREFIX.length()).split("/");
        if (!"POST".equals(exchange.getRequestMethod()) || parts.length != 4 || !"search".equals(parts[3])) {
            send(exchange, 404, error("not_found", "no such route: " + exchange.getRequestURI()));
            return;
        }
        try {
            boolean binary = ShardSearchBinary.isMediaType(exchange.getRequestHeaders().getFirst("Content-Type"));
            byte[] body = exchange.getRequestBody().readAllBytes();
            ShardSearchRequest request = binary ? ShardSearchBinary.decodeRequest(ByteBuffer.wrap(body))
                    : mapper.readValue(body, ShardSearchRequest.class);
            ShardSearchResponse response = node.search(decode(parts[0]), decode(parts[1]), Integer.parseInt(parts[2]),
                    request);
            if (binary) {
                send(exchange, 200, ShardSearchBinary.MEDIA_TYPE, ShardSearchBinary.encodeResponse(response));
            } else {
                send(exchange, 200, mapper.writeValueAsBytes(response));
            }
        } catch (StrataException e) {
            send(exchange, e.httpStatus(), error(e.code(), e.getMessage()));
        } catch (RuntimeException e) {
            send(exchange, 500, error("internal", String.valueOf(e.getMessage())));
        }
    }

    private byte[] error(String code, String message) throws IOException {
        return mapper.writeValueAsBytes(Map.of("error", Map.of("code", code, "message", message)));
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        send(exchange, status, "application/json", body);
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    /** Closes the port at once; calls in flight are cut. */
    void stop() {
        server.stop(0);
    }

    @Override
    public void close() {
        stop();
    }
}
