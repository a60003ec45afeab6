package dev.strata.router.scatter;

/**
 * One replica of one shard, as a shard call addresses it.
 *
 * @param nodeId     node that holds the replica
 * @param endpoint   the node's base URL ({@code http://127.0.0.1:9101}); ignored by in-process clients
 * @param tenant     owning tenant
 * @param collection collection name
 * @param shard      shard number
 * @param region     the node's region when it is another region than the router's (a cross-region fallback);
 *                   null for the router's own region
 */
public record ShardTarget(String nodeId, String endpoint, String tenant, String collection, int shard,
                          String region) {

    /** A replica in the router's own region. */
    public ShardTarget(String nodeId, String endpoint, String tenant, String collection, int shard) {
        this(nodeId, endpoint, tenant, collection, shard, null);
    }

    /** True when the replica is in another region than the router's. */
    public boolean remote() {
        return region != null;
    }

    /** The node's circuit-breaker key: its id, qualified by its region when remote (ids are unique per region). */
    public String breakerKey() {
        return breakerKey(region, nodeId);
    }

    /** The breaker key of node {@code nodeId} of {@code region} (null: the router's own region). */
    public static String breakerKey(String region, String nodeId) {
        return region == null ? nodeId : region + "/" + nodeId;
    }
}
