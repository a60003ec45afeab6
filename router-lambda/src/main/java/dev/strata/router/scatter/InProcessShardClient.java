package dev.strata.router.scatter;

import dev.strata.api.ShardSearchRequest;
import dev.strata.api.ShardSearchResponse;
import dev.strata.api.StrataException;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * Calls shard replicas that live in this JVM, keyed by node id (tests, benchmarks, a one-process local
 * emulation). A {@link StrataException.Conflict} from a replica maps to {@code BEHIND}, a
 * {@link StrataException.NotFound} to {@code NOT_PLACED}, anything else to {@code FAILED}. Thread-safe.
 */
public final class InProcessShardClient implements ShardClient {

    /** The shards one node serves. Implementations are thread-safe. */
    @FunctionalInterface
    public interface Node {
        /** Searches {@code shard} of the collection as the shard service's search endpoint would. */
        ShardSearchResponse search(String tenant, String collection, int shard, ShardSearchRequest request);
    }

    private final Map<String, Node> nodes = new ConcurrentHashMap<>();
    private final Executor executor;

    public InProcessShardClient(Executor executor) {
        this.executor = executor;
    }

    /** Adds or replaces the node {@code nodeId}. */
    public InProcessShardClient register(String nodeId, Node node) {
        nodes.put(nodeId, node);
        return this;
    }

    /** Removes a node (its calls then fail as a dead node's would). */
    public void unregister(String nodeId) {
        nodes.remove(nodeId);
    }

    @Override
    public CompletableFuture<ShardSearchResponse> search(ShardTarget target, ShardSearchRequest request,
                                                         Map<String, String> headers) {
        return CompletableFuture.supplyAsync(() -> {
            Node node = nodes.get(target.nodeId());
            String where = "shard " + target.shard() + " on node " + target.nodeId();
            if (node == null) {
                throw new ShardCallException(ShardCallException.Reason.FAILED, where + ": node is not reachable");
            }
            try {
                return node.search(target.tenant(), target.collection(), target.shard(), request);
            } catch (StrataException.Conflict e) {
                throw new ShardCallException(ShardCallException.Reason.BEHIND, where + ": " + e.getMessage(), e);
            } catch (StrataException.NotFound e) {
                throw new ShardCallException(ShardCallException.Reason.NOT_PLACED, where + ": " + e.getMessage(), e);
            } catch (RuntimeException e) {
                throw new ShardCallException(ShardCallException.Reason.FAILED, where + ": " + e, e);
            }
        }, executor);
    }
}
