package dev.strata.api;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * Answer of {@code POST /v1/collections/{c}/search}.
 *
 * @param matches       best first (always present, empty when nothing matched)
 * @param version       the lowest collection version applied by the replicas that answered
 * @param lagMs         how far the answering replicas were behind the committed version, at most
 * @param partial       true when some shard gave no answer; {@code missingShards} names them
 * @param missingShards shard numbers without an answer (empty when not partial)
 * @param tookMs        time spent in the router
 * @param servedFrom    regions that answered, when other than the router's own (empty otherwise)
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record SearchResponse(
        @JsonInclude(JsonInclude.Include.ALWAYS) List<Match> matches,
        long version,
        long lagMs,
        boolean partial,
        List<Integer> missingShards,
        double tookMs,
        List<String> servedFrom) {}
