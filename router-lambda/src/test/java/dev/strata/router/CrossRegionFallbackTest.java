package dev.strata.router;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.api.Document;
import dev.strata.api.Metric;
import dev.strata.placement.PlacementTable;
import dev.strata.router.scatter.NodeBreakers;
import dev.strata.router.telemetry.MicrometerRouterMetrics;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cross-region replica fallback (DESIGN §6, §13) with real HTTP shard nodes: nodes of two regions heartbeat into
 * one DynamoDB Local catalog (as the global table holds every region's), each test names its own two regions, and a
 * router of the first region (with or without the second as fallback) calls the nodes with the production HTTP
 * shard client.
 */
class CrossRegionFallbackTest extends ContractBase {

    private static final int DIM = 8;

    @Override
    protected Api api() {
        return fixture.lambda();
    }

    private RouterFixture.Router router(String region, String fallbackRegions) {
        Map<String, Object> properties = new java.util.HashMap<>(Map.of(
                "strata.router.region", region,
                "strata.router.fresh-wait", "300ms",
                // generous: the first calls of a cold JVM on a busy machine are slow, and timing is not under test
                "strata.router.shard-timeout", "2s",
                // a held-back local replica stays within the bound for bounded reads however slow the machine is
                "strata.router.lag-bound", "120s",
                "strata.router.breaker-open-for", "30s"));
        if (fallbackRegions != null) {
            properties.put("strata.router.fallback-regions", fallbackRegions);
        }
        return fixture.router(properties);
    }

    private String filledCollection(List<Document> docs) {
        String name = newCollection(DIM);
        commit(name, docs);
        return name;
    }

    private static Reply search(RouterFixture.Router router, String collection, float[] q, String extra) {
        return router.api().post("/v1/collections/" + collection + "/search", RouterFixture.ADMIN_KEY,
                "{\"vector\":" + json(q) + ",\"k\":10" + extra + "}");
    }

    private static List<String> exactTopK(List<Document> docs, float[] q, int k) {
        return docs.stream()
                .sorted(Comparator.comparingDouble((Document d) -> -ShardFleet.FleetNode.score(Metric.COSINE, q,
                        d.vector())).thenComparing(Document::id))
                .limit(k).map(Document::id).toList();
    }

    private static List<String> servedFrom(JsonNode body) {
        List<String> regions = new ArrayList<>();
        body.path("servedFrom").forEach(r -> regions.add(r.asText()));
        return regions;
    }

    private static String fallbackCounter(RouterFixture.Router router, String collection, String region) {
        return router.context.getBean(MicrometerRouterMetrics.class).scrape().lines()
                .filter(l -> l.startsWith("router_region_fallback_total{") && l.contains("region=\"" + region + "\"")
                        && l.contains("collection=\"" + RouterFixture.TENANT + "/" + collection + "\""))
                .findFirst().orElse("");
    }

    @Test
    void shardsWithNoLocalReplicaAreAnsweredByTheFallbackRegion() {
        // GIVEN a collection whose only nodes are in region x1-away, and a router of x1-home falling back to it
        fixture.fleet.addHttpNode("x1-away", "x1-away-a");
        fixture.fleet.addHttpNode("x1-away", "x1-away-b");
        List<Document> docs = randomDocuments(120, DIM, 101);
        String name = filledCollection(docs);
        try (RouterFixture.Router router = router("x1-home", "x1-nowhere, x1-away")) {
            for (int i = 0; i < 5; i++) {
                // WHEN it searches
                float[] q = docs.get(i * 7).vector();
                Reply r = search(router, name, q, "");
                // THEN every shard is answered there: the exact top 10, complete, saying which region served it
                assertThat(r.status()).as(r.body()).isEqualTo(200);
                assertThat(ids(r.json().get("matches"))).containsExactlyElementsOf(exactTopK(docs, q, 10));
                assertThat(r.json().get("partial").asBoolean()).isFalse();
                assertThat(servedFrom(r.json())).containsExactly("x1-away");
            }
            // and the fallbacks are counted by region: 4 shards in each of 5 searches
            assertThat(fallbackCounter(router, name, "x1-away")).endsWith(" 20.0");
        }
    }

    @Test
    void aLocalNodeThatStopsIsReplacedByTheFallbackRegionNotAPartialAnswer() {
        // GIVEN one node in each region and a router of x2-home falling back to x2-away
        ShardFleet.FleetNode local = fixture.fleet.addHttpNode("x2-home", "x2-home-a");
        fixture.fleet.addHttpNode("x2-away", "x2-away-a");
        List<Document> docs = randomDocuments(120, DIM, 102);
        String name = filledCollection(docs);
        try (RouterFixture.Router router = router("x2-home", "x2-away")) {
            Reply before = search(router, name, docs.get(0).vector(), "");
            assertThat(before.status()).as(before.body()).isEqualTo(200);
            assertThat(servedFrom(before.json())).isEmpty();
            // WHEN the local node stops answering (its heartbeat still lives, as after a crash)
            local.stopHttp();
            for (int i = 1; i <= 8; i++) {
                float[] q = docs.get(i * 11).vector();
                Reply r = search(router, name, q, "");
                // THEN each next search is complete, served by the other region
                assertThat(r.status()).as(r.body()).isEqualTo(200);
                assertThat(r.json().get("partial").asBoolean()).as(r.body()).isFalse();
                assertThat(ids(r.json().get("matches"))).containsExactlyElementsOf(exactTopK(docs, q, 10));
                assertThat(servedFrom(r.json())).containsExactly("x2-away");
            }
            // (the first of them failed over after a refused call; by now the local node's breaker is open and it is
            // planned around without being called)
            assertThat(router.context.getBean(NodeBreakers.class).healthy("x2-home-a")).isFalse();
        }
    }

    @Test
    void withoutFallbackRegionsAShardWithNoLocalReplicaIs503() {
        // GIVEN nodes in x3-away only, and a router of x3-home with no fallback configured
        fixture.fleet.addHttpNode("x3-away", "x3-away-a");
        List<Document> docs = randomDocuments(40, DIM, 103);
        String name = filledCollection(docs);
        try (RouterFixture.Router router = router("x3-home", null)) {
            // WHEN it searches
            Reply r = search(router, name, docs.get(0).vector(), "");
            // THEN no other region is called: 503 naming why
            assertThat(r.status()).as(r.body()).isEqualTo(503);
            assertThat(r.errorCode()).isEqualTo("shards_unavailable");
            assertThat(r.errorMessage()).contains("answered in region(s) [x3-home]")
                    .contains("no live replica is placed for the shard");
        }
    }

    @Test
    void withoutFallbackRegionsAStoppedLocalNodeGivesAPartialAnswer() {
        // GIVEN two nodes in x4-home (one replica per shard), a healthy node in x4-away, no fallback configured
        fixture.fleet.addHttpNode("x4-home", "x4-home-a");
        fixture.fleet.addHttpNode("x4-home", "x4-home-b");
        fixture.fleet.addHttpNode("x4-away", "x4-away-a");
        List<Document> docs = randomDocuments(80, DIM, 104);
        String name = newCollection(DIM, 4, 1);
        commit(name, docs);
        PlacementTable table = PlacementTable.of(fixture.catalog.liveNodes("x4-home", Instant.now()));
        String stopped = table.shardsPlacedOn("x4-home-a", RouterFixture.TENANT, name, 4, 1).length > 0
                ? "x4-home-a" : "x4-home-b";
        List<Integer> lost = new ArrayList<>();
        for (int s : table.shardsPlacedOn(stopped, RouterFixture.TENANT, name, 4, 1)) {
            lost.add(s);
        }
        try (RouterFixture.Router router = router("x4-home", null)) {
            // WHEN a node holding some shards stops
            fixture.fleet.node(stopped).stopHttp();
            Reply r = search(router, name, docs.get(0).vector(), "");
            // THEN those shards are missing, as before fallback existed, and no other region is named
            if (lost.size() == 4) {
                assertThat(r.status()).as(r.body()).isEqualTo(503);
                assertThat(r.errorCode()).isEqualTo("shards_unavailable");
            } else {
                assertThat(r.status()).as(r.body()).isEqualTo(200);
                assertThat(r.json().get("partial").asBoolean()).isTrue();
                List<Integer> missing = new ArrayList<>();
                r.json().get("missingShards").forEach(s -> missing.add(s.asInt()));
                assertThat(missing).containsExactlyElementsOf(lost);
                assertThat(servedFrom(r.json())).isEmpty();
            }
        }
    }

    @Test
    void minVersionAppliedOnlyInTheFallbackRegionIsAnsweredFromThere() {
        // GIVEN a local replica held back at version 1 while the other region's applies version 2
        ShardFleet.FleetNode local = fixture.fleet.addHttpNode("x5-home", "x5-home-a");
        fixture.fleet.addHttpNode("x5-away", "x5-away-a");
        List<Document> docs = randomDocuments(60, DIM, 105);
        String name = filledCollection(docs);
        local.frozen = true;
        float[] mine = docs.get(3).vector().clone();
        long v2 = commit(name, List.of(new Document("mine", mine, null, Map.of())));
        try (RouterFixture.Router router = router("x5-home", "x5-away")) {
            // WHEN the writer reads its write with minVersion
            Reply r = search(router, name, mine, ",\"minVersion\":" + v2);
            // THEN the fallback region answers, at that version, complete
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            assertThat(r.json().get("version").asLong()).isEqualTo(v2);
            List<Document> all = new ArrayList<>(docs);
            all.add(new Document("mine", mine, null, Map.of()));
            assertThat(ids(r.json().get("matches"))).containsExactlyElementsOf(exactTopK(all, mine, 10));
            assertThat(r.json().get("partial").asBoolean()).isFalse();
            assertThat(servedFrom(r.json())).containsExactly("x5-away");
            // and a bounded read, which the local replica can serve, stays local
            Reply bounded = search(router, name, docs.get(5).vector(), "");
            assertThat(bounded.status()).as(bounded.body()).isEqualTo(200);
            assertThat(bounded.json().get("version").asLong()).isEqualTo(v2 - 1);
            assertThat(servedFrom(bounded.json())).isEmpty();
        }
    }

    @Test
    void minVersionAppliedInNoRegionIs503NamingTheBestApplied() {
        // GIVEN both regions' replicas held back at version 1 while version 2 commits
        ShardFleet.FleetNode local = fixture.fleet.addHttpNode("x6-home", "x6-home-a");
        ShardFleet.FleetNode away = fixture.fleet.addHttpNode("x6-away", "x6-away-a");
        List<Document> docs = randomDocuments(30, DIM, 106);
        String name = filledCollection(docs);
        local.frozen = true;
        away.frozen = true;
        long v2 = commit(name, List.of(new Document("late", docs.get(0).vector(), null, Map.of())));
        try (RouterFixture.Router router = router("x6-home", "x6-away")) {
            // WHEN a search asks for version 2
            Reply r = search(router, name, docs.get(0).vector(), ",\"minVersion\":" + v2);
            // THEN 503 not_fresh naming the version, the regions tried and the best version applied
            assertThat(r.status()).as(r.body()).isEqualTo(503);
            assertThat(r.errorCode()).isEqualTo("not_fresh");
            assertThat(r.errorMessage()).contains("has applied version " + v2)
                    .contains("[x6-home, x6-away]")
                    .contains("the best applied version is " + (v2 - 1));
        }
    }
}
