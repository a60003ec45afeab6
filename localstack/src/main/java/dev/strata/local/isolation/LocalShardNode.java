package dev.strata.local.isolation;

import dev.strata.catalog.Catalog;
import dev.strata.store.SegmentStore;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A shard-service node ({@code dev.strata.shard.service.ShardNode}) started inside this JVM through the shard
 * service's {@link AppClassLoader}. Thread-safe; the caller closes (graceful) or {@link #kill()}s (crash) it.
 */
public final class LocalShardNode implements AutoCloseable {
    private static final String NODE = "dev.strata.shard.service.ShardNode";
    private static final String CONFIG = "dev.strata.shard.service.ShardNodeConfig";

    private final Object node;
    private final String nodeId;
    private final String region;

    private LocalShardNode(Object node, String nodeId, String region) {
        this.node = node;
        this.nodeId = nodeId;
        this.region = region;
    }

    /**
     * Starts a node on a free loopback port.
     *
     * @param properties extra Micronaut properties of the node (e.g. an advertised endpoint)
     */
    public static LocalShardNode start(ClassLoader loader, String region, String nodeId, Path cacheDir,
                                       Duration heartbeat, Duration ttl, Map<String, Object> properties,
                                       Catalog catalog, SegmentStore store) {
        Object node = Reflect.withContextLoader(loader, () -> {
            Class<?> configType = loader.loadClass(CONFIG);
            Object config = Reflect.callStatic(configType, "local", region, nodeId, cacheDir);
            config = Reflect.call(config, "withHeartbeat", heartbeat, ttl);
            if (!properties.isEmpty()) {
                config = Reflect.call(config, "withProperties", properties);
            }
            return Reflect.callStatic(loader.loadClass(NODE), "start", config, catalog, store);
        });
        return new LocalShardNode(node, nodeId, region);
    }

    public String nodeId() {
        return nodeId;
    }

    /** The region the node heartbeats in. */
    public String region() {
        return region;
    }

    /** The node's own base URL. */
    public URI endpoint() {
        return (URI) Reflect.call(node, "endpoint");
    }

    public int port() {
        return (Integer) Reflect.call(node, "port");
    }

    /** True once every shard placed on it is loaded. */
    public boolean ready() {
        return (Boolean) Reflect.call(node, "ready");
    }

    /** Shards served ({@code tenant/collection/shard}) with the version applied. */
    @SuppressWarnings("unchecked")
    public Map<String, Long> appliedVersions() {
        return (Map<String, Long>) Reflect.call(node, "appliedVersions");
    }

    /** Stops like a crash: no goodbye, the heartbeat expires after its TTL. */
    public void kill() {
        Reflect.call(node, "kill");
    }

    /** Leaves the region, drains, stops. */
    @Override
    public void close() {
        Reflect.call(node, "close");
    }
}
