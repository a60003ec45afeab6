package dev.strata.shard.service;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * Who this node is and how often it talks to the catalog ({@code strata.node.*}).
 *
 * @param region             region whose live nodes share the shards ({@code local} locally)
 * @param id                 unique node id; a random one when absent
 * @param advertisedEndpoint base URL routers call; the server's own URL when absent
 * @param heartbeatInterval  how often the NODE item is refreshed
 * @param heartbeatTtl       how long a heartbeat keeps the node alive; several intervals, so one slow write is not death
 * @param watchInterval      how often the catalog is polled for new versions and placement changes
 * @param drainTimeout       how long graceful shutdown waits for in-flight searches
 */
@ConfigurationProperties("strata.node")
public record NodeSettings(
        @Bindable(defaultValue = "local") String region,
        @Nullable String id,
        @Nullable String advertisedEndpoint,
        @Bindable(defaultValue = "1s") Duration heartbeatInterval,
        @Bindable(defaultValue = "5s") Duration heartbeatTtl,
        @Bindable(defaultValue = "300ms") Duration watchInterval,
        @Bindable(defaultValue = "10s") Duration drainTimeout) {

    public NodeSettings {
        requirePositive("strata.node.heartbeat-interval", heartbeatInterval);
        requirePositive("strata.node.heartbeat-ttl", heartbeatTtl);
        requirePositive("strata.node.watch-interval", watchInterval);
        requirePositive("strata.node.drain-timeout", drainTimeout);
        if (heartbeatTtl.compareTo(heartbeatInterval.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("strata.node.heartbeat-ttl is " + heartbeatTtl
                    + "; it must be at least twice strata.node.heartbeat-interval (" + heartbeatInterval + ")");
        }
        if (region == null || region.isBlank()) {
            throw new IllegalArgumentException("strata.node.region is required");
        }
    }

    private static void requirePositive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " is " + value + "; it must be a positive duration");
        }
    }
}
