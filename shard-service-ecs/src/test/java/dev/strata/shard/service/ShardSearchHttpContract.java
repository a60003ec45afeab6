package dev.strata.shard.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.api.ShardSearchBinary;
import dev.strata.api.ShardSearchRequest;
import dev.strata.api.ShardSearchResponse;
import dev.strata.catalog.Catalog;
import dev.strata.catalog.CollectionRecord;
import dev.strata.catalog.SegmentRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The search endpoint of one node over HTTP, in JSON and in {@value ShardSearchBinary#MEDIA_TYPE}: answers, and
 * every bad input with its status, code and message. Run once per transport ({@link ShardSearchFastPathTest},
 * {@link ShardSearchControllerTest}): both must answer alike.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ShardSearchHttpContract {

    ShardServiceFixture fixture;
    CollectionRecord collection;
    ShardNode started;
    URI node;
    List<dev.strata.api.Document> docs;

    /** Extra Micronaut properties of the node under test. */
    abstract Map<String, Object> nodeProperties();

    @BeforeAll
    void startNodeWithOneCommittedSegment() throws InterruptedException {
        fixture = ShardServiceFixture.shared();
        Catalog catalog = fixture.newCatalog();
        collection = catalog.createCollection("acme", "docs", ShardServiceFixture.spec(4, 1, 1), "test");
        docs = ShardServiceFixture.documents("d", 200, 4, 7);
        SegmentRef segment = fixture.writeSegment(fixture.store, collection, 0, docs, List.of());
        collection = ShardServiceFixture.commit(catalog, collection, Map.of(0, List.of(segment)));
        started = fixture.startNode(ShardNodeConfig.local("test", "n1", fixture.root.resolve("n1-" + UUID.randomUUID()))
                .withHeartbeat(Duration.ofMillis(250), Duration.ofSeconds(2)).withProperties(nodeProperties()),
                catalog, fixture.store);
        assertThat(started.awaitReady(Duration.ofSeconds(20))).isTrue();
        node = started.endpoint();
    }

    @AfterAll
    void stop() {
        fixture.stopNodes();
    }

    static Map<String, Object> request(Object vector, int k) {
        Map<String, Object> body = new HashMap<>();
        body.put("vector", vector);
        body.put("k", k);
        return body;
    }

    HttpResponse<String> search(Object body) {
        return fixture.post(node, ShardServiceFixture.searchPath(collection, 0), body);
    }

    static void assertError(HttpResponse<String> response, int status, String code, String message) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode error = ShardServiceFixture.json(response).get("error");
        assertThat(error.get("code").asText()).isEqualTo(code);
        assertThat(error.get("message").asText()).contains(message);
    }

    @Test
    void searchReturnsTheNearestDocumentsWithVersionLagAndNode() {
        // GIVEN the vector of a stored document
        float[] query = docs.get(17).vector();
        Map<String, Object> body = request(query, 3);
        body.put("includeMetadata", true);
        body.put("includeText", true);
        // WHEN searching for it
        HttpResponse<String> response = search(body);
        // THEN it comes first, with its metadata and text, the applied version, no lag, and the node's id
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode json = ShardServiceFixture.json(response);
        assertThat(json.get("hits")).hasSize(3);
        assertThat(json.get("hits").get(0).get("id").asText()).isEqualTo("d-17");
        assertThat(json.get("hits").get(0).get("metadata").get("n").asInt()).isEqualTo(17);
        assertThat(json.get("hits").get(0).get("text").asText()).isEqualTo("text of d-17");
        assertThat(json.get("version").asLong()).isEqualTo(collection.version());
        assertThat(json.get("lagMs").asLong()).isZero();
        assertThat(json.get("node").asText()).isEqualTo("n1");
    }

    @Test
    void filterRestrictsHits() {
        // GIVEN a filter on the group metadata
        Map<String, Object> body = request(docs.get(17).vector(), 10);
        body.put("filter", Map.of("group", "even"));
        body.put("includeMetadata", true);
        // WHEN searching
        JsonNode json = ShardServiceFixture.json(search(body));
        // THEN every hit is even (d-17 is odd, so it is not among them)
        assertThat(json.get("hits")).hasSize(10);
        json.get("hits").forEach(hit -> assertThat(hit.get("metadata").get("group").asText()).isEqualTo("even"));
    }

    @Test
    void wrongDimensionIsRejected() {
        assertError(search(request(new float[] {1, 2, 3}, 5)), 400, "invalid_request",
                "vector has 3 values; collection 'docs' has dimension 4");
    }

    @Test
    void nonFiniteValueIsRejected() {
        assertError(search("{\"vector\":[1.0,\"NaN\",0.5,0.1],\"k\":5}"), 400, "invalid_request",
                "vector[1] is NaN; values must be finite numbers");
    }

    @Test
    void kAboveTheLimitIsRejected() {
        assertError(search(request(new float[] {1, 0, 0, 0}, 1001)), 400, "invalid_request",
                "k is 1001; it must be between 1 and 1000");
    }

    @Test
    void kZeroIsRejected() {
        assertError(search(request(new float[] {1, 0, 0, 0}, 0)), 400, "invalid_request",
                "k is 0; it must be between 1 and 1000");
    }

    @Test
    void searchWidthAboveTheLimitIsRejected() {
        Map<String, Object> body = request(new float[] {1, 0, 0, 0}, 5);
        body.put("searchWidth", 5000);
        assertError(search(body), 400, "invalid_request", "searchWidth is 5000; it must be between 1 and 4096");
    }

    @Test
    void badFilterIsRejected() {
        Map<String, Object> body = request(new float[] {1, 0, 0, 0}, 5);
        body.put("filter", Map.of("year", Map.of("$gte", Map.of("x", 1))));
        assertError(search(body), 400, "invalid_filter", "filter.year.$gte");
    }

    @Test
    void missingVectorIsRejected() {
        assertError(search("{\"k\":5}"), 400, "invalid_request", "vector is required");
    }

    @Test
    void unknownFieldIsRejected() {
        assertError(search("{\"vector\":[1,0,0,0],\"k\":5,\"topK\":3}"), 400, "invalid_request", "topK");
    }

    @Test
    void malformedJsonIsRejected() {
        assertError(search("{\"vector\":[1,0,0,0],"), 400, "invalid_request", "request body is not valid");
    }

    @Test
    void missingBodyIsRejected() {
        assertError(search(""), 400, "invalid_request", "required");
    }

    @Test
    void shardNotPlacedHereIsNotFound() {
        HttpResponse<String> response = fixture.post(node, "/internal/v1/shards/acme/docs/3/search",
                request(new float[] {1, 0, 0, 0}, 5));
        assertError(response, 404, "shard_not_placed",
                "shard 3 of collection 'docs' (tenant 'acme') is not placed on node n1");
    }

    @Test
    void otherTenantsCollectionIsNotFound() {
        HttpResponse<String> response = fixture.post(node, "/internal/v1/shards/other/docs/0/search",
                request(new float[] {1, 0, 0, 0}, 5));
        assertError(response, 404, "shard_not_placed", "tenant 'other'");
    }

    @Test
    void shardThatIsNotANumberIsRejected() {
        HttpResponse<String> response = fixture.post(node, "/internal/v1/shards/acme/docs/x/search",
                request(new float[] {1, 0, 0, 0}, 5));
        assertError(response, 400, "invalid_request", "shard is 'x'; it must be a shard number between 0 and 255");
    }

    @Test
    void minVersionAheadOfTheReplicaIsAConflict() {
        Map<String, Object> body = request(new float[] {1, 0, 0, 0}, 5);
        body.put("minVersion", collection.version() + 5);
        assertError(search(body), 409, "version_not_applied", "minVersion is " + (collection.version() + 5)
                + "; shard 0 of collection 'docs' on node n1 has applied version " + collection.version());
    }

    @Test
    void minVersionAlreadyAppliedIsServed() {
        Map<String, Object> body = request(new float[] {1, 0, 0, 0}, 5);
        body.put("minVersion", collection.version());
        assertThat(search(body).statusCode()).isEqualTo(200);
    }

    // ---- the binary form ----

    HttpResponse<byte[]> searchBinary(String path, byte[] body, String contentType) {
        try {
            return fixture.http.send(HttpRequest.newBuilder(node.resolve(path)).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", contentType).header("Accept", ShardSearchBinary.MEDIA_TYPE)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<byte[]> searchBinary(ShardSearchRequest request) {
        return searchBinary(ShardServiceFixture.searchPath(collection, 0), ShardSearchBinary.encodeRequest(request),
                ShardSearchBinary.MEDIA_TYPE);
    }

    static ShardSearchRequest binaryRequest(float[] vector, int k) {
        return new ShardSearchRequest(vector, k, null, null, false, false, null);
    }

    static void assertBinaryError(HttpResponse<byte[]> response, int status, String code, String message) {
        String body = new String(response.body(), StandardCharsets.UTF_8);
        assertThat(response.statusCode()).as(body).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        JsonNode error;
        try {
            error = ShardServiceFixture.JSON.readTree(body).get("error");
        } catch (java.io.IOException e) {
            throw new AssertionError("not a JSON error body: " + body, e);
        }
        assertThat(error.get("code").asText()).isEqualTo(code);
        assertThat(error.get("message").asText()).contains(message);
    }

    @Test
    void binaryBodyAnswersTheSameHitsAsJson() {
        // GIVEN one query asked in both forms, with metadata and text
        float[] query = docs.get(42).vector();
        Map<String, Object> json = request(query, 10);
        json.put("includeMetadata", true);
        json.put("includeText", true);
        ShardSearchRequest binary = new ShardSearchRequest(query, 10, null, null, true, true, null);
        // WHEN searching with each
        JsonNode fromJson = ShardServiceFixture.json(search(json));
        HttpResponse<byte[]> response = searchBinary(binary);
        // THEN the binary answer is binary and carries the same hits, scores, metadata, text, version and node
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith(ShardSearchBinary.MEDIA_TYPE);
        ShardSearchResponse fromBinary = ShardSearchBinary.decodeResponse(response.body());
        assertThat(fromBinary.hits()).hasSize(10);
        for (int i = 0; i < 10; i++) {
            JsonNode hit = fromJson.get("hits").get(i);
            assertThat(fromBinary.hits().get(i).id()).isEqualTo(hit.get("id").asText());
            assertThat(fromBinary.hits().get(i).score()).isEqualTo((float) hit.get("score").asDouble());
            assertThat(fromBinary.hits().get(i).text()).isEqualTo(hit.get("text").asText());
            assertThat(fromBinary.hits().get(i).metadata().get("n")).isEqualTo(hit.get("metadata").get("n").asInt());
        }
        assertThat(fromBinary.hits().get(0).id()).isEqualTo("d-42");
        assertThat(fromBinary.version()).isEqualTo(fromJson.get("version").asLong());
        assertThat(fromBinary.node()).isEqualTo("n1");
        assertThat(response.headers().firstValue("X-Amzn-Trace-Id")).hasValueSatisfying(v -> assertThat(v).startsWith("Root=1-"));
    }

    @Test
    void binaryFilterSearchWidthAndAppliedMinVersionAreHonoured() {
        // GIVEN a binary request with a filter, a search width and the applied version as minVersion
        ShardSearchRequest request = new ShardSearchRequest(docs.get(17).vector(), 10, 32,
                Map.of("group", "even"), true, false, collection.version());
        // WHEN searching THEN every hit is even and no text is sent
        HttpResponse<byte[]> response = searchBinary(request);
        assertThat(response.statusCode()).isEqualTo(200);
        ShardSearchResponse answer = ShardSearchBinary.decodeResponse(response.body());
        assertThat(answer.hits()).hasSize(10).allSatisfy(hit -> {
            assertThat(hit.metadata().get("group")).isEqualTo("even");
            assertThat(hit.text()).isNull();
        });
    }

    @Test
    void binaryBadValuesGetTheSameErrorsAsJson() {
        assertBinaryError(searchBinary(binaryRequest(new float[] {1, 2, 3}, 5)), 400, "invalid_request",
                "vector has 3 values; collection 'docs' has dimension 4");
        assertBinaryError(searchBinary(binaryRequest(new float[] {1, Float.NaN, 0.5f, 0.1f}, 5)), 400,
                "invalid_request", "vector[1] is NaN; values must be finite numbers");
        assertBinaryError(searchBinary(binaryRequest(new float[] {1, 0, 0, 0}, 1001)), 400, "invalid_request",
                "k is 1001; it must be between 1 and 1000");
        assertBinaryError(searchBinary(binaryRequest(null, 5)), 400, "invalid_request", "vector is required");
        assertBinaryError(searchBinary(new ShardSearchRequest(new float[] {1, 0, 0, 0}, 5, 5000, null, false, false,
                null)), 400, "invalid_request", "searchWidth is 5000; it must be between 1 and 4096");
        assertBinaryError(searchBinary(new ShardSearchRequest(new float[] {1, 0, 0, 0}, 5, null,
                Map.of("year", Map.of("$gte", Map.of("x", 1))), false, false, null)), 400, "invalid_filter",
                "filter.year.$gte");
    }

    @Test
    void truncatedOrGarbledBinaryBodyIsRejected() {
        String path = ShardServiceFixture.searchPath(collection, 0);
        byte[] valid = ShardSearchBinary.encodeRequest(binaryRequest(new float[] {1, 0, 0, 0}, 5));
        assertBinaryError(searchBinary(path, java.util.Arrays.copyOf(valid, valid.length - 3), ShardSearchBinary.MEDIA_TYPE),
                400, "invalid_request", "request body is not valid (application/x-strata-search)");
        assertBinaryError(searchBinary(path, "{\"vector\":[1,0,0,0],\"k\":5}".getBytes(StandardCharsets.UTF_8),
                ShardSearchBinary.MEDIA_TYPE), 400, "invalid_request", "starts with 0x7b 0x22");
        assertBinaryError(searchBinary(path, new byte[0], ShardSearchBinary.MEDIA_TYPE), 400, "invalid_request",
                "body is required");
    }

    @Test
    void binaryNotPlacedAndBehindAreJsonErrors() {
        byte[] body = ShardSearchBinary.encodeRequest(binaryRequest(new float[] {1, 0, 0, 0}, 5));
        assertBinaryError(searchBinary("/internal/v1/shards/acme/docs/3/search", body, ShardSearchBinary.MEDIA_TYPE),
                404, "shard_not_placed", "shard 3 of collection 'docs' (tenant 'acme') is not placed on node n1");
        ShardSearchRequest ahead = new ShardSearchRequest(new float[] {1, 0, 0, 0}, 5, null, null, false, false,
                collection.version() + 5);
        assertBinaryError(searchBinary(ahead), 409, "version_not_applied",
                "has applied version " + collection.version());
    }

    @Test
    void unsupportedContentTypeIs415WithTheErrorBody() {
        HttpResponse<byte[]> response = searchBinary(ShardServiceFixture.searchPath(collection, 0),
                "vector=1,0,0,0".getBytes(StandardCharsets.UTF_8), "text/plain");
        assertBinaryError(response, 415, "unsupported_media_type", "Content-Type is 'text/plain'; it must be one of");
    }

    @Test
    void drainingNodeAnswers503ShuttingDown() throws InterruptedException {
        // GIVEN a second node, with its own catalog, that has started to drain
        Catalog catalog = fixture.newCatalog();
        CollectionRecord other = catalog.createCollection("acme", "drain", ShardServiceFixture.spec(4, 1, 1), "test");
        other = ShardServiceFixture.commit(catalog, other, Map.of(0, List.of(fixture.writeSegment(fixture.store, other,
                0, ShardServiceFixture.documents("x", 20, 4, 1), List.of()))));
        ShardNode draining = fixture.startNode(ShardNodeConfig.local("test", "n-drain",
                fixture.root.resolve("n-drain-" + UUID.randomUUID())).withProperties(nodeProperties()), catalog,
                fixture.store);
        assertThat(draining.awaitReady(Duration.ofSeconds(20))).isTrue();
        draining.context().getBean(ShardNodeRuntime.class).drain();
        // WHEN searched, in either form THEN 503 shutting_down
        HttpResponse<String> json = fixture.post(draining.endpoint(), ShardServiceFixture.searchPath(other, 0),
                request(new float[] {1, 0, 0, 0}, 5));
        assertError(json, 503, "shutting_down", "node n-drain is shutting down");
    }
}
