package dev.strata.local.e2e;

import dev.strata.api.CollectionSpec;
import dev.strata.api.Document;
import dev.strata.api.Metric;
import dev.strata.api.Sharding;
import dev.strata.local.LocalSystem;
import dev.strata.local.client.StrataHttpClient;
import dev.strata.local.client.StrataHttpClient.Answer;
import dev.strata.local.demo.DemoCorpus;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.core.sync.RequestBody;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bad-input matrix over HTTP: each bad request gets its own 4xx status, code and a message naming the field,
 * the value and the limit; and nothing already stored, nor any good line of the same S3 batch, is lost.
 */
class BadInputEndToEndTest {
    private static final String COLLECTION = "e2e-bad";
    private static final String VECTORS_ONLY = "e2e-bad-vectors";
    private static StrataHttpClient admin;
    private static List<Document> docs;
    private static LocalSystem system;

    @BeforeAll
    static void createCollections() {
        system = SharedSystem.get();
        admin = system.client();
        docs = DemoCorpus.documents().subList(0, 50);
        admin.createCollection(COLLECTION, new CollectionSpec(384, Metric.COSINE, 2, 1, Sharding.HASH,
                "all-minilm-l6-v2", null, 0));
        admin.createCollection(VECTORS_ONLY, new CollectionSpec(384, Metric.COSINE, 1, 1, Sharding.HASH,
                null, null, 0));
        admin.upsert(COLLECTION, docs, true);
    }

    static Stream<Arguments> badRequests() {
        String search = "/v1/collections/" + COLLECTION + "/search";
        String documents = "/v1/collections/" + COLLECTION + "/documents";
        float[] good = new float[384];
        good[0] = 1;
        List<Map<String, Object>> tooMany = IntStream.range(0, 1001)
                .mapToObj(i -> Map.<String, Object>of("id", "x" + i, "vector", good)).toList();
        return Stream.of(
                bad("search vector of the wrong dimension", "POST", search, Map.of("vector", new float[]{1, 2, 3}),
                        400, "invalid_request", "has 3 values; collection 'e2e-bad' has dimension 384"),
                bad("k of zero", "POST", search, Map.of("vector", good, "k", 0), 400, "invalid_request", "k is 0"),
                bad("k above the limit", "POST", search, Map.of("vector", good, "k", 1001), 400, "invalid_request",
                        "k is 1001"),
                bad("both vector and text", "POST", search, Map.of("vector", good, "text", "hi"), 400,
                        "invalid_request", "text"),
                bad("neither vector nor text", "POST", search, Map.of("k", 3), 400, "invalid_request", "vector"),
                bad("unknown consistency", "POST", search, Map.of("vector", good, "consistency", "strong"), 400,
                        "invalid_request", "strong"),
                bad("unknown filter operator", "POST", search,
                        Map.of("vector", good, "filter", Map.of("service", Map.of("$regex", "s3"))), 400,
                        "invalid_filter", "$regex"),
                bad("malformed JSON", "POST", search, "{\"vector\": [1, 2", 400, "invalid_request", null),
                bad("text query on a collection without a model", "POST",
                        "/v1/collections/" + VECTORS_ONLY + "/search", Map.of("text", "hello"), 400, null, "model"),
                bad("search of an unknown collection", "POST", "/v1/collections/nope/search",
                        Map.of("vector", good), 404, "collection_not_found", "'nope'"),
                bad("document vector of the wrong dimension", "POST", documents, Map.of("documents", List.of(
                        Map.of("id", "ok-1", "vector", good), Map.of("id", "bad-1", "vector", new float[]{1}))),
                        400, "invalid_request", "documents[1].vector has 1 values"),
                bad("document id over 512 bytes", "POST", documents, Map.of("documents", List.of(
                        Map.of("id", "x".repeat(600), "vector", good))), 400, "invalid_request", "600 bytes"),
                bad("nested metadata", "POST", documents, Map.of("documents", List.of(
                        Map.of("id", "n-1", "vector", good, "metadata", Map.of("a", Map.of("b", 1))))),
                        400, "invalid_request", "documents[0].metadata.a"),
                bad("document with neither vector nor text", "POST", documents,
                        Map.of("documents", List.of(Map.of("id", "e-1"))), 400, "invalid_request", "neither"),
                bad("more than 1000 documents in one call", "POST", documents, Map.of("documents", tooMany), 413,
                        "payload_too_large", "1001"),
                bad("empty batch", "POST", documents, Map.of("documents", List.of()), 400, "invalid_request",
                        "empty"),
                bad("collection of dimension 0", "PUT", "/v1/collections/e2e-dim0",
                        Map.of("dimension", 0, "shards", 1), 400, "invalid_request", "dimension is 0"),
                bad("collection with too many shards", "PUT", "/v1/collections/e2e-shards",
                        Map.of("dimension", 8, "shards", 257), 400, "invalid_request", "shards is 257"),
                bad("invalid collection name", "PUT", "/v1/collections/Bad_Name",
                        Map.of("dimension", 8), 400, "invalid_request", "'Bad_Name'"),
                bad("unknown metric", "PUT", "/v1/collections/e2e-metric",
                        Map.of("dimension", 8, "metric", "hamming"), 400, "invalid_request", "hamming"),
                bad("collection that exists", "PUT", "/v1/collections/" + COLLECTION,
                        Map.of("dimension", 384), 409, null, COLLECTION));
    }

    private static Arguments bad(String what, String method, String path, Object body, int status, String code,
                                 String messagePart) {
        return Arguments.of(what, method, path, body, status, code, messagePart);
    }

    @ParameterizedTest(name = "{0} -> {4}")
    @MethodSource("badRequests")
    void aBadRequestGetsItsOwnStatusCodeAndMessage(String what, String method, String path, Object body, int status,
                                                   String code, String messagePart) {
        // WHEN the bad request is sent
        Answer answer = admin.send(method, path, body);
        // THEN it is refused with its status, its code and a message naming the problem
        assertThat(answer.status()).as(what + ": " + answer.body()).isEqualTo(status);
        if (code != null) {
            assertThat(answer.errorCode()).as(what).isEqualTo(code);
        }
        assertThat(answer.errorMessage()).as(what).isNotBlank();
        if (messagePart != null) {
            assertThat(answer.errorMessage()).as(what).contains(messagePart);
        }
        // AND nothing stored is lost
        assertThat(admin.describeCollection(COLLECTION).path("documentCount").asLong())
                .isGreaterThanOrEqualTo(docs.size());
    }

    @Test
    void badLinesOfAnS3BatchAreRejectedAndTheGoodOnesApplied() {
        // GIVEN an ingest object mixing good lines with a wrong dimension, a NaN-free non-number, broken JSON and
        // a tombstone carrying a vector
        List<String> lines = new ArrayList<>();
        float[] v = docs.get(0).vector();
        lines.add(line("s3-good-1", v));
        lines.add("{\"id\":\"s3-bad-dim\",\"vector\":[1.0,2.0]}");
        lines.add(line("s3-good-2", docs.get(1).vector()));
        lines.add("{\"id\":\"s3-bad-json\",\"vector\":[1.0,");
        lines.add("{\"id\":\"s3-bad-value\",\"vector\":\"not numbers\"}");
        lines.add(line("s3-good-3", docs.get(2).vector()));
        String key = "ingest/" + LocalSystem.TENANT + "/" + VECTORS_ONLY + "/mixed-1.jsonl";
        // WHEN it is uploaded
        system.s3().putObject(b -> b.bucket(system.bucket()).key(key),
                RequestBody.fromString(String.join("\n", lines) + "\n"));
        // THEN the three good lines are applied and searchable, the three bad ones are not
        Waits.until("mixed batch applied", Duration.ofSeconds(60), () ->
                admin.describeCollection(VECTORS_ONLY).path("documentCount").asLong() == 3 ? true : null);
        for (int i = 0; i < 3; i++) {
            // the count comes from the catalog; the replicas may still be loading the new segment
            float[] query = docs.get(i).vector();
            String expected = "s3-good-" + (i + 1);
            Waits.until(expected + " served", Duration.ofSeconds(30), () -> {
                Answer a = admin.send("POST", "/v1/collections/" + VECTORS_ONLY + "/search",
                        StrataHttpClient.vectorQuery(query, 1));
                return a.status() == 200 && a.json().path("matches").path(0).path("id").asText().equals(expected)
                        ? true : null;
            });
        }
    }

    @Test
    void aRefusedApiBatchLeavesTheCollectionAsItWas() {
        // GIVEN the collection's state
        long before = admin.describeCollection(COLLECTION).path("version").asLong();
        // WHEN a batch with one bad document among good ones is posted
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Map<String, Object> d = new HashMap<>();
            d.put("id", "api-mixed-" + i);
            d.put("vector", i == 3 ? Collections.nCopies(384, "x") : docs.get(i).vector());
            batch.add(d);
        }
        Answer answer = admin.send("POST", "/v1/collections/" + COLLECTION + "/documents?wait=true",
                Map.of("documents", batch));
        // THEN the whole call is refused before anything is written (the caller can fix and resend it)
        assertThat(answer.status()).isEqualTo(400);
        assertThat(admin.describeCollection(COLLECTION).path("version").asLong()).isEqualTo(before);
        assertThat(admin.search(COLLECTION, StrataHttpClient.vectorQuery(docs.get(0).vector(), 1)).matches()
                .get(0).id()).isEqualTo(docs.get(0).id());
    }

    private static String line(String id, float[] v) {
        StringBuilder sb = new StringBuilder("{\"id\":\"").append(id).append("\",\"vector\":[");
        for (int i = 0; i < v.length; i++) {
            sb.append(i == 0 ? "" : ",").append(v[i]);
        }
        return sb.append("]}").toString();
    }
}
