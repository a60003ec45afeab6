package dev.strata.router.scatter;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;

import java.time.Duration;

/**
 * Per shard-service node health as the router sees it: one resilience4j circuit breaker per node, and the node's
 * recent call latency. A breaker opens when at least half (configurable) of the node's last 20 calls failed or
 * timed out (after 5 calls), refuses calls while open, and lets 2 probe calls through after {@code openFor}.
 * Answers such as "behind" or "not placed" are not failures. The latency is an exponentially weighted moving
 * average of completed calls (weight {@value #LATENCY_WEIGHT} for the newest), forgotten after
 * {@link #LATENCY_MEMORY} without a call so a node that was avoided for being slow gets tried again
 * (adaptive replica selection, as in Elasticsearch or Cassandra's dynamic snitch). Thread-safe.
 */
public final class NodeBreakers {

    static final double LATENCY_WEIGHT = 0.25;
    static final Duration LATENCY_MEMORY = Duration.ofSeconds(3);

    private record Latency(double ewmaNanos, long updatedNanos) {}

    private final CircuitBreakerRegistry registry;
    private final java.util.concurrent.ConcurrentHashMap<String, Latency> latencies =
            new java.util.concurrent.ConcurrentHashMap<>();

    public NodeBreakers(float failureRatePercent, Duration openFor, Duration slowCall) {
        CircuitBreakerConfig config = CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(20)
                .minimumNumberOfCalls(5)
                .failureRateThreshold(failureRatePercent)
                .slowCallDurationThreshold(slowCall)
                .slowCallRateThreshold(100)
                .waitDurationInOpenState(openFor)
                .permittedNumberOfCallsInHalfOpenState(2)
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .build();
        this.registry = CircuitBreakerRegistry.of(config);
    }

    /** The node's breaker (created closed on first use). */
    public CircuitBreaker of(String nodeId) {
        return registry.circuitBreaker(nodeId);
    }

    /** False while the node's breaker is open (a planner prefers other replicas). */
    public boolean healthy(String nodeId) {
        CircuitBreaker.State state = of(nodeId).getState();
        return state != CircuitBreaker.State.OPEN && state != CircuitBreaker.State.FORCED_OPEN;
    }

    /** Records one completed call to the node (success or an answer); a timed-out call records its timeout. */
    public void recordLatency(String nodeId, long nanos) {
        long now = System.nanoTime();
        latencies.merge(nodeId, new Latency(nanos, now), (old, fresh) -> now - old.updatedNanos() > LATENCY_MEMORY.toNanos()
                ? fresh
                : new Latency(old.ewmaNanos() + LATENCY_WEIGHT * (nanos - old.ewmaNanos()), now));
    }

    /** The node's recent latency in nanoseconds, or -1 when unknown or forgotten. */
    public long latencyNanos(String nodeId) {
        Latency l = latencies.get(nodeId);
        if (l == null || System.nanoTime() - l.updatedNanos() > LATENCY_MEMORY.toNanos()) {
            return -1;
        }
        return (long) l.ewmaNanos();
    }
}
