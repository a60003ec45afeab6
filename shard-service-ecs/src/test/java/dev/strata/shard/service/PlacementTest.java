package dev.strata.shard.service;

import dev.strata.catalog.Catalog;
import dev.strata.catalog.CollectionRecord;
import dev.strata.catalog.SegmentRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Nodes share a region's shards by rendezvous placement; joining and leaving move only the share concerned. */
class PlacementTest {

    private static final int SHARDS = 8;
    private static ShardServiceFixture fixture;

    @BeforeAll
    static void start() {
        fixture = ShardServiceFixture.shared();
    }

    @org.junit.jupiter.api.AfterEach
    void stopNodes() {
        fixture.stopNodes();
    }

    @AfterAll
    static void stop() {
        fixture.stopNodes();
    }

    private static Set<String> all(CollectionRecord collection) {
        return IntStream.range(0, SHARDS).mapToObj(i -> collection.tenant() + "/" + collection.name() + "/" + i)
                .collect(Collectors.toSet());
    }

    /** Waits until the nodes serve disjoint sets that cover every shard, and each set is stable. */
    private static Map<String, Set<String>> settled(List<ShardNode> nodes, Set<String> shards) {
        Map<String, Set<String>> last = new HashMap<>();
        boolean ok = ShardServiceFixture.eventually(Duration.ofSeconds(30), () -> {
            Map<String, Set<String>> now = new HashMap<>();
            for (ShardNode node : nodes) {
                if (!node.ready()) {
                    return false;
                }
                now.put(node.nodeId(), Set.copyOf(node.appliedVersions().keySet()));
            }
            Set<String> union = new HashSet<>();
            int total = 0;
            for (Set<String> served : now.values()) {
                union.addAll(served);
                total += served.size();
            }
            boolean stable = now.equals(last);
            last.clear();
            last.putAll(now);
            return union.equals(shards) && total == shards.size() && stable;
        });
        assertThat(ok).as("placement settled: " + last).isTrue();
        return Map.copyOf(last);
    }

    @Test
    void nodesSplitTheShardsAndJoiningOrLeavingMovesOnlyItsShare() throws InterruptedException {
        // GIVEN a collection of 8 shards, one replica each, with a segment in every shard
        Catalog catalog = fixture.newCatalog();
        CollectionRecord collection = catalog.createCollection("acme", "spread", ShardServiceFixture.spec(4, SHARDS, 1), "test");
        Map<Integer, List<SegmentRef>> segments = new HashMap<>();
        for (int shard = 0; shard < SHARDS; shard++) {
            segments.put(shard, List.of(fixture.writeSegment(fixture.store, collection, shard,
                    ShardServiceFixture.documents("s" + shard, 10, 4, shard), List.of())));
        }
        collection = ShardServiceFixture.commit(catalog, collection, segments);
        Set<String> shards = all(collection);

        // WHEN two nodes run
        ShardNode a = fixture.startNode("node-a", catalog, fixture.store);
        ShardNode b = fixture.startNode("node-b", catalog, fixture.store);
        Map<String, Set<String>> two = settled(List.of(a, b), shards);
        // THEN each serves a share (both non-empty) and together they serve every shard once
        assertThat(two.get("node-a")).isNotEmpty();
        assertThat(two.get("node-b")).isNotEmpty();

        // WHEN a third joins
        ShardNode c = fixture.startNode("node-c", catalog, fixture.store);
        Map<String, Set<String>> three = settled(List.of(a, b, c), shards);
        // THEN only shards that moved to the newcomer left a and b; nothing moved between a and b
        assertThat(three.get("node-c")).isNotEmpty();
        assertThat(two.get("node-a")).containsAll(three.get("node-a"));
        assertThat(two.get("node-b")).containsAll(three.get("node-b"));

        // WHEN b leaves (graceful: its heartbeat is removed at once)
        b.close();
        assertThat(catalog.liveNodes("test", Instant.now())).extracting(n -> n.nodeId()).doesNotContain("node-b");
        Map<String, Set<String>> after = settled(List.of(a, c), shards);
        // THEN a and c keep what they had and take b's shards between them
        assertThat(after.get("node-a")).containsAll(three.get("node-a"));
        assertThat(after.get("node-c")).containsAll(three.get("node-c"));
        Set<String> moved = new HashSet<>(after.get("node-a"));
        moved.addAll(after.get("node-c"));
        moved.removeAll(three.get("node-a"));
        moved.removeAll(three.get("node-c"));
        assertThat(moved).isEqualTo(three.get("node-b"));
    }

    @Test
    void crashedNodeLosesItsShardsWhenItsHeartbeatExpires() throws InterruptedException {
        // GIVEN two nodes sharing 8 shards
        Catalog catalog = fixture.newCatalog();
        CollectionRecord collection = catalog.createCollection("acme", "crash", ShardServiceFixture.spec(4, SHARDS, 1), "test");
        ShardNode a = fixture.startNode("crash-a", catalog, fixture.store);
        ShardNode b = fixture.startNode("crash-b", catalog, fixture.store);
        Set<String> shards = all(collection);
        Map<String, Set<String>> two = settled(List.of(a, b), shards);
        // WHEN b stops without leaving (its heartbeat stays until the TTL runs out)
        b.kill();
        // THEN after the TTL, a serves every shard
        Map<String, Set<String>> after = settled(List.of(a), shards);
        assertThat(after.get("crash-a")).containsAll(two.get("crash-a")).hasSize(SHARDS);
    }

    @Test
    void everyNodeServesEveryShardWhenReplicasEqualNodes() throws InterruptedException {
        // GIVEN a collection with 2 replicas per shard and two nodes
        Catalog catalog = fixture.newCatalog();
        CollectionRecord collection = catalog.createCollection("acme", "twice", ShardServiceFixture.spec(4, 4, 2), "test");
        ShardNode a = fixture.startNode("twice-a", catalog, fixture.store);
        ShardNode b = fixture.startNode("twice-b", catalog, fixture.store);
        // THEN both serve all 4 shards
        Set<String> expected = IntStream.range(0, 4).mapToObj(i -> "acme/twice/" + i).collect(Collectors.toSet());
        assertThat(ShardServiceFixture.eventually(Duration.ofSeconds(30), () ->
                a.appliedVersions().keySet().equals(expected) && b.appliedVersions().keySet().equals(expected)))
                .isTrue();
        assertThat(collection.spec().replicas()).isEqualTo(2);
    }
}
