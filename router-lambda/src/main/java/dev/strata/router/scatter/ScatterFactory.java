package dev.strata.router.scatter;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.router.RouterConfig;
import dev.strata.router.tls.ShardTls;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.propagation.TextMapPropagator;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Wires the scatter-gather: the default {@link ShardClient} is HTTP(S) with the router's mutual-TLS identity
 * ({@link ShardTls}) (replace it by registering another
 * {@code ShardClient} bean, e.g. an {@link InProcessShardClient}), one breaker per node, the latency window that
 * sets the hedge delay, and a daemon timer thread for hedges.
 */
@Factory
public final class ScatterFactory {

    /** Virtual threads: shard calls mostly wait on the network. */
    @Singleton
    @Named("shard-calls")
    @Bean(preDestroy = "shutdownNow")
    ExecutorService shardCallExecutor() {
        return Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("shard-call-", 0).factory());
    }

    @Singleton
    @Named("hedge-timer")
    @Bean(preDestroy = "shutdownNow")
    ScheduledExecutorService hedgeTimer() {
        return Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("hedge-timer").factory());
    }

    @Singleton
    @Requires(missingBeans = ShardClient.class)
    ShardClient httpShardClient(ObjectMapper mapper, @Named("shard-calls") ExecutorService executor,
                                RouterConfig config, ShardTls tls) {
        // Connecting (TCP and, for https nodes, the TLS handshake) may take up to the per-call timeout, and at least
        // 1 s: a first handshake with a node that has just started is slower than a search.
        Duration connect = config.shardTimeout().compareTo(Duration.ofSeconds(1)) > 0 ? config.shardTimeout()
                : Duration.ofSeconds(1);
        return new HttpShardClient(mapper, executor, connect, config.shardTimeout(), tls.context());
    }

    @Singleton
    NodeBreakers nodeBreakers(RouterConfig config) {
        return new NodeBreakers(config.breakerFailureRate(), config.breakerOpenFor(), config.shardTimeout());
    }

    @Singleton
    LatencyTracker shardLatencies(RouterConfig config) {
        return new LatencyTracker(512, config.hedgeQuantile());
    }

    @Singleton
    ScatterGather scatterGather(ShardClient client, NodeBreakers breakers, LatencyTracker latencies,
                                @Named("hedge-timer") ScheduledExecutorService timer, Tracer tracer,
                                TextMapPropagator propagator, RouterConfig config) {
        return new ScatterGather(client, breakers, latencies, timer, tracer, propagator, config.shardTimeout(),
                config.hedgeMinDelay());
    }
}
