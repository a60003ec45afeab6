package dev.strata.router.scatter;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.strata.api.ShardSearchRequest;
import dev.strata.api.ShardSearchResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The HTTP shard client against a real HTTP server on loopback that answers as a shard service would. */
class HttpShardClientTest {

    private HttpServer server;
    private final AtomicReference<String> requestBody = new AtomicReference<>();
    private final AtomicReference<String> traceHeader = new AtomicReference<>();
    private final AtomicReference<String> path = new AtomicReference<>();
    private volatile int status = 200;
    private volatile String answer = "{\"hits\":[{\"id\":\"a\",\"score\":0.9}],\"version\":7,\"lagMs\":12,\"node\":\"n1\"}";
    private HttpShardClient client;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/internal/v1/shards/", exchange -> {
            path.set(exchange.getRequestURI().getPath());
            requestBody.set(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            traceHeader.set(exchange.getRequestHeaders().getFirst("X-Amzn-Trace-Id"));
            byte[] body = answer.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length);
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
    void aSearchPostsTheRequestAndReadsTheAnswer() {
        ShardSearchResponse response = client.search(target(), REQUEST, Map.of("X-Amzn-Trace-Id", "Root=1-abc")).join();
        assertThat(path.get()).isEqualTo("/internal/v1/shards/acme/docs/3/search");
        assertThat(requestBody.get()).contains("\"k\":5").contains("\"minVersion\":4").contains("\"lang\":\"en\"");
        assertThat(traceHeader.get()).isEqualTo("Root=1-abc");
        assertThat(response.version()).isEqualTo(7);
        assertThat(response.lagMs()).isEqualTo(12);
        assertThat(response.hits()).singleElement().satisfies(m -> assertThat(m.id()).isEqualTo("a"));
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
