package dev.strata.catalog;

import java.time.Instant;
import java.util.Map;

/**
 * A shard-service node's heartbeat ({@code NODE#{region}#{nodeId}}), written every few seconds with a TTL.
 * Placement is derived from the set of live nodes; see {@code dev.strata.placement}.
 *
 * @param region      AWS region (or {@code local})
 * @param nodeId      unique per process
 * @param endpoint    base URL the router calls, e.g. {@code https://10.0.1.5:8443}
 * @param applied     per served shard ({@code tenant/collection/shard}), the collection version applied
 * @param lagMs       per served shard, replication lag in milliseconds
 * @param ready       true once every shard placed on it is loaded
 * @param load        recent searches per second (for tie-breaking and dashboards)
 * @param heartbeatAt time of this heartbeat
 * @param expiresAt   TTL: the node counts as dead after this instant
 */
public record NodeRecord(
        String region,
        String nodeId,
        String endpoint,
        Map<String, Long> applied,
        Map<String, Long> lagMs,
        boolean ready,
        double load,
        Instant heartbeatAt,
        Instant expiresAt) {

    /** Key of a shard in {@link #applied} and {@link #lagMs}. */
    public static String shardKey(String tenant, String collection, int shard) {
        return tenant + "/" + collection + "/" + shard;
    }
}
