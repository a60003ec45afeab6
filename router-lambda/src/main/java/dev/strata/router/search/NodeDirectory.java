package dev.strata.router.search;

import dev.strata.catalog.Catalog;
import dev.strata.catalog.NodeRecord;
import dev.strata.router.RouterConfig;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live shard-service nodes of a region, read from the catalog's heartbeats (the global table holds every
 * region's) and reused for {@code nodeCacheTtl} (a second by default) so a search does not read them each time:
 * the router's own region, and the fallback regions it may call when its own has no usable replica. Thread-safe.
 */
@Singleton
public final class NodeDirectory {

    private record Snapshot(List<NodeRecord> nodes, long readAtNanos) {}

    private final Catalog catalog;
    private final String region;
    private final long ttlNanos;
    private final Map<String, Snapshot> snapshots = new ConcurrentHashMap<>();

    public NodeDirectory(Catalog catalog, RouterConfig config) {
        this.catalog = catalog;
        this.region = config.region();
        this.ttlNanos = config.nodeCacheTtl().toNanos();
    }

    /** The router's own region. */
    public String region() {
        return region;
    }

    /** Live nodes of the router's region, from the cache unless it is older than the TTL or {@code refresh} is set. */
    public List<NodeRecord> live(boolean refresh) {
        return live(region, refresh);
    }

    /** Live nodes of {@code inRegion}, cached the same way as the router's own. */
    public List<NodeRecord> live(String inRegion, boolean refresh) {
        Snapshot s = snapshots.get(inRegion);
        long now = System.nanoTime();
        if (!refresh && s != null && now - s.readAtNanos() < ttlNanos) {
            return s.nodes();
        }
        List<NodeRecord> nodes = List.copyOf(catalog.liveNodes(inRegion, Instant.now()));
        snapshots.put(inRegion, new Snapshot(nodes, now));
        return nodes;
    }
}
