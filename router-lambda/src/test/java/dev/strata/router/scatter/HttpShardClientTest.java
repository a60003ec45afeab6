package dev.strata.router.scatter;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.strata.api.Match;
import dev.strata.api.ShardSearchBinary;
import dev.strata.api.ShardSearchRequest;
import dev.strata.api.ShardSearchResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The HTTP shard client against a real HTTP server on loopback that answers as a shard service would. */
class HttpShardClientTest {

    private HttpServer server;
    private final AtomicReference<byte[]> requestBody = new AtomicReference<>();
    private final AtomicReference<String> contentType = new AtomicReference<>();
    private final java.util.List<String> contentTypes = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final AtomicReference<String> traceHeader = new AtomicReference<>();
    private final AtomicReference<String> path = new AtomicReference<>();
    private volatile int status = 200;
    private volatile String answer = "{\"hits\":[{\"id\":\"a\",\"score\":0.9}],\"version\":7,\"lagMs\":12,\"node\":\"n1\"}";
    /** When set, the 200 answer is this binary body with the binary content type. */
    private volatile byte[] binaryAnswer;
    /** The server answers 415 to the binary form, as a node of an older release does. */
    private volatile boolean jsonOnlyNode;
    private HttpShardClient client;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/internal/v1/shards/", exchange -> {
            path.set(exchange.getRequestURI().getPath());
            requestBody.set(exchange.getRequestBody().readAllBytes());
            contentType.set(exchange.getRequestHeaders().getFirst("Content-Type"));
            contentTypes.add(contentType.get());
            traceHeader.set(exchange.getRequestHeaders().getFirst("X-Amzn-Trace-Id"));
            byte[] body = answer.getBytes(StandardCharsets.UTF_8);
            int code = status;
            if (jsonOnlyNode && ShardSearchBinary.isMediaType(contentType.get())) {
                code = 415;
                body = "{\"message\":\"Unsupported Media Type\"}".getBytes(StandardCharsets.UTF_8);
            } else if (binaryAnswer != null && code == 200) {
                body = binaryAnswer;
                exchange.getResponseHeaders().set("Content-Type", ShardSearchBinary.MEDIA_TYPE);
            } else {
                exchange.getResponseHeaders().set("Content-Type", "application/json");
            }
            exchange.sendResponseHeaders(code, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        client = new HttpShardClient(new ObjectMapper(), Executors.newVirtualThreadPerTaskExecutor(),
                Duration.ofSeconds(1), Duration.ofSeconds(2));
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private ShardTarget target() {
        return new ShardTarget("n1", "http://127.0.0.1:" + server.getAddress().getPort() + "/", "acme", "docs", 3);
    }

    private static final ShardSearchRequest REQUEST = new ShardSearchRequest(new float[]{1, 2}, 5, 64,
            Map.of("lang", "en"), true, false, 4L);

    @Test
    void aSearchPostsTheBinaryRequestAndReadsAJsonAnswer() {
        ShardSearchResponse response = client.search(target(), REQUEST, Map.of("X-Amzn-Trace-Id", "Root=1-abc")).join();
        assertThat(path.get()).isEqualTo("/internal/v1/shards/acme/docs/3/search");
        assertThat(contentType.get()).isEqualTo(ShardSearchBinary.MEDIA_TYPE);
        ShardSearchRequest sent = ShardSearchBinary.decodeRequest(ByteBuffer.wrap(requestBody.get()));
        assertThat(sent.vector()).containsExactly(1, 2);
        assertThat(sent.k()).isEqualTo(5);
        assertThat(sent.minVersion()).isEqualTo(4L);
        assertThat(sent.filter()).isEqualTo(Map.of("lang", "en"));
        assertThat(traceHeader.get()).isEqualTo("Root=1-abc");
        assertThat(response.version()).isEqualTo(7);
        assertThat(response.lagMs()).isEqualTo(12);
        assertThat(response.hits()).singleElement().satisfies(m -> assertThat(m.id()).isEqualTo("a"));
    }

    @Test
    void aBinaryAnswerIsRead() {
        // GIVEN a node answering in the binary form
        binaryAnswer = ShardSearchBinary.encodeResponse(new ShardSearchResponse(
                List.of(new Match("b", 0.5f, Map.of("lang", "en"), "text")), 9, 3, "n2"));
        // WHEN searched THEN the answer is decoded from it
        ShardSearchResponse response = client.search(target(), REQUEST, Map.of()).join();
        assertThat(response.node()).isEqualTo("n2");
        assertThat(response.version()).isEqualTo(9);
        assertThat(response.hits()).singleElement().satisfies(m -> {
            assertThat(m.id()).isEqualTo("b");
            assertThat(m.metadata()).isEqualTo(Map.of("lang", "en"));
        });
    }

    @Test
    void aBrokenBinaryAnswerIsANodeFailure() {
        binaryAnswer = new byte[] {'S', 'A', 1, 0, 1};
        assertThatThrownBy(() -> client.search(target(), REQUEST, Map.of()).join())
                .cause().isInstanceOfSatisfying(ShardCallException.class, e -> {
                    assertThat(e.reason()).isEqualTo(ShardCallException.Reason.FAILED);
                    assertThat(e.getMessage()).contains("unreadable answer").contains("shard search response is not valid");
                });
    }

    @Test
    void aNodeThatDoesNotReadTheBinaryFormIsCalledInJsonFromThenOn() {
        // GIVEN a node of an older release: 415 to the binary form
        jsonOnlyNode = true;
        // WHEN searched twice
        ShardSearchResponse first = client.search(target(), REQUEST, Map.of()).join();
        ShardSearchResponse second = client.search(target(), REQUEST, Map.of()).join();
        // THEN the first call is sent again in JSON and the second goes in JSON at once; both are answered
        assertThat(first.version()).isEqualTo(7);
        assertThat(second.version()).isEqualTo(7);
        assertThat(contentTypes).containsExactly(ShardSearchBinary.MEDIA_TYPE, "application/json", "application/json");
        String json = new String(requestBody.get(), StandardCharsets.UTF_8);
        assertThat(json).contains("\"k\":5").contains("\"minVersion\":4").contains("\"lang\":\"en\"");
    }

    @Test
    void a409IsBehindAndA404IsNotPlaced() {
        status = 409;
        answer = "{\"error\":{\"code\":\"version_not_applied\",\"message\":\"applied 3\"}}";
        assertThatThrownBy(() -> client.search(target(), REQUEST, Map.of()).join())
                .isInstanceOf(CompletionException.class)
                .cause().isInstanceOfSatisfying(ShardCallException.class, e -> {
                    assertThat(e.reason()).isEqualTo(ShardCallException.Reason.BEHIND);
                    assertThat(e.nodeFault()).isFalse();
                    assertThat(e.getMessage()).contains("409").contains("version_not_applied");
                });
        status = 404;
        assertThatThrownBy(() -> client.search(target(), REQUEST, Map.of()).join())
                .cause().isInstanceOfSatisfying(ShardCallException.class,
                        e -> assertThat(e.reason()).isEqualTo(ShardCallException.Reason.NOT_PLACED));
    }

    @Test
    void a5xxOrAnUnreachableNodeIsAFailure() {
        status = 500;
        assertThatThrownBy(() -> client.search(target(), REQUEST, Map.of()).join())
                .cause().isInstanceOfSatisfying(ShardCallException.class, e -> assertThat(e.nodeFault()).isTrue());
        ShardTarget dead = new ShardTarget("gone", "http://127.0.0.1:1", "acme", "docs", 0);
        assertThatThrownBy(() -> client.search(dead, REQUEST, Map.of()).join())
                .cause().isInstanceOfSatisfying(ShardCallException.class,
                        e -> assertThat(e.reason()).isEqualTo(ShardCallException.Reason.FAILED));
    }
}
