package dev.strata.shard.service;

import dev.strata.catalog.Catalog;
import dev.strata.catalog.NodeRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.LongAdder;

/**
 * Writes this node's {@link NodeRecord} into the catalog: endpoint, the versions applied and lag per shard,
 * readiness and load, with a TTL of {@code heartbeatTtl}. A node whose heartbeat expires is no longer live, and
 * placement moves its shards to the next nodes. Not thread-safe: runs on one scheduler thread.
 */
final class Heartbeat {

    private static final Logger LOG = LoggerFactory.getLogger(Heartbeat.class);

    private final Catalog catalog;
    private final ShardReplicas replicas;
    private final String region;
    private final String nodeId;
    private final String endpoint;
    private final Duration ttl;
    private final Clock clock;
    private final LongAdder searches;
    private long lastSearches;
    private Instant lastBeat;

    Heartbeat(Catalog catalog, ShardReplicas replicas, String region, String nodeId, String endpoint,
              Duration ttl, Clock clock, LongAdder searches) {
        this.catalog = catalog;
        this.replicas = replicas;
        this.region = region;
        this.nodeId = nodeId;
        this.endpoint = endpoint;
        this.ttl = ttl;
        this.clock = clock;
        this.searches = searches;
    }

    void beat() {
        Instant now = clock.instant();
        long total = searches.sum();
        double load = 0;
        if (lastBeat != null) {
            double seconds = Math.max(0.001, Duration.between(lastBeat, now).toNanos() / 1e9);
            load = (total - lastSearches) / seconds;
        }
        lastSearches = total;
        lastBeat = now;
        try {
            catalog.heartbeat(new NodeRecord(region, nodeId, endpoint, replicas.appliedVersions(),
                    replicas.lagMillis(now), replicas.ready(), load, now, now.plus(ttl)));
        } catch (RuntimeException e) {
            LOG.warn("heartbeat of node {} failed: {}", nodeId, e.toString());
        }
    }

    /** Removes the heartbeat so placement moves this node's shards at once (graceful shutdown). */
    void leave() {
        try {
            catalog.removeNode(region, nodeId);
            LOG.info("node {} left region {}", nodeId, region);
        } catch (RuntimeException e) {
            LOG.warn("could not remove the heartbeat of node {}: {}", nodeId, e.toString());
        }
    }
}
