package dev.strata.router.scatter;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;

import java.time.Duration;

/**
 * One resilience4j circuit breaker per shard-service node. A breaker opens when at least half (configurable) of
 * the node's last 20 calls failed or timed out (after 5 calls), refuses calls while open, and lets 2 probe calls
 * through after {@code openFor}. Answers such as "behind" or "not placed" are not failures. Thread-safe.
 */
public final class NodeBreakers {

    private final CircuitBreakerRegistry registry;

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
}
