package dev.strata.api;

import java.util.List;

/**
 * Answer of one shard replica.
 *
 * @param hits    best first, at most k
 * @param version collection version this replica has applied for the shard
 * @param lagMs   milliseconds this replica is behind the committed version (0 when caught up)
 * @param node    id of the node that answered
 */
public record ShardSearchResponse(List<Match> hits, long version, long lagMs, String node) {}
