package dev.strata.shard.service;

import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Readiness;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;

import java.time.Instant;
import java.util.Map;

/** Readiness ({@code /health/readiness}): UP once every shard placed on this node is loaded. */
@Singleton
@Readiness
final class ReadinessIndicator implements HealthIndicator {

    private final ShardNodeRuntime node;

    ReadinessIndicator(ShardNodeRuntime node) {
        this.node = node;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        boolean ready = node.ready();
        return Publishers.just(HealthResult.builder("shards", ready ? HealthStatus.UP : HealthStatus.DOWN)
                .details(Map.of("node", node.nodeId(),
                        "applied", node.replicas().appliedVersions(),
                        "lagMs", node.replicas().lagMillis(Instant.now())))
                .build());
    }
}
