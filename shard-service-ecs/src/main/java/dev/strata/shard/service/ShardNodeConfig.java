package dev.strata.shard.service;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How to start one in-process shard node with {@link ShardNode#start}.
 *
 * @param region            region the node joins (nodes of one region share the shards)
 * @param nodeId            unique node id
 * @param host              address to bind (loopback locally)
 * @param port              port to listen on; 0 picks a free one ({@link ShardNode#port()} tells which)
 * @param cacheDir          segment cache directory (one per node)
 * @param cacheMaxBytes     bound of the cache
 * @param heartbeatInterval heartbeat period
 * @param heartbeatTtl      heartbeat TTL (a node that stops is replaced after it)
 * @param watchInterval     catalog poll period
 * @param extraProperties   further Micronaut properties (e.g. {@code strata.recall.sample-rate})
 * @param environment       environment variables as the container would have them (e.g. {@code STRATA_TLS_CA_PEM},
 *                          {@code STRATA_HOME_BUCKET}); read with Micronaut's environment-variable naming, below
 *                          {@code extraProperties} in precedence
 */
public record ShardNodeConfig(
        String region,
        String nodeId,
        String host,
        int port,
        Path cacheDir,
        long cacheMaxBytes,
        Duration heartbeatInterval,
        Duration heartbeatTtl,
        Duration watchInterval,
        Map<String, Object> extraProperties,
        Map<String, String> environment) {

    public ShardNodeConfig {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(cacheDir, "cacheDir");
        extraProperties = extraProperties == null ? Map.of() : Map.copyOf(extraProperties);
        environment = environment == null ? Map.of() : Map.copyOf(environment);
    }

    /** A loopback node on a free port with a 1 GiB cache, 500 ms heartbeats (3 s TTL) and a 250 ms catalog poll. */
    public static ShardNodeConfig local(String region, String nodeId, Path cacheDir) {
        return new ShardNodeConfig(region, nodeId, "127.0.0.1", 0, cacheDir, 1L << 30,
                Duration.ofMillis(500), Duration.ofSeconds(3), Duration.ofMillis(250), Map.of(), Map.of());
    }

    public ShardNodeConfig withPort(int newPort) {
        return new ShardNodeConfig(region, nodeId, host, newPort, cacheDir, cacheMaxBytes, heartbeatInterval,
                heartbeatTtl, watchInterval, extraProperties, environment);
    }

    public ShardNodeConfig withHeartbeat(Duration interval, Duration ttl) {
        return new ShardNodeConfig(region, nodeId, host, port, cacheDir, cacheMaxBytes, interval, ttl, watchInterval,
                extraProperties, environment);
    }

    public ShardNodeConfig withCacheMaxBytes(long bytes) {
        return new ShardNodeConfig(region, nodeId, host, port, cacheDir, bytes, heartbeatInterval, heartbeatTtl,
                watchInterval, extraProperties, environment);
    }

    public ShardNodeConfig withProperties(Map<String, Object> properties) {
        return new ShardNodeConfig(region, nodeId, host, port, cacheDir, cacheMaxBytes, heartbeatInterval,
                heartbeatTtl, watchInterval, properties, environment);
    }

    public ShardNodeConfig withEnvironment(Map<String, String> variables) {
        return new ShardNodeConfig(region, nodeId, host, port, cacheDir, cacheMaxBytes, heartbeatInterval,
                heartbeatTtl, watchInterval, extraProperties, variables);
    }

    /** The Micronaut properties of this node. */
    Map<String, Object> toProperties() {
        var properties = new java.util.HashMap<String, Object>();
        properties.put("micronaut.server.host", host);
        properties.put("micronaut.server.port", port);
        properties.put("strata.aws.enabled", false);
        properties.put("strata.node.region", region);
        properties.put("strata.node.id", nodeId);
        properties.put("strata.node.heartbeat-interval", heartbeatInterval.toMillis() + "ms");
        properties.put("strata.node.heartbeat-ttl", heartbeatTtl.toMillis() + "ms");
        properties.put("strata.node.watch-interval", watchInterval.toMillis() + "ms");
        properties.put("strata.cache.dir", cacheDir.toAbsolutePath().toString());
        properties.put("strata.cache.max-bytes", cacheMaxBytes);
        properties.putAll(extraProperties);
        return properties;
    }
}
