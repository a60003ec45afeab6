package dev.strata.placement;

import dev.strata.catalog.NodeRecord;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlacementTableTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    static NodeRecord node(String id) {
        return node(id, T0);
    }

    static NodeRecord node(String id, Instant heartbeat) {
        return new NodeRecord("local", id, "http://127.0.0.1:" + (9000 + Math.abs(id.hashCode() % 1000)),
                Map.of(), Map.of(), true, 0, heartbeat, heartbeat.plusSeconds(15));
    }

    static List<NodeRecord> nodes(int n) {
        List<NodeRecord> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(node("node-" + i));
        }
        return out;
    }

    private static List<String> ids(List<NodeRecord> records) {
        return records.stream().map(NodeRecord::nodeId).toList();
    }

    @Test
    void placementIsStableAcrossProcesses() {
        // GIVEN five nodes THEN a few shards' replicas are pinned (a change would move every replica in production)
        PlacementTable table = PlacementTable.of(nodes(5));
        assertThat(ids(table.replicasFor("acme", "docs", 0, 3))).isEqualTo(GOLDEN.get(0));
        assertThat(ids(table.replicasFor("acme", "docs", 1, 3))).isEqualTo(GOLDEN.get(1));
        assertThat(ids(table.replicasFor("other", "docs", 0, 3))).isEqualTo(GOLDEN.get(2));
    }

    // Cross-checked against an independent Python computation (libxxhash XXH64 + MurmurHash3 fmix64).
    private static final List<List<String>> GOLDEN = List.of(
            List.of("node-2", "node-1", "node-4"),
            List.of("node-1", "node-3", "node-2"),
            List.of("node-1", "node-3", "node-2"));

    @Test
    void nodeOrderDoesNotMatter() {
        // GIVEN the same eight nodes in two orders
        List<NodeRecord> a = nodes(8);
        List<NodeRecord> b = new ArrayList<>(a);
        Collections.shuffle(b, new Random(5));
        PlacementTable ta = PlacementTable.of(a);
        PlacementTable tb = PlacementTable.of(b);
        // THEN every shard has the same replicas in the same order
        for (int s = 0; s < 64; s++) {
            assertThat(ids(tb.replicasFor("t", "c", s, 3))).isEqualTo(ids(ta.replicasFor("t", "c", s, 3)));
        }
    }

    @Test
    void replicasAreDistinctAndAtMostTheNodeCount() {
        PlacementTable table = PlacementTable.of(nodes(6));
        for (int s = 0; s < 100; s++) {
            List<String> r = ids(table.replicasFor("t", "c", s, 5));
            assertThat(r).hasSize(5).doesNotHaveDuplicates();
        }
        assertThat(PlacementTable.of(nodes(2)).replicasFor("t", "c", 0, 3)).hasSize(2);
        assertThat(PlacementTable.of(List.of()).replicasFor("t", "c", 0, 3)).isEmpty();
    }

    @Test
    void removingANodeMovesOnlyTheShardsItHeld() {
        // GIVEN ten nodes and 500 shards with 2 replicas
        List<NodeRecord> all = nodes(10);
        PlacementTable before = PlacementTable.of(all);
        List<NodeRecord> without = new ArrayList<>(all);
        without.remove(3);
        // WHEN node-3 stops heartbeating
        PlacementTable after = PlacementTable.of(without);
        int touched = 0;
        for (int s = 0; s < 500; s++) {
            List<String> old = ids(before.replicasFor("t", "c", s, 2));
            List<String> now = ids(after.replicasFor("t", "c", s, 2));
            if (old.contains("node-3")) {
                touched++;
                // THEN a shard it held keeps its other replica, in order, and gains exactly one new node
                List<String> kept = new ArrayList<>(old);
                kept.remove("node-3");
                assertThat(now.subList(0, 1)).isEqualTo(kept);
                assertThat(now.get(1)).isNotIn(old);
            } else {
                // AND every other shard is unchanged
                assertThat(now).isEqualTo(old);
            }
        }
        assertThat(touched).isBetween(70, 130); // 2 of 10 slots: about a fifth of the shards
    }

    @Test
    void addingANodeTakesAboutOneNthAndMovesNothingElse() {
        // GIVEN ten nodes and 1000 shards with 3 replicas
        PlacementTable before = PlacementTable.of(nodes(10));
        List<NodeRecord> more = new ArrayList<>(nodes(10));
        more.add(node("node-new"));
        // WHEN an eleventh node joins
        PlacementTable after = PlacementTable.of(more);
        int slots = 0;
        int taken = 0;
        for (int s = 0; s < 1000; s++) {
            List<String> old = ids(before.replicasFor("t", "c", s, 3));
            List<String> now = ids(after.replicasFor("t", "c", s, 3));
            slots += now.size();
            if (now.contains("node-new")) {
                taken++;
                // THEN where it joins, it displaces only the last replica; the rest keep their order
                List<String> rest = new ArrayList<>(now);
                rest.remove("node-new");
                assertThat(rest).isEqualTo(old.subList(0, 2));
            } else {
                assertThat(now).isEqualTo(old);
            }
        }
        // AND it holds about 1/11 of all replicas
        assertThat(taken / (double) slots).isBetween(1 / 11.0 - 0.02, 1 / 11.0 + 0.02);
    }

    @Test
    void replicasSpreadEvenlyOverNodes() {
        PlacementTable table = PlacementTable.of(nodes(8));
        int[] counts = new int[8];
        for (int s = 0; s < 4000; s++) {
            for (NodeRecord n : table.replicasFor("tenant", "coll", s, 2)) {
                counts[Integer.parseInt(n.nodeId().substring(5))]++;
            }
        }
        for (int c : counts) {
            assertThat(c).isBetween(900, 1100); // 1000 expected
        }
    }

    @Test
    void isPlacedOnAndShardsPlacedOnAgreeWithReplicasFor() {
        PlacementTable table = PlacementTable.of(nodes(4));
        int[] onNode1 = table.shardsPlacedOn("node-1", "t", "c", 32, 2);
        HashSet<Integer> expected = new HashSet<>();
        for (int s = 0; s < 32; s++) {
            boolean placed = ids(table.replicasFor("t", "c", s, 2)).contains("node-1");
            assertThat(table.isPlacedOn("node-1", "t", "c", s, 2)).isEqualTo(placed);
            if (placed) {
                expected.add(s);
            }
        }
        assertThat(onNode1).containsExactlyInAnyOrder(expected.stream().mapToInt(i -> i).toArray());
        assertThat(table.isPlacedOn("ghost", "t", "c", 0, 4)).isFalse();
    }

    @Test
    void duplicateNodeIdsKeepTheLatestHeartbeat() {
        NodeRecord old = node("n", T0);
        NodeRecord fresh = node("n", T0.plusSeconds(5));
        PlacementTable table = PlacementTable.of(List.of(fresh, old));
        assertThat(table.size()).isEqualTo(1);
        assertThat(table.node("n")).contains(fresh);
        assertThat(PlacementTable.of(List.of(old, fresh)).node("n")).contains(fresh);
    }

    @Test
    void expiredHeartbeatsAreNotLive() {
        NodeRecord alive = node("alive", T0.plusSeconds(10));
        NodeRecord dead = node("dead", T0.minusSeconds(60));
        PlacementTable table = PlacementTable.ofLive(List.of(alive, dead), T0.plusSeconds(1));
        assertThat(ids(table.nodes())).containsExactly("alive");
    }

    @Test
    void badArgumentsAreRejected() {
        assertThatThrownBy(() -> PlacementTable.of(nodes(2)).replicasFor("t", "c", 0, 0))
                .hasMessage("replicas is 0; it must be at least 1");
        assertThatThrownBy(() -> PlacementTable.of(List.of(node(""))))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
