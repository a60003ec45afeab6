package dev.strata.router.search;

import dev.strata.catalog.Catalog;
import dev.strata.catalog.NodeRecord;
import dev.strata.router.RouterConfig;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.List;

/**
 * The live shard-service nodes of the router's region, read from the catalog's heartbeats and reused for
 * {@code nodeCacheTtl} (a second by default) so a search does not read them each time. Thread-safe.
 */
@Singleton
public final class NodeDirectory {

    private record Snapshot(List<NodeRecord> nodes, long readAtNanos) {}

    private final Catalog catalog;
    private final String region;
    private final long ttlNanos;
    private volatile Snapshot snapshot;

    public NodeDirectory(Catalog catalog, RouterConfig config) {
        this.catalog = catalog;
        this.region = config.region();
        this.ttlNanos = config.nodeCacheTtl().toNanos();
    }

    /** Live nodes, from the cache unless it is older than the TTL or {@code refresh} is set. */
    public List<NodeRecord> live(boolean refresh) {
        Snapshot s = snapshot;
        long now = System.nanoTime();
        if (!refresh && s != null && now - s.readAtNanos() < ttlNanos) {
            return s.nodes();
        }
        List<NodeRecord> nodes = List.copyOf(catalog.liveNodes(region, Instant.now()));
        snapshot = new Snapshot(nodes, now);
        return nodes;
    }
}
