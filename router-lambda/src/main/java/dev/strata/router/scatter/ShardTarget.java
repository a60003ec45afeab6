package dev.strata.router.scatter;

/**
 * One replica of one shard, as a shard call addresses it.
 *
 * @param nodeId     node that holds the replica
 * @param endpoint   the node's base URL ({@code http://127.0.0.1:9101}); ignored by in-process clients
 * @param tenant     owning tenant
 * @param collection collection name
 * @param shard      shard number
 */
public record ShardTarget(String nodeId, String endpoint, String tenant, String collection, int shard) {}
