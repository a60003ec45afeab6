package dev.strata.local.e2e;

import dev.strata.api.CollectionSpec;
import dev.strata.api.Document;
import dev.strata.api.Metric;
import dev.strata.api.SearchRequest;
import dev.strata.api.SearchResponse;
import dev.strata.api.Sharding;
import dev.strata.local.LocalSystem;
import dev.strata.local.client.StrataHttpClient;
import dev.strata.local.demo.DemoCorpus;
import dev.strata.local.isolation.LocalShardNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cross-region fallback (DESIGN §6, §13) with real shard-service nodes in two regions: the router's own region
 * ({@value LocalSystem#REGION}) and a peer region whose nodes register in the same catalog and place every shard
 * among themselves. When the router's region loses all its nodes, answers come from the peer's replicas and say
 * so in {@code servedFrom}; read-your-writes ({@code minVersion}) holds there too.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class CrossRegionEndToEndTest {
    private static final String PEER = "peer-region";
    private static final String COLLECTION = "e2e-xregion";
    private static LocalSystem system;
    private static StrataHttpClient admin;
    private static List<Document> docs;

    @BeforeAll
    static void start() throws Exception {
        system = LocalSystem.start(LocalSystem.Config.forTests(2)
                .withRouterProperties(Map.of("strata.router.fallback-regions", PEER)));
        system.startNode(PEER, Map.of());
        system.startNode(PEER, Map.of());
        assertThat(system.awaitReady(Duration.ofSeconds(60))).isTrue();
        admin = system.client();
        docs = DemoCorpus.documents().subList(0, 600);
        admin.createCollection(COLLECTION, new CollectionSpec(384, Metric.COSINE, 4, 1, Sharding.HASH, null, null, 0));
        admin.upsert(COLLECTION, docs, true);
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void whenItsRegionHasNoNodeLeftTheRouterIsAnsweredByThePeerRegionAndSaysSo() throws Exception {
        float[] query = docs.get(7).vector();
        // GIVEN both regions serving: the router's own region answers (once the router's catalog cache has seen
        // the batch's version and its nodes have loaded it; until then the peer's replicas may answer)
        SearchResponse local = awaitAnswer(StrataHttpClient.vectorQuery(query, 5),
                r -> !r.matches().isEmpty() && (r.servedFrom() == null || r.servedFrom().isEmpty()));
        assertThat(local.matches().getFirst().id()).isEqualTo(docs.get(7).id());

        // WHEN every node of the router's region dies
        for (LocalShardNode node : system.nodes()) {
            if (node.region().equals(LocalSystem.REGION)) {
                system.killNode(node);
            }
        }

        // THEN the query is answered in full by the peer region's replicas, which the answer names (k = 6: the
        // router's result cache holds the k = 5 answer of this version, and would answer without any shard)
        SearchResponse fallback = awaitAnswer(StrataHttpClient.vectorQuery(query, 6), r -> !r.matches().isEmpty());
        assertThat(fallback.servedFrom()).as("answer %s", fallback).containsExactly(PEER);
        assertThat(fallback.partial()).isFalse();
        assertThat(fallback.matches().subList(0, 5)).extracting(m -> m.id())
                .containsExactlyElementsOf(local.matches().stream().map(m -> m.id()).toList());

        // AND a write made now is read back through the peer with minVersion (read-your-writes across regions)
        Document fresh = new Document("xregion-new", docs.get(11).vector(), null, Map.of("lang", "en"));
        long version = admin.upsert(COLLECTION, List.of(fresh), true).get("version").asLong();
        SearchResponse afterWrite = admin.search(COLLECTION, new SearchRequest(fresh.vector(), null, 3, null, null,
                null, version, null));
        assertThat(afterWrite.version()).isGreaterThanOrEqualTo(version);
        assertThat(afterWrite.servedFrom()).containsExactly(PEER);
        assertThat(afterWrite.matches()).extracting(m -> m.id()).contains("xregion-new");
    }

    /** The first complete answer that {@code wanted} accepts within 20 s (placement settles after nodes join or die). */
    private static SearchResponse awaitAnswer(SearchRequest request, Predicate<SearchResponse> wanted)
            throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        SearchResponse last = null;
        RuntimeException failure = null;
        while (System.nanoTime() < deadline) {
            try {
                last = admin.search(COLLECTION, request);
                if (!last.partial() && wanted.test(last)) {
                    return last;
                }
            } catch (RuntimeException e) {
                failure = e;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no complete answer in 20 s; last: " + last, failure);
    }
}
