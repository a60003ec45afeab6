package dev.strata.router;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.api.Document;
import dev.strata.api.Metric;
import dev.strata.router.search.QueryEmbeddings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Search through one entry point: exact top-k over four shards and two replicas, filters and includes, every
 * validation rule, the versioned cache, {@code fresh} and {@code minVersion}, partial answers and text queries.
 */
abstract class SearchContract extends ContractBase {

    static final int DIM = 8;

    @AfterEach
    void healFleet() throws InterruptedException {
        if (fixture.fleet.nodes().stream().anyMatch(n -> n.failing)) {
            Thread.sleep(150);
        }
        for (ShardFleet.FleetNode n : fixture.fleet.nodes()) {
            n.failing = false;
            n.frozen = false;
            n.delayMillis = 0;
        }
    }

    private String filledCollection(List<Document> docs) {
        String name = newCollection(DIM);
        commit(name, docs);
        return name;
    }

    private static List<String> exactTopK(List<Document> docs, float[] q, int k) {
        return docs.stream()
                .sorted(Comparator.comparingDouble((Document d) -> -ShardFleet.FleetNode.score(Metric.COSINE, q, d.vector()))
                        .thenComparing(Document::id))
                .limit(k).map(Document::id).toList();
    }

    @Test
    void searchReturnsTheExactTopKAcrossShards() {
        // GIVEN 200 documents over 4 shards
        List<Document> docs = randomDocuments(200, DIM, 7);
        String name = filledCollection(docs);
        float[] q = docs.get(3).vector();
        // WHEN a reader searches with k=10
        Reply r = api().post("/v1/collections/" + name + "/search", newKey("reader"),
                "{\"vector\":" + json(q) + ",\"k\":10}");
        // THEN the ten nearest of all shards, with version, lag, completeness and time
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode body = r.json();
        assertThat(ids(body.get("matches"))).containsExactlyElementsOf(exactTopK(docs, q, 10));
        assertThat(body.get("matches").get(0).get("id").asText()).isEqualTo("doc-3");
        assertThat(body.get("version").asLong()).isEqualTo(1);
        assertThat(body.get("lagMs").asLong()).isZero();
        assertThat(body.get("partial").asBoolean()).isFalse();
        assertThat(body.get("tookMs").asDouble()).isPositive();
        assertThat(body.get("matches").get(0).has("metadata")).isFalse();
    }

    @Test
    void filterAndIncludeShapeTheMatches() {
        List<Document> docs = randomDocuments(100, DIM, 11);
        String name = filledCollection(docs);
        Reply r = api().post("/v1/collections/" + name + "/search", RouterFixture.ADMIN_KEY,
                "{\"vector\":" + json(docs.get(0).vector()) + ",\"k\":5,\"filter\":{\"lang\":\"de\"},"
                        + "\"include\":[\"metadata\",\"text\"]}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        List<Document> german = docs.stream().filter(d -> "de".equals(d.metadata().get("lang"))).toList();
        assertThat(ids(r.json().get("matches"))).containsExactlyElementsOf(exactTopK(german, docs.get(0).vector(), 5));
        r.json().get("matches").forEach(m -> {
            assertThat(m.at("/metadata/lang").asText()).isEqualTo("de");
            assertThat(m.get("text").asText()).startsWith("passage ");
        });
    }

    @Test
    void aCommitInvalidatesCachedAnswers() {
        // GIVEN a search answered once (and cached under version 1)
        List<Document> docs = randomDocuments(50, DIM, 13);
        String name = filledCollection(docs);
        float[] q = docs.get(5).vector();
        String body = "{\"vector\":" + json(q) + ",\"k\":3}";
        Reply first = api().post("/v1/collections/" + name + "/search", RouterFixture.ADMIN_KEY, body);
        int calls = totalCalls();
        // WHEN it is repeated, THEN no shard is called
        Reply second = api().post("/v1/collections/" + name + "/search", RouterFixture.ADMIN_KEY, body);
        assertThat(totalCalls()).isEqualTo(calls);
        assertThat(ids(second.json().get("matches"))).isEqualTo(ids(first.json().get("matches")));
        // WHEN a commit adds a nearer document (the query itself, scaled)
        float[] nearer = q.clone();
        long v2 = commit(name, List.of(new Document("fresh-doc", nearer, null, Map.of())));
        // THEN the next search is answered by the shards at the new version and shows it
        Reply third = api().post("/v1/collections/" + name + "/search", RouterFixture.ADMIN_KEY, body);
        assertThat(totalCalls()).isGreaterThan(calls);
        assertThat(third.json().get("version").asLong()).isEqualTo(v2);
        assertThat(ids(third.json().get("matches"))).contains("fresh-doc");
    }

    @Test
    void freshReadUsesOnlyReplicasThatAppliedTheLatestVersion() {
        // GIVEN node-1 frozen at version 1 while version 2 commits
        List<Document> docs = randomDocuments(60, DIM, 17);
        String name = filledCollection(docs);
        fixture.fleet.node("node-1").frozen = true;
        long v2 = commit(name, List.of(new Document("late", docs.get(0).vector(), null, Map.of())));
        // WHEN a fresh search runs
        Reply r = api().post("/v1/collections/" + name + "/search", RouterFixture.ADMIN_KEY,
                "{\"vector\":" + json(docs.get(0).vector()) + ",\"k\":3,\"consistency\":\"fresh\"}");
        // THEN it is answered at version 2 (by the replicas that have it), complete
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().get("version").asLong()).isEqualTo(v2);
        assertThat(r.json().get("partial").asBoolean()).isFalse();
        assertThat(ids(r.json().get("matches"))).contains("late");
    }

    @Test
    void freshReadWithNoCaughtUpReplicaIs503NotFresh() {
        List<Document> docs = randomDocuments(20, DIM, 19);
        String name = filledCollection(docs);
        fixture.fleet.nodes().forEach(n -> n.frozen = true);
        long v2 = commit(name, List.of(new Document("late", docs.get(0).vector(), null, Map.of())));
        Reply r = api().post("/v1/collections/" + name + "/search", RouterFixture.ADMIN_KEY,
                "{\"vector\":" + json(docs.get(0).vector()) + ",\"consistency\":\"fresh\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(503);
        assertThat(r.errorCode()).isEqualTo("not_fresh");
        assertThat(r.errorMessage()).contains("version " + v2);
        // and a bounded read still answers, stating the older version it served
        Reply bounded = api().post("/v1/collections/" + name + "/search", RouterFixture.ADMIN_KEY,
                "{\"vector\":" + json(docs.get(0).vector()) + "}");
        assertThat(bounded.status()).isEqualTo(200);
        assertThat(bounded.json().get("version").asLong()).isEqualTo(v2 - 1);
    }

    @Test
    void minVersionAboveTheCommittedVersionIs503() {
        String name = filledCollection(randomDocuments(10, DIM, 23));
        Reply r = api().post("/v1/collections/" + name + "/search", RouterFixture.ADMIN_KEY,
                "{\"vector\":" + json(new float[DIM]) .replace("0.0", "0.5") + ",\"minVersion\":9}");
        assertThat(r.status()).as(r.body()).isEqualTo(503);
        assertThat(r.errorCode()).isEqualTo("not_fresh");
        assertThat(r.errorMessage()).contains("minVersion 9");
    }

    @Test
    void minVersionReadsYourWrite() {
        List<Document> docs = randomDocuments(20, DIM, 29);
        String name = filledCollection(docs);
        fixture.fleet.node("node-2").frozen = true;
        long v2 = commit(name, List.of(new Document("mine", docs.get(1).vector(), null, Map.of())));
        Reply r = api().post("/v1/collections/" + name + "/search", RouterFixture.ADMIN_KEY,
                "{\"vector\":" + json(docs.get(1).vector()) + ",\"k\":2,\"minVersion\":" + v2 + "}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().get("version").asLong()).isGreaterThanOrEqualTo(v2);
        assertThat(ids(r.json().get("matches"))).contains("mine");
    }

    @Test
    void failedNodesGiveAPartialAnswerNamingTheMissingShards() {
        // GIVEN every node but one failing
        List<Document> docs = randomDocuments(80, DIM, 31);
        String name = filledCollection(docs);
        fixture.fleet.node("node-1").failing = true;
        fixture.fleet.node("node-2").failing = true;
        // WHEN a search runs
        Reply r = api().post("/v1/collections/" + name + "/search", RouterFixture.ADMIN_KEY,
                "{\"vector\":" + json(docs.get(0).vector()) + "}");
        // THEN shards whose replicas all failed are named; the others answered
        List<Integer> expectedMissing = fixture.fleet.shardsWithoutReplicaOn(RouterFixture.TENANT, name, 4, 2, "node-3");
        if (expectedMissing.isEmpty()) {
            assertThat(r.json().get("partial").asBoolean()).isFalse();
        } else if (expectedMissing.size() == 4) {
            assertThat(r.status()).isEqualTo(503);
        } else {
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            assertThat(r.json().get("partial").asBoolean()).isTrue();
            List<Integer> missing = new java.util.ArrayList<>();
            r.json().get("missingShards").forEach(s -> missing.add(s.asInt()));
            assertThat(missing).containsExactlyElementsOf(expectedMissing);
        }
    }

    @Test
    void aReplicaKnownToBeSlowIsCalledOnlyAfterTheOthers() {
        // GIVEN a collection over three nodes with two replicas per shard, and one node answering 40 ms late
        List<Document> docs = randomDocuments(120, DIM, 37);
        String name = filledCollection(docs);
        ShardFleet.FleetNode slow = fixture.fleet.node("node-1");
        slow.delayMillis = 40;
        // WHEN searches run long enough for the router to have seen that node's latency
        for (int i = 0; i < 10; i++) {
            search(name, docs.get(i).vector());
        }
        int before = slow.calls.get();
        for (int i = 10; i < 40; i++) {
            Reply r = search(name, docs.get(i).vector());
            assertThat(r.json().get("partial").asBoolean()).as(r.body()).isFalse();
        }
        // THEN its shards are served by their other replica: the slow node is called only when its latency is
        // forgotten (then relearned) or as a hedge, never for most of the 30 searches (120 shard calls)
        assertThat(slow.calls.get() - before).isLessThanOrEqualTo(6);
    }

    private Reply search(String collection, float[] vector) {
        Reply r = api().post("/v1/collections/" + collection + "/search", RouterFixture.ADMIN_KEY,
                "{\"vector\":" + json(vector) + ",\"k\":3}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r;
    }

    @Test
    void textQueryIsEmbeddedWithTheCollectionsModelAndCached() {
        String name = "t" + NAMES.incrementAndGet();
        assertThat(api().put("/v1/collections/" + name, RouterFixture.ADMIN_KEY,
                "{\"dimension\":" + DIM + ",\"shards\":2,\"embedding\":\"toy-8\"}").status()).isEqualTo(201);
        HashEmbedder embedder = new HashEmbedder("toy-8", DIM);
        commit(name, List.of(new Document("q", embedder.embed("what is a shard"), null, Map.of()),
                new Document("other", embedder.embed("unrelated words"), null, Map.of())));
        Reply r = api().post("/v1/collections/" + name + "/search", RouterFixture.ADMIN_KEY,
                "{\"text\":\"what is a shard\",\"k\":1}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(ids(r.json().get("matches"))).containsExactly("q");
        assertThat(fixture.context.getBean(QueryEmbeddings.class).size()).isPositive();
    }

    @Test
    void emptyCollectionAnswersNoMatchesAtVersionZero() {
        String name = newCollection(DIM);
        Reply r = api().post("/v1/collections/" + name + "/search", RouterFixture.ADMIN_KEY,
                "{\"vector\":" + json(randomDocuments(1, DIM, 1).get(0).vector()) + "}");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("matches")).isEmpty();
        assertThat(r.json().get("version").asLong()).isZero();
    }

    @Test
    void vectorOfTheWrongDimensionIs400() {
        String name = newCollection(DIM);
        assertInvalid(name, "{\"vector\":[1,2,3]}", "invalid_request",
                "vector has 3 values; collection '" + name + "' has dimension 8");
    }

    @Test
    void nanInTheVectorIs400() {
        String name = newCollection(DIM);
        assertInvalid(name, "{\"vector\":[\"NaN\",0,0,0,0,0,0,1]}", "invalid_request", "vector[0] is NaN");
    }

    @Test
    void kOutsideOneToAThousandIs400() {
        String name = newCollection(DIM);
        String v = json(randomDocuments(1, DIM, 2).get(0).vector());
        assertInvalid(name, "{\"vector\":" + v + ",\"k\":0}", "invalid_request", "k is 0; it must be between 1 and 1000");
        assertInvalid(name, "{\"vector\":" + v + ",\"k\":1001}", "invalid_request", "k is 1001");
    }

    @Test
    void badFilterIs400NamingThePath() {
        String name = newCollection(DIM);
        String v = json(randomDocuments(1, DIM, 3).get(0).vector());
        assertInvalid(name, "{\"vector\":" + v + ",\"filter\":{\"year\":{\"$gte\":{}}}}", "invalid_filter", "year");
    }

    @Test
    void unknownSearchFieldIs400() {
        String name = newCollection(DIM);
        assertInvalid(name, "{\"vectors\":[1]}", "unknown_field", "'vectors'");
    }

    @Test
    void blankTextIs400EmptyText() {
        String name = newCollection(DIM);
        assertInvalid(name, "{\"text\":\"   \"}", "empty_text", "text is blank");
    }

    @Test
    void textOnACollectionWithoutModelIs400() {
        String name = newCollection(DIM);
        assertInvalid(name, "{\"text\":\"hello\"}", "no_embedding_model", "has no embedding model");
    }

    @Test
    void vectorAndTextTogetherIs400() {
        String name = newCollection(DIM);
        assertInvalid(name, "{\"text\":\"hello\",\"vector\":[1]}", "invalid_request", "either vector or text");
    }

    @Test
    void unknownIncludeIs400() {
        String name = newCollection(DIM);
        String v = json(randomDocuments(1, DIM, 4).get(0).vector());
        assertInvalid(name, "{\"vector\":" + v + ",\"include\":[\"vector\"]}", "invalid_request", "include has 'vector'");
    }

    private void assertInvalid(String collection, String body, String code, String message) {
        Reply r = api().post("/v1/collections/" + collection + "/search", RouterFixture.ADMIN_KEY, body);
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.errorCode()).isEqualTo(code);
        assertThat(r.errorMessage()).contains(message);
    }

    private int totalCalls() {
        return fixture.fleet.nodes().stream().mapToInt(n -> n.calls.get()).sum();
    }
}
