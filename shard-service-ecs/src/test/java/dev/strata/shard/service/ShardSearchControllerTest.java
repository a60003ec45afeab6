package dev.strata.shard.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.catalog.Catalog;
import dev.strata.catalog.CollectionRecord;
import dev.strata.catalog.SegmentRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The search endpoint of one node over HTTP: answers, and every bad input with its status, code and message. */
class ShardSearchControllerTest {

    private static ShardServiceFixture fixture;
    private static CollectionRecord collection;
    private static URI node;
    private static List<dev.strata.api.Document> docs;

    @BeforeAll
    static void startNodeWithOneCommittedSegment() throws InterruptedException {
        fixture = ShardServiceFixture.shared();
        Catalog catalog = fixture.newCatalog();
        collection = catalog.createCollection("acme", "docs", ShardServiceFixture.spec(4, 1, 1), "test");
        docs = ShardServiceFixture.documents("d", 200, 4, 7);
        SegmentRef segment = fixture.writeSegment(fixture.store, collection, 0, docs, List.of());
        collection = ShardServiceFixture.commit(catalog, collection, Map.of(0, List.of(segment)));
        ShardNode started = fixture.startNode("n1", catalog, fixture.store);
        assertThat(started.awaitReady(Duration.ofSeconds(20))).isTrue();
        node = started.endpoint();
    }

    @AfterAll
    static void stop() {
        fixture.stopNodes();
    }

    private static Map<String, Object> request(Object vector, int k) {
        Map<String, Object> body = new HashMap<>();
        body.put("vector", vector);
        body.put("k", k);
        return body;
    }

    private static HttpResponse<String> search(Object body) {
        return fixture.post(node, ShardServiceFixture.searchPath(collection, 0), body);
    }

    private static void assertError(HttpResponse<String> response, int status, String code, String message) {
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
}
