package dev.strata.router.search;

import dev.strata.api.CollectionSpec;
import dev.strata.api.Consistency;
import dev.strata.api.Match;
import dev.strata.api.SearchRequest;
import dev.strata.api.SearchResponse;
import dev.strata.api.ShardSearchRequest;
import dev.strata.api.StrataException;
import dev.strata.catalog.CollectionRecord;
import dev.strata.router.RouterConfig;
import dev.strata.router.auth.Caller;
import dev.strata.router.collection.CollectionCache;
import dev.strata.router.http.RequestReader;
import dev.strata.router.scatter.GatherResult;
import dev.strata.router.scatter.NodeBreakers;
import dev.strata.router.scatter.ScatterGather;
import dev.strata.router.scatter.ShardPlan;
import dev.strata.router.telemetry.RouterMetrics;
import dev.strata.shard.TopKMerger;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * A search from request to answer: validate, resolve the collection (strongly for {@code fresh}), embed a text
 * query, look up the versioned result cache, plan shards and replicas, scatter-gather, merge the top k, and state
 * the version, lag and completeness of the answer. {@code fresh} and {@code minVersion} reads wait up to
 * {@code freshWait} for replicas to catch up, then fail with 503 {@code not_fresh}. Shards that another region's
 * replicas answered (cross-region fallback, see {@link QueryPlanner}) are logged, counted, and named in the
 * answer's {@code servedFrom}. Thread-safe.
 */
@Singleton
public final class SearchService {

    private static final Logger LOG = LoggerFactory.getLogger(SearchService.class);
    private static final long RETRY_MILLIS = 25;
    private static final TextMapGetter<Map<String, String>> MAP_GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private final RequestReader reader;
    private final CollectionCache collections;
    private final QueryEmbeddings embeddings;
    private final VersionedResultCache results;
    private final CanonicalRequest canonical;
    private final QueryPlanner planner;
    private final ScatterGather scatter;
    private final RouterMetrics metrics;
    private final Tracer tracer;
    private final TextMapPropagator propagator;
    private final long freshWaitNanos;

    public SearchService(RequestReader reader, CollectionCache collections, QueryEmbeddings embeddings,
                         VersionedResultCache results, NodeDirectory nodes, NodeBreakers breakers,
                         ScatterGather scatter, RouterMetrics metrics, Tracer tracer, TextMapPropagator propagator,
                         RouterConfig config) {
        this.reader = reader;
        this.collections = collections;
        this.embeddings = embeddings;
        this.results = results;
        this.canonical = new CanonicalRequest(reader.mapper());
        this.planner = new QueryPlanner(nodes, breakers, config.lagBound().toMillis(), config.fallbackRegions());
        this.scatter = scatter;
        this.metrics = metrics;
        this.tracer = tracer;
        this.propagator = propagator;
        this.freshWaitNanos = config.freshWait().toNanos();
    }

    /** Answers {@code body} (a {@link SearchRequest}) on collection {@code name} of the caller's tenant. */
    public SearchResponse search(Caller caller, String name, byte[] body, String traceHeader) {
        long started = System.nanoTime();
        Context parent = traceHeader == null ? Context.root()
                : propagator.extract(Context.root(), Map.of("X-Amzn-Trace-Id", traceHeader), MAP_GETTER);
        Span span = tracer.spanBuilder("search").setParent(parent).setSpanKind(SpanKind.SERVER)
                .setAttribute("strata.tenant", caller.tenant()).setAttribute("strata.collection", name).startSpan();
        String queryId = UUID.randomUUID().toString();
        try (Scope ignored = span.makeCurrent();
             MDC.MDCCloseable t = MDC.putCloseable("tenant", caller.tenant());
             MDC.MDCCloseable c = MDC.putCloseable("collection", name);
             MDC.MDCCloseable q = MDC.putCloseable("query_id", queryId);
             MDC.MDCCloseable tr = MDC.putCloseable("trace_id", span.getSpanContext().getTraceId())) {
            return answer(caller, name, body, started);
        } finally {
            span.end();
        }
    }

    private SearchResponse answer(Caller caller, String name, byte[] body, long started) {
        CollectionSpec.validateName(name);
        SearchRequest request = reader.read(body, SearchRequest.class, "search request");
        boolean fresh = request.consistency() == Consistency.FRESH;
        CollectionRecord collection = collections.get(caller.tenant(), name, fresh);
        SearchValidator.validate(request, collection);
        long required = fresh ? collection.version() : 0;
        if (request.minVersion() != null && request.minVersion() > 0) {
            collection = awaitCommitted(caller.tenant(), name, collection, request.minVersion());
            required = Math.max(required, request.minVersion());
        }
        float[] vector = request.vector();
        if (vector == null) {
            vector = embeddings.embed(collection.spec().embedding(), request.text());
            SearchValidator.checkEmbedded(vector, collection);
        }
        int k = request.kOrDefault();
        int width = Math.max(k, request.searchWidth() != null ? request.searchWidth()
                : collection.spec().index().searchWidth());
        ShardSearchRequest shardRequest = new ShardSearchRequest(vector, k, width, request.filter(),
                request.includes("metadata"), request.includes("text"), required > 0 ? required : null);
        VersionedResultCache.Key key = new VersionedResultCache.Key(caller.tenant(), name, collection.version(),
                canonical.digest(shardRequest));
        String label = caller.tenant() + "/" + name;

        SearchResponse cached = results.get(key);
        if (cached != null) {
            SearchResponse hit = new SearchResponse(cached.matches(), cached.version(), cached.lagMs(), false,
                    List.of(), millisSince(started), List.of());
            metrics.search(label, System.nanoTime() - started, 0, 0, false, true, hit.lagMs());
            return hit;
        }
        if (collection.version() == 0) {
            return new SearchResponse(List.of(), 0, 0, false, List.of(), millisSince(started), List.of());
        }

        List<Integer> shards = QueryPlanner.shardsFor(collection, vector);
        GatherResult gathered = gather(collection, shards, shardRequest, required);
        if (gathered.answers().isEmpty()) {
            throw new StrataException.Unavailable("shards_unavailable", "no shard of collection '" + name
                    + "' answered in region(s) " + planner.regions() + ": " + describe(gathered));
        }
        List<List<Match>> lists = new ArrayList<>(gathered.answers().size());
        long version = Long.MAX_VALUE;
        long maxVersion = 0;
        long lag = 0;
        for (GatherResult.ShardAnswer a : gathered.answers()) {
            lists.add(a.response().hits());
            version = Math.min(version, a.response().version());
            maxVersion = Math.max(maxVersion, a.response().version());
            lag = Math.max(lag, a.response().lagMs());
        }
        if (maxVersion > collection.version()) {
            collections.observe(caller.tenant(), name, maxVersion);
        }
        List<Match> merged = TopKMerger.merge(lists, k);
        boolean partial = !gathered.missing().isEmpty();
        if (partial) {
            LOG.info("partial answer for {}: {}", label, describe(gathered));
        }
        List<String> servedFrom = servedFrom(label, gathered);
        SearchResponse response = new SearchResponse(merged, version, lag, partial, gathered.missingShards(),
                millisSince(started), servedFrom);
        if (!partial && version == collection.version() && maxVersion == collection.version()) {
            results.put(key, response);
        }
        metrics.search(label, System.nanoTime() - started, shards.size(), gathered.hedges(), partial, false, lag);
        return response;
    }

    /**
     * Scatters; for version-bound reads, re-plans the missing shards until {@code freshWait} as long as each has a
     * replica that answered it is behind (others may have failed: a region whose nodes died, say, while another
     * region's replica catches up).
     */
    private GatherResult gather(CollectionRecord c, List<Integer> shards, ShardSearchRequest request, long required) {
        long deadline = System.nanoTime() + freshWaitNanos;
        List<GatherResult.ShardAnswer> answers = new ArrayList<>();
        int hedges = 0;
        List<Integer> pending = shards;
        boolean refresh = false;
        while (true) {
            List<ShardPlan> plans = planner.plan(c, pending, required, refresh);
            GatherResult round = scatter.gather(plans, request);
            answers.addAll(round.answers());
            hedges += round.hedges();
            boolean retry = required > 0 && !round.missing().isEmpty()
                    && round.missing().stream().allMatch(GatherResult.MissingShard::behind);
            if (!retry) {
                return new GatherResult(answers, round.missing(), hedges);
            }
            if (System.nanoTime() > deadline) {
                throw new StrataException.Unavailable("not_fresh", "no replica of shard(s) "
                        + round.missingShards() + " of collection '" + c.name() + "' in region(s) "
                        + planner.regions() + " has applied version " + required + " within "
                        + freshWaitNanos / 1_000_000 + " ms; " + bestApplied(c, round.missingShards())
                        + "; retry later or read with consistency bounded");
            }
            Set<Integer> missing = new HashSet<>(round.missingShards());
            pending = shards.stream().filter(missing::contains).toList();
            refresh = true;
            sleep();
        }
    }

    /**
     * The other regions that answered some shard, in the order of the fallback list; each is logged and counted
     * ({@code router_region_fallback}) with the shards it served.
     */
    private List<String> servedFrom(String label, GatherResult gathered) {
        Map<String, List<Integer>> byRegion = new TreeMap<>();
        for (GatherResult.ShardAnswer a : gathered.answers()) {
            if (a.region() != null) {
                byRegion.computeIfAbsent(a.region(), r -> new ArrayList<>()).add(a.shard());
            }
        }
        if (byRegion.isEmpty()) {
            return List.of();
        }
        List<String> regions = planner.regions().stream().filter(byRegion::containsKey).toList();
        for (String region : regions) {
            List<Integer> shards = byRegion.get(region).stream().sorted().toList();
            LOG.info("{}: shard(s) {} answered by region {} instead of region {} (cross-region fallback)", label, shards, region,
                    planner.regions().getFirst());
            metrics.regionFallback(label, region, shards.size());
        }
        return regions;
    }

    /** The best version the replicas report for the missing shards, for the {@code not_fresh} message. */
    private String bestApplied(CollectionRecord c, List<Integer> shards) {
        Map<Integer, Long> best = planner.bestApplied(c, shards);
        if (best.isEmpty()) {
            return "no live replica reports having loaded them";
        }
        long lowest = best.values().stream().mapToLong(Long::longValue).min().orElse(0);
        String unreported = shards.stream().filter(s -> !best.containsKey(s)).map(String::valueOf)
                .collect(java.util.stream.Collectors.joining(", "));
        return "the best applied version is " + lowest + " (newest per shard: " + best + ")"
                + (unreported.isEmpty() ? "" : "; no live replica reports shard(s) " + unreported);
    }

    /** The collection once its committed version reaches {@code minVersion}, or 503 {@code not_fresh}. */
    private CollectionRecord awaitCommitted(String tenant, String name, CollectionRecord c, long minVersion) {
        long deadline = System.nanoTime() + freshWaitNanos;
        CollectionRecord current = c;
        while (current.version() < minVersion) {
            if (System.nanoTime() > deadline) {
                throw new StrataException.Unavailable("not_fresh", "collection '" + name + "' is at version "
                        + current.version() + " in this region; minVersion " + minVersion + " is not committed here"
                        + " within " + freshWaitNanos / 1_000_000 + " ms");
            }
            sleep();
            current = collections.get(tenant, name, true);
        }
        return current;
    }

    private static String describe(GatherResult g) {
        StringBuilder sb = new StringBuilder();
        for (GatherResult.MissingShard m : g.missing()) {
            if (!sb.isEmpty()) {
                sb.append("; ");
            }
            sb.append("shard ").append(m.shard()).append(": ").append(m.why());
        }
        return sb.toString();
    }

    private static double millisSince(long started) {
        return Math.round((System.nanoTime() - started) / 1e4) / 100.0;
    }

    private static void sleep() {
        try {
            Thread.sleep(RETRY_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StrataException.Unavailable("interrupted", "the search was interrupted");
        }
    }
}
