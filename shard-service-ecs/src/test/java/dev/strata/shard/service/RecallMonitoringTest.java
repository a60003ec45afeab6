package dev.strata.shard.service;

import dev.strata.api.Document;
import dev.strata.catalog.Catalog;
import dev.strata.catalog.CollectionRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * DESIGN §13: with every search sampled, {@code search_recall_estimate{collection}} tells the recall of what was
 * served. Data: 4,000 random Gaussian vectors of 64 dimensions in one segment, hard enough that a graph walk with a
 * search width of k misses neighbours, while the default width finds nearly all of them.
 */
class RecallMonitoringTest {

    private static final int DIMENSION = 32;
    private static final int ROWS = 3_000;
    private static final int QUERIES = 60;
    private static ShardServiceFixture fixture;
    private static CollectionRecord wide;
    private static CollectionRecord narrow;
    private static Catalog catalog;

    @BeforeAll
    static void collections() {
        fixture = ShardServiceFixture.shared();
        catalog = fixture.newCatalog();
        List<Document> docs = ShardServiceFixture.documents("r", ROWS, DIMENSION, 21);
        wide = commit(catalog.createCollection("acme", "wide", ShardServiceFixture.spec(DIMENSION, 1, 1), "test"), docs);
        narrow = commit(catalog.createCollection("acme", "narrow", ShardServiceFixture.spec(DIMENSION, 1, 1), "test"), docs);
    }

    @AfterEach
    void stop() {
        fixture.stopNodes();
    }

    @Test
    void recallEstimateIsExportedPerCollectionAndFallsWithATinySearchWidth() throws InterruptedException {
        // GIVEN a node sampling every search
        ShardNode node = startNode("recall-1", Map.of("strata.recall.sample-rate", 1.0,
                "strata.recall.max-per-second", 1_000, "strata.recall.queue-capacity", 256));
        URI endpoint = node.endpoint();
        // WHEN one collection is searched with the default width and the other with a width of k
        searches(endpoint, wide, null);
        searches(endpoint, narrow, 1);
        // THEN both estimates are exported once their samples ran: near 1 for the first, clearly lower for the second
        assertThat(ShardServiceFixture.eventually(Duration.ofSeconds(30), () -> samples(endpoint, "acme/wide") >= QUERIES
                && samples(endpoint, "acme/narrow") >= QUERIES)).isTrue();
        double wideRecall = estimate(endpoint, "acme/wide");
        double narrowRecall = estimate(endpoint, "acme/narrow");
        System.err.printf("recall estimate: default width %.3f, width k %.3f%n", wideRecall, narrowRecall);
        assertThat(wideRecall).isBetween(0.9, 1.0);
        assertThat(narrowRecall).isLessThan(0.9).isLessThan(wideRecall - 0.05);
    }

    @Test
    void noRecallMetersWhenSamplingIsOff() throws InterruptedException {
        // GIVEN a node with sampling off
        ShardNode node = startNode("recall-off", Map.of("strata.recall.sample-rate", 0));
        // WHEN it serves searches
        searches(node.endpoint(), wide, null);
        // THEN /metrics has no recall estimate and no sample counter
        String metrics = fixture.get(node.endpoint(), "/metrics").body();
        assertThat(metrics).contains("search_qps_total").doesNotContain("search_recall");
    }

    @Test
    void samplesBeyondTheRateBoundAreDroppedAndCounted() throws InterruptedException {
        // GIVEN a node sampling every search but re-running at most one a second
        ShardNode node = startNode("recall-bounded", Map.of("strata.recall.sample-rate", 1.0,
                "strata.recall.max-per-second", 1));
        URI endpoint = node.endpoint();
        // WHEN it serves a burst of searches
        long started = System.nanoTime();
        searches(endpoint, wide, null);
        long seconds = (System.nanoTime() - started) / 1_000_000_000L;
        // THEN every search was answered, at most one sample a second started, and the rest were counted as dropped
        assertThat(ShardServiceFixture.eventually(Duration.ofSeconds(10), () -> samples(endpoint, "acme/wide")
                + metric(endpoint, "search_recall_samples_dropped_total") == QUERIES)).isTrue();
        assertThat(samples(endpoint, "acme/wide")).isBetween(1.0, seconds + 2.0);
    }

    @Test
    void estimateOfACollectionThatLeftTheNodeIsRemoved() throws InterruptedException {
        // GIVEN a node that sampled searches of a small collection
        CollectionRecord dropped = commit(catalog.createCollection("acme", "dropped",
                ShardServiceFixture.spec(DIMENSION, 1, 1), "test"), ShardServiceFixture.documents("d", 50, DIMENSION, 22));
        ShardNode node = startNode("recall-drop", Map.of("strata.recall.sample-rate", 1.0));
        URI endpoint = node.endpoint();
        fixture.post(endpoint, ShardServiceFixture.searchPath(dropped, 0), Map.of("vector", new float[DIMENSION], "k", 5));
        assertThat(ShardServiceFixture.eventually(Duration.ofSeconds(10),
                () -> estimate(endpoint, "acme/dropped") == 1.0)).isTrue();
        // WHEN the collection is dropped (its shard leaves the node)
        catalog.dropCollection("acme", "dropped");
        // THEN its estimate and sample counter are no longer exported
        assertThat(ShardServiceFixture.eventually(Duration.ofSeconds(10),
                () -> !fixture.get(endpoint, "/metrics").body().contains("collection=\"acme/dropped\""))).isTrue();
    }

    private static ShardNode startNode(String nodeId, Map<String, Object> properties) throws InterruptedException {
        ShardNodeConfig config = ShardNodeConfig.local("test", nodeId, fixture.root.resolve(nodeId + "-" + UUID.randomUUID()))
                .withHeartbeat(Duration.ofMillis(250), Duration.ofSeconds(2))
                .withProperties(properties);
        ShardNode node = fixture.startNode(config, catalog, fixture.store);
        assertThat(node.awaitReady(Duration.ofSeconds(60))).isTrue();
        return node;
    }

    private static CollectionRecord commit(CollectionRecord collection, List<Document> docs) {
        return ShardServiceFixture.commit(catalog, collection, Map.of(0, List.of(
                fixture.writeSegment(fixture.store, collection, 0, docs, List.of()))));
    }

    /** {@link #QUERIES} searches for k = 10 with random query vectors (the same ones for every collection). */
    private static void searches(URI endpoint, CollectionRecord collection, Integer searchWidth) {
        Random random = new Random(99);
        for (int q = 0; q < QUERIES; q++) {
            float[] vector = new float[DIMENSION];
            for (int d = 0; d < DIMENSION; d++) {
                vector[d] = (float) random.nextGaussian();
            }
            Map<String, Object> body = new HashMap<>(Map.of("vector", vector, "k", 10));
            if (searchWidth != null) {
                body.put("searchWidth", searchWidth);
            }
            HttpResponse<String> response = fixture.post(endpoint, ShardServiceFixture.searchPath(collection, 0), body);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        }
    }

    private static double samples(URI endpoint, String collection) {
        return metric(endpoint, "search_recall_samples_total{collection=\"" + collection + "\"}");
    }

    private static double estimate(URI endpoint, String collection) {
        return metric(endpoint, "search_recall_estimate{collection=\"" + collection + "\"}");
    }

    private static double metric(URI endpoint, String series) {
        Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.E-]+|NaN)")
                .matcher(fixture.get(endpoint, "/metrics").body());
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : -1;
    }
}
