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
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Decides which shards a query visits and which replicas, in which order, serve each: every shard under
 * {@code hash} sharding, the {@code nprobe} nearest under {@code centroid}/{@code hybrid}; replicas are those the
 * {@link PlacementTable} assigns over the live nodes. Replicas that have applied the version asked for, are within
 * the lag bound and whose breaker is closed come first (shuffled, to spread load), then the others (least lag
 * first), so hedges and failover still have somewhere to go.
 *
 * <p>Cross-region fallback (DESIGN §6): after the local replicas come those of the first fallback region that has a
 * usable replica of the shard (placement over that region's live nodes; usable = breaker closed, the shard loaded,
 * and for {@code fresh} / {@code minVersion} the version applied). A shard with no live local replica is therefore
 * planned on that region alone, and one whose local replicas fail, time out, are behind or have an open breaker
 * fails over to it instead of going missing. Stateless apart from its collaborators; thread-safe.
 */
final class QueryPlanner {

    private final NodeDirectory nodes;
    /** A replica this many times slower than the fastest (plus the margin) is called only after the others. */
    static final double SLOW_FACTOR = 2.0;
    static final long SLOW_MARGIN_NANOS = 2_000_000;

    private final NodeBreakers breakers;
    private final long lagBoundMs;
    private final List<String> fallbackRegions;

    QueryPlanner(NodeDirectory nodes, NodeBreakers breakers, long lagBoundMs, List<String> fallbackRegions) {
        this.nodes = nodes;
        this.breakers = breakers;
        this.lagBoundMs = lagBoundMs;
        this.fallbackRegions = List.copyOf(fallbackRegions);
    }

    /** Regions that may serve a shard, the router's own first, then the fallback regions in order of preference. */
    List<String> regions() {
        List<String> all = new ArrayList<>(fallbackRegions.size() + 1);
        all.add(nodes.region());
        all.addAll(fallbackRegions);
        return all;
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
        PlacementTable table = PlacementTable.of(nodes.live(refresh));
        List<PlacementTable> fallbacks = new ArrayList<>(fallbackRegions.size());
        for (String region : fallbackRegions) {
            fallbacks.add(PlacementTable.of(nodes.live(region, refresh)));
        }
        List<ShardPlan> plans = new ArrayList<>(shards.size());
        for (int shard : shards) {
            List<NodeRecord> placed = table.replicasFor(c.tenant(), c.name(), shard, c.spec().replicas());
            List<ShardTarget> targets = order(c, shard, placed, requiredVersion, null);
            String key = NodeRecord.shardKey(c.tenant(), c.name(), shard);
            // the first fallback region with a replica at the version asked for; failing that (a version-bound
            // read just after a write, before any heartbeat reports it), the first with the shard loaded at all,
            // whose replica answers "behind" until it catches up, which the caller may wait for
            int chosen = firstFallback(fallbacks, c, shard, key, requiredVersion);
            if (chosen < 0 && requiredVersion > 0) {
                chosen = firstFallback(fallbacks, c, shard, key, 0);
            }
            if (chosen >= 0) {
                targets.addAll(order(c, shard, fallbacks.get(chosen).replicasFor(c.tenant(), c.name(), shard,
                        c.spec().replicas()), requiredVersion, fallbackRegions.get(chosen)));
            }
            plans.add(new ShardPlan(shard, targets));
        }
        return plans;
    }

    /** Index of the first fallback region with a {@link #usable} replica of the shard at {@code version}, or -1. */
    private int firstFallback(List<PlacementTable> fallbacks, CollectionRecord c, int shard, String key, long version) {
        for (int i = 0; i < fallbacks.size(); i++) {
            if (fallbacks.get(i).replicasFor(c.tenant(), c.name(), shard, c.spec().replicas()).stream()
                    .anyMatch(n -> usable(n, key, version))) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The highest version any live node of any region this router may call reports for each of {@code shards}
     * (absent when none reports the shard), read afresh: what a {@code not_fresh} answer names as the best applied.
     */
    Map<Integer, Long> bestApplied(CollectionRecord c, List<Integer> shards) {
        Map<Integer, Long> best = new TreeMap<>();
        for (String region : regions()) {
            for (NodeRecord n : nodes.live(region, true)) {
                for (int shard : shards) {
                    long applied = appliedOf(n, NodeRecord.shardKey(c.tenant(), c.name(), shard));
                    if (applied >= 0) {
                        best.merge(shard, applied, Math::max);
                    }
                }
            }
        }
        return best;
    }

    /** A fallback replica worth calling: breaker closed, the shard loaded, and the version asked for applied. */
    private boolean usable(NodeRecord n, String key, long requiredVersion) {
        long applied = appliedOf(n, key);
        return applied >= 0 && applied >= requiredVersion && healthy(n);
    }

    private List<ShardTarget> order(CollectionRecord c, int shard, List<NodeRecord> placed, long requiredVersion,
                                    String remoteRegion) {
        String key = NodeRecord.shardKey(c.tenant(), c.name(), shard);
        List<NodeRecord> fit = new ArrayList<>();
        List<NodeRecord> rest = new ArrayList<>();
        for (NodeRecord n : placed) {
            Long applied = n.applied() == null ? null : n.applied().get(key);
            Long lag = n.lagMs() == null ? null : n.lagMs().get(key);
            boolean caughtUp = applied != null && applied >= requiredVersion;
            boolean withinBound = lag == null || lag <= lagBoundMs;
            if (caughtUp && withinBound && healthy(n)) {
                fit.add(n);
            } else {
                rest.add(n);
            }
        }
        Collections.shuffle(fit, ThreadLocalRandom.current());
        fit = fastFirst(fit, remoteRegion);
        rest.sort(Comparator.comparingLong((NodeRecord n) -> healthy(n) ? 0 : 1)
                .thenComparingLong(n -> -appliedOf(n, key))
                .thenComparingLong(n -> lagOf(n, key)));
        List<ShardTarget> ordered = new ArrayList<>(placed.size());
        for (NodeRecord n : fit) {
            ordered.add(new ShardTarget(n.nodeId(), n.endpoint(), c.tenant(), c.name(), shard, remoteRegion));
        }
        for (NodeRecord n : rest) {
            ordered.add(new ShardTarget(n.nodeId(), n.endpoint(), c.tenant(), c.name(), shard, remoteRegion));
        }
        return ordered;
    }

    /**
     * Adaptive replica selection: replicas whose recent latency is more than {@link #SLOW_FACTOR} times the fastest
     * known one's (plus {@link #SLOW_MARGIN_NANOS}, so sub-millisecond jitter never counts) go behind the others,
     * slowest last; the comparable ones keep their shuffled order, so load still spreads over them. A replica with
     * no recent latency counts as comparable, which is how an avoided node is tried again.
     */
    private List<NodeRecord> fastFirst(List<NodeRecord> shuffled, String remoteRegion) {
        if (shuffled.size() < 2) {
            return shuffled;
        }
        long fastest = Long.MAX_VALUE;
        long[] latency = new long[shuffled.size()];
        for (int i = 0; i < latency.length; i++) {
            latency[i] = breakers.latencyNanos(ShardTarget.breakerKey(remoteRegion, shuffled.get(i).nodeId()));
            if (latency[i] >= 0) {
                fastest = Math.min(fastest, latency[i]);
            }
        }
        if (fastest == Long.MAX_VALUE) {
            return shuffled;
        }
        double limit = fastest * SLOW_FACTOR + SLOW_MARGIN_NANOS;
        List<NodeRecord> comparable = new ArrayList<>(shuffled.size());
        List<Integer> slow = new ArrayList<>();
        for (int i = 0; i < latency.length; i++) {
            if (latency[i] > limit) {
                slow.add(i);
            } else {
                comparable.add(shuffled.get(i));
            }
        }
        slow.sort(Comparator.comparingLong(i -> latency[i]));
        slow.forEach(i -> comparable.add(shuffled.get(i)));
        return comparable;
    }

    /** The node's breaker is not open; nodes of other regions have breakers of their own even if ids repeat. */
    private boolean healthy(NodeRecord n) {
        return breakers.healthy(ShardTarget.breakerKey(nodes.region().equals(n.region()) ? null : n.region(),
                n.nodeId()));
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
