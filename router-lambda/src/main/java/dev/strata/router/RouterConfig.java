package dev.strata.router;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Typed configuration of the router ({@code strata.router.*}), read once at start.
 *
 * @param region               region whose shard-service nodes this router calls ({@code local} in the emulation)
 * @param shardTimeout         per-call timeout of one shard request
 * @param hedgeMinDelay        a hedged second request is never sent sooner than this
 * @param hedgeQuantile        latency quantile of recent shard calls after which a hedge is sent (e.g. 0.95)
 * @param lagBound             {@code bounded} reads use replicas at most this far behind the committed version
 * @param freshWait            how long {@code fresh} / {@code minVersion} reads wait for a replica to catch up
 * @param nodeCacheTtl         how long the list of live nodes is reused before it is read again
 * @param collectionCacheTtl   how long a collection record is reused for {@code bounded} reads (never longer than
 *                             the lag bound makes sense; a newer version seen in an answer refreshes it at once)
 * @param resultCacheEntries   bound of the versioned result cache
 * @param embeddingCacheEntries bound of the query-embedding cache
 * @param rateLimitPerSecond   tokens added per second to each API key's bucket
 * @param rateLimitBurst       capacity of each API key's bucket
 * @param batchWaitTimeout     how long {@code ?wait=true} waits for a batch to be applied
 * @param breakerFailureRate   failure rate (percent) that opens a node's circuit breaker
 * @param breakerOpenFor       how long an open breaker refuses calls before it lets probes through
 * @param scatterThreads       threads that run shard calls of the in-process client and hedge timers
 * @param fallbackRegions      regions whose replicas serve a shard when this region has no usable one, most
 *                             preferred first ({@code STRATA_ROUTER_FALLBACK_REGIONS}, a comma list); empty: none
 */
@ConfigurationProperties("strata.router")
public record RouterConfig(
        @Bindable(defaultValue = "local") String region,
        @Bindable(defaultValue = "250ms") Duration shardTimeout,
        @Bindable(defaultValue = "3ms") Duration hedgeMinDelay,
        @Bindable(defaultValue = "0.95") double hedgeQuantile,
        @Bindable(defaultValue = "2s") Duration lagBound,
        @Bindable(defaultValue = "2s") Duration freshWait,
        @Bindable(defaultValue = "1s") Duration nodeCacheTtl,
        @Bindable(defaultValue = "1s") Duration collectionCacheTtl,
        @Bindable(defaultValue = "10000") int resultCacheEntries,
        @Bindable(defaultValue = "10000") int embeddingCacheEntries,
        @Bindable(defaultValue = "200") double rateLimitPerSecond,
        @Bindable(defaultValue = "400") int rateLimitBurst,
        @Bindable(defaultValue = "20s") Duration batchWaitTimeout,
        @Bindable(defaultValue = "50") float breakerFailureRate,
        @Bindable(defaultValue = "5s") Duration breakerOpenFor,
        @Bindable(defaultValue = "8") int scatterThreads,
        @Nullable List<String> fallbackRegions) {

    public RouterConfig {
        List<String> regions = new ArrayList<>();
        for (String r : fallbackRegions == null ? List.<String>of() : fallbackRegions) {
            String name = r == null ? "" : r.strip();
            if (name.isEmpty()) {
                continue;
            }
            if (name.equals(region)) {
                throw new IllegalArgumentException("strata.router.fallback-regions contains '" + name
                        + "', the router's own region; list only other regions");
            }
            if (regions.contains(name)) {
                throw new IllegalArgumentException("strata.router.fallback-regions lists '" + name + "' twice");
            }
            regions.add(name);
        }
        fallbackRegions = List.copyOf(regions);
    }
}
