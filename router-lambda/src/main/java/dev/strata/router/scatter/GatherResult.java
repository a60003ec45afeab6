package dev.strata.router.scatter;

import dev.strata.api.ShardSearchResponse;

import java.util.List;

/**
 * What a scatter brought back.
 *
 * @param answers one answer per shard that answered
 * @param missing shards with no answer, ascending
 * @param hedges  hedged second requests sent
 */
public record GatherResult(List<ShardAnswer> answers, List<MissingShard> missing, int hedges) {

    /**
     * One shard's answer and who gave it; {@code region} is the answering node's region when it is not the
     * router's own (a cross-region fallback), else null.
     */
    public record ShardAnswer(int shard, String nodeId, String region, ShardSearchResponse response,
                              boolean hedged) {}

    /**
     * A shard without an answer.
     *
     * @param shard     shard number
     * @param behind    true when a replica tried answered that it had not applied the version asked for yet: one
     *                  that may catch up, so a version-bound read may wait and try again (replicas that failed
     *                  otherwise, dead or open-breakered, do not make a shard behind)
     * @param why       each replica's failure, for logs and the 503 message
     */
    public record MissingShard(int shard, boolean behind, String why) {}

    /** Shard numbers without an answer. */
    public List<Integer> missingShards() {
        return missing.stream().map(MissingShard::shard).toList();
    }
}
