package dev.strata.shard.service;

import dev.strata.api.IndexParams;
import dev.strata.api.Limits;
import dev.strata.api.Match;
import dev.strata.api.ShardSearchRequest;
import dev.strata.api.ShardSearchResponse;
import dev.strata.api.StrataException;
import dev.strata.api.VectorRules;
import dev.strata.filter.Filter;
import dev.strata.shard.ShardQuery;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.List;

/**
 * Answers one shard search on this node: checks placement, the request and {@code minVersion}, searches the
 * replica's current view and reports the version served and the lag. Never blocks on a load: a replica that has
 * not loaded yet answers 503 {@code shard_not_loaded}. Thread-safe.
 */
@Singleton
public final class ShardSearchService {

    private final ShardNodeRuntime node;

    ShardSearchService(ShardNodeRuntime node) {
        this.node = node;
    }

    /**
     * @throws StrataException.NotFound     {@code shard_not_placed} when placement does not put the shard here
     * @throws StrataException.InvalidRequest for a bad vector, k, search width or filter
     * @throws StrataException.Conflict     {@code version_not_applied} when {@code minVersion} is ahead of this replica
     * @throws StrataException.Unavailable  {@code shard_not_loaded} before the first load, {@code shutting_down} while draining
     */
    public ShardSearchResponse search(String tenant, String collection, String shard, ShardSearchRequest request) {
        ShardKey key = ShardKey.parse(tenant, collection, shard);
        if (!node.enter()) {
            throw new StrataException.Unavailable("shutting_down", "node " + node.nodeId() + " is shutting down");
        }
        try {
            return search(key, request);
        } finally {
            node.exit();
        }
    }

    private ShardSearchResponse search(ShardKey key, ShardSearchRequest request) {
        long started = System.nanoTime();
        ShardReplica replica = node.replicas().get(key);
        if (replica == null) {
            throw new StrataException.NotFound("shard_not_placed", "shard " + key.shard() + " of collection '"
                    + key.collection() + "' (tenant '" + key.tenant() + "') is not placed on node " + node.nodeId());
        }
        if (request == null) {
            throw new StrataException.InvalidRequest("request body is required");
        }
        ShardQuery query = toQuery(replica, request);
        ReplicaView view = replica.acquire();
        if (view == null) {
            throw new StrataException.Unavailable("shard_not_loaded", "shard " + key.shard() + " of collection '"
                    + key.collection() + "' is still loading on node " + node.nodeId());
        }
        try {
            if (request.minVersion() != null && request.minVersion() > view.version()) {
                throw new StrataException.Conflict("version_not_applied", "minVersion is " + request.minVersion()
                        + "; shard " + key.shard() + " of collection '" + key.collection() + "' on node "
                        + node.nodeId() + " has applied version " + view.version());
            }
            List<Match> hits = view.index().search(query);
            ShardMetrics.ShardMeters meters = replica.meters(node.metrics());
            meters.searches().increment();
            meters.searchLatency().record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
            node.recall().offer(key, view, query, hits);
            return new ShardSearchResponse(hits, view.version(), replica.lagMillis(Instant.now()), node.nodeId());
        } finally {
            view.release();
        }
    }

    private static ShardQuery toQuery(ShardReplica replica, ShardSearchRequest request) {
        var spec = replica.spec();
        VectorRules.validate("vector", request.vector(), spec.dimension(), replica.key().collection());
        VectorRules.validateK(request.k());
        int width;
        if (request.searchWidth() == null) {
            IndexParams index = spec.index() == null ? IndexParams.DEFAULTS : spec.index().withDefaults();
            width = index.searchWidth();
        } else {
            width = request.searchWidth();
            if (width < 1 || width > Limits.MAX_SEARCH_WIDTH) {
                throw new StrataException.InvalidRequest("searchWidth is " + width + "; it must be between 1 and "
                        + Limits.MAX_SEARCH_WIDTH);
            }
        }
        Filter filter = request.filter() == null ? null : Filter.parse(request.filter());
        return new ShardQuery(request.vector(), request.k(), Math.max(width, request.k()), filter,
                request.includeMetadata(), request.includeText());
    }
}
