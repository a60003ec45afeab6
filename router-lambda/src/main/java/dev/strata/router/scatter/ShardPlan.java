package dev.strata.router.scatter;

import java.util.List;

/**
 * One shard of a query and the replicas to try, best first: the first is called, the second is the hedge and
 * failover target, and so on.
 */
public record ShardPlan(int shard, List<ShardTarget> replicas) {}
