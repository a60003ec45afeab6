package dev.strata.shard.service;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The search contract through {@link ShardSearchFastPath} (the default), and what only the fast path decides. */
class ShardSearchFastPathTest extends ShardSearchHttpContract {

    @Override
    Map<String, Object> nodeProperties() {
        return Map.of();
    }

    private long answered() {
        return started.context().getBean(ShardSearchFastPathInstaller.class).answered();
    }

    @Test
    void searchesAreAnsweredByTheFastPath() {
        // GIVEN the count of searches the fast path answered so far
        long before = answered();
        // WHEN searching in JSON and in binary, and with an error
        assertThat(search(request(docs.get(1).vector(), 3)).statusCode()).isEqualTo(200);
        assertThat(searchBinary(binaryRequest(docs.get(1).vector(), 3)).statusCode()).isEqualTo(200);
        assertThat(search(request(new float[] {1}, 3)).statusCode()).isEqualTo(400);
        // THEN all three went through it
        assertThat(answered()).isEqualTo(before + 3);
    }

    @Test
    void requestsItDoesNotClaimReachTheFramework() {
        long before = answered();
        // GIVEN requests outside the fast path: another method, a percent-encoded segment, a query string
        assertThat(fixture.get(node, ShardServiceFixture.searchPath(collection, 0)).statusCode()).isEqualTo(405);
        assertThat(fixture.post(node, "/internal/v1/shards/ac%6De/docs/0/search", request(docs.get(1).vector(), 3))
                .statusCode()).isEqualTo(200);
        assertThat(fixture.post(node, ShardServiceFixture.searchPath(collection, 0) + "?x=1",
                request(docs.get(1).vector(), 3)).statusCode()).isEqualTo(200);
        // THEN the framework answered them (the controller serves the same searches) and the fast path none
        assertThat(answered()).isEqualTo(before);
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        // GIVEN one connection carrying, without waiting, a request for the framework and then a search
        String search = "{\"vector\":[1,0,0,0],\"k\":2}";
        String requests = "GET /health/liveness HTTP/1.1\r\nHost: x\r\n\r\n"
                + "POST " + ShardServiceFixture.searchPath(collection, 0) + " HTTP/1.1\r\nHost: x\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + search.length() + "\r\nConnection: close\r\n\r\n"
                + search;
        try (Socket socket = new Socket(node.getHost(), node.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(requests.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // WHEN both answers are read until the server closes
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String text = all.toString(StandardCharsets.UTF_8);
            // THEN the health answer comes first and the search answer second
            int health = text.indexOf("\"status\"");
            int hits = text.indexOf("\"hits\"");
            assertThat(health).as(text).isPositive();
            assertThat(hits).as(text).isGreaterThan(health);
        }
    }

    @Test
    void chunkedBodyOverTheLimitIs413AndTheConnectionCloses() throws Exception {
        // GIVEN a chunked search body (no declared length) larger than the fast path takes
        byte[] big = new byte[ShardSearchFastPath.MAX_BODY_BYTES + 10];
        java.util.Arrays.fill(big, (byte) ' ');
        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(
                        node.resolve(ShardServiceFixture.searchPath(collection, 0)))
                .timeout(java.time.Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big)))
                .build();
        try (java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1).build()) {
            // WHEN it is sent
            java.net.http.HttpResponse<String> response = client.send(request,
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            // THEN 413 payload_too_large in the error body, and the server closes the connection
            assertError(response, 413, "payload_too_large", "request body is over 1048576 bytes");
            assertThat(response.headers().firstValue("Connection")).hasValue("close");
        }
    }
}
