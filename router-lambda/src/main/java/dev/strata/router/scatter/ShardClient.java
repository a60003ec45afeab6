package dev.strata.router.scatter;

import dev.strata.api.ShardSearchRequest;
import dev.strata.api.ShardSearchResponse;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Calls one shard replica. The HTTP implementation ({@link HttpShardClient}) talks to shard services; the
 * in-process one ({@link InProcessShardClient}) calls shard replicas in this JVM (tests, benchmarks). The router
 * does not know which it has. A failed call completes exceptionally with a {@link ShardCallException}.
 * Implementations are thread-safe and never block the caller.
 */
public interface ShardClient {

    /**
     * Starts a search on {@code target}; {@code headers} are forwarded (e.g. {@code X-Amzn-Trace-Id}).
     * The caller applies timeouts.
     */
    CompletableFuture<ShardSearchResponse> search(ShardTarget target, ShardSearchRequest request,
                                                  Map<String, String> headers);
}
