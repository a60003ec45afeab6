package dev.strata.router.search;

import dev.strata.api.Sharding;
import dev.strata.catalog.CollectionRecord;
import dev.strata.catalog.NodeRecord;
import dev.strata.placement.PlacementTable;
import dev.strata.router.scatter.NodeBreakers;
import dev.strata.router.scatter.ShardPlan;
import dev.strata.router.scatter.ShardTarget;
import dev.strata.shard.ShardingFunction;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Decides which shards a query visits and which replicas, in which order, serve each: every shard under
 * {@code hash} sharding, the {@code nprobe} nearest under {@code centroid}/{@code hybrid}; replicas are those the
 * {@link PlacementTable} assigns over the live nodes. Replicas that have applied the version asked for, are within
 * the lag bound and whose breaker is closed come first (shuffled, to spread load), then the others (least lag
 * first), so hedges and failover still have somewhere to go. Stateless apart from its collaborators; thread-safe.
 */
final class QueryPlanner {

    private final NodeDirectory nodes;
    private final NodeBreakers breakers;
    private final long lagBoundMs;

    QueryPlanner(NodeDirectory nodes, NodeBreakers breakers, long lagBoundMs) {
        this.nodes = nodes;
        this.breakers = breakers;
        this.lagBoundMs = lagBoundMs;
    }

    /** Shards the query visits. */
    static List<Integer> shardsFor(CollectionRecord c, float[] query) {
        if (c.spec().sharding() == Sharding.HASH || c.centroids() == null || c.centroids().isEmpty()) {
            List<Integer> all = new ArrayList<>(c.spec().shards());
            for (int i = 0; i < c.spec().shards(); i++) {
                all.add(i);
            }
            return all;
        }
        return toList(ShardingFunction.of(c.spec(), c.centroids()).shardsFor(query, c.spec().nprobe()));
    }

    /**
     * Plans {@code shards} of {@code c}. {@code requiredVersion} &gt; 0 keeps only replicas that report having
     * applied it first (fresh reads and {@code minVersion}); {@code refresh} re-reads the live nodes.
     */
    List<ShardPlan> plan(CollectionRecord c, List<Integer> shards, long requiredVersion, boolean refresh) {
        List<NodeRecord> live = nodes.live(refresh);
        PlacementTable table = PlacementTable.of(live);
        List<ShardPlan> plans = new ArrayList<>(shards.size());
        for (int shard : shards) {
            List<NodeRecord> placed = table.replicasFor(c.tenant(), c.name(), shard, c.spec().replicas());
            plans.add(new ShardPlan(shard, order(c, shard, placed, requiredVersion)));
        }
        return plans;
    }

    private List<ShardTarget> order(CollectionRecord c, int shard, List<NodeRecord> placed, long requiredVersion) {
        String key = NodeRecord.shardKey(c.tenant(), c.name(), shard);
        List<NodeRecord> fit = new ArrayList<>();
        List<NodeRecord> rest = new ArrayList<>();
        for (NodeRecord n : placed) {
            Long applied = n.applied() == null ? null : n.applied().get(key);
            Long lag = n.lagMs() == null ? null : n.lagMs().get(key);
            boolean caughtUp = applied != null && applied >= requiredVersion;
            boolean withinBound = lag == null || lag <= lagBoundMs;
            if (caughtUp && withinBound && breakers.healthy(n.nodeId())) {
                fit.add(n);
            } else {
                rest.add(n);
            }
        }
        Collections.shuffle(fit, ThreadLocalRandom.current());
        rest.sort(Comparator.comparingLong((NodeRecord n) -> breakers.healthy(n.nodeId()) ? 0 : 1)
                .thenComparingLong(n -> -appliedOf(n, key))
                .thenComparingLong(n -> lagOf(n, key)));
        List<ShardTarget> ordered = new ArrayList<>(placed.size());
        for (NodeRecord n : fit) {
            ordered.add(new ShardTarget(n.nodeId(), n.endpoint(), c.tenant(), c.name(), shard));
        }
        for (NodeRecord n : rest) {
            ordered.add(new ShardTarget(n.nodeId(), n.endpoint(), c.tenant(), c.name(), shard));
        }
        return ordered;
    }

    private static long appliedOf(NodeRecord n, String key) {
        Long v = n.applied() == null ? null : n.applied().get(key);
        return v == null ? -1 : v;
    }

    private static long lagOf(NodeRecord n, String key) {
        Long v = n.lagMs() == null ? null : n.lagMs().get(key);
        return v == null ? Long.MAX_VALUE : v;
    }

    private static List<Integer> toList(int[] shards) {
        List<Integer> out = new ArrayList<>(shards.length);
        for (int s : shards) {
            out.add(s);
        }
        return out;
    }

    /** Keeps the plans of {@code shards} only. */
    static List<ShardPlan> only(List<ShardPlan> plans, Set<Integer> shards) {
        return plans.stream().filter(p -> shards.contains(p.shard())).toList();
    }
}
