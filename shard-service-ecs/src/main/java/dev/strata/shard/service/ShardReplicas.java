package dev.strata.shard.service;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The replicas this node serves, by shard. The watcher adds and retires them as placement changes; searches
 * only look them up. Thread-safe.
 */
final class ShardReplicas {

    private final Map<ShardKey, ShardReplica> byKey = new ConcurrentHashMap<>();
    private volatile boolean placementKnown;

    ShardReplica get(ShardKey key) {
        return byKey.get(key);
    }

    Collection<ShardReplica> all() {
        return byKey.values();
    }

    ShardReplica add(ShardReplica replica) {
        ShardReplica previous = byKey.putIfAbsent(replica.key(), replica);
        return previous == null ? replica : previous;
    }

    ShardReplica remove(ShardKey key) {
        return byKey.remove(key);
    }

    /** Set once the watcher has computed placement at least once. */
    void placementKnown() {
        placementKnown = true;
    }

    /** Ready to take traffic: placement is known and every placed shard has a loaded view. */
    boolean ready() {
        return placementKnown && byKey.values().stream().allMatch(ShardReplica::loaded);
    }

    /** Per shard label, the version applied (only loaded replicas). */
    Map<String, Long> appliedVersions() {
        Map<String, Long> applied = new TreeMap<>();
        byKey.values().stream().filter(ShardReplica::loaded)
                .forEach(r -> applied.put(r.key().label(), r.appliedVersion()));
        return applied;
    }

    /** Per shard label, the replication lag in milliseconds at {@code now}. */
    Map<String, Long> lagMillis(java.time.Instant now) {
        Map<String, Long> lag = new TreeMap<>();
        byKey.values().forEach(r -> lag.put(r.key().label(), r.lagMillis(now)));
        return lag;
    }

    /** Retires every replica (node shutdown). */
    void retireAll() {
        byKey.values().forEach(ShardReplica::retire);
        byKey.clear();
    }
}
