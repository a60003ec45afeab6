package dev.strata.router.scatter;

import dev.strata.api.Match;
import dev.strata.api.ShardSearchRequest;
import dev.strata.api.ShardSearchResponse;
import dev.strata.router.telemetry.XrayTraceHeader;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Scatter-gather with injected slow, failing and lagging replicas: hedging, failover, breakers, partial answers. */
class ScatterGatherTest {

    private static final ShardSearchRequest REQUEST = new ShardSearchRequest(new float[]{1, 0}, 3, 10, null,
            false, false, null);

    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final SdkTracerProvider tracing = SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(spans)).build();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final Map<String, Behaviour> behaviours = new ConcurrentHashMap<>();
    private final Map<String, Map<String, String>> headersSeen = new ConcurrentHashMap<>();
    private final NodeBreakers breakers = new NodeBreakers(50, Duration.ofSeconds(30), Duration.ofMillis(500));
    private final LatencyTracker latencies = new LatencyTracker(64, 0.95);

    private enum Behaviour { FAST, SLOW, FAIL, BEHIND }

    @AfterEach
    void stop() {
        timers.shutdownNow();
        tracing.close();
    }

    /** A client whose replies are decided per node: fast, slow (400 ms), failing or behind. */
    private final ShardClient client = (target, request, headers) -> {
        calls.computeIfAbsent(target.nodeId(), n -> new AtomicInteger()).incrementAndGet();
        headersSeen.put(target.nodeId() + "/" + target.shard(), headers);
        Behaviour b = behaviours.getOrDefault(target.nodeId(), Behaviour.FAST);
        return switch (b) {
            case FAST -> CompletableFuture.completedFuture(answer(target));
            case SLOW -> CompletableFuture.supplyAsync(() -> answer(target),
                    CompletableFuture.delayedExecutor(400, TimeUnit.MILLISECONDS));
            case FAIL -> CompletableFuture.failedFuture(new ShardCallException(ShardCallException.Reason.FAILED,
                    target.nodeId() + " is down"));
            case BEHIND -> CompletableFuture.failedFuture(new ShardCallException(ShardCallException.Reason.BEHIND,
                    target.nodeId() + " applied version 1"));
        };
    };

    private static ShardSearchResponse answer(ShardTarget target) {
        return new ShardSearchResponse(List.of(new Match(target.nodeId() + "-" + target.shard(), 0.5f, null, null)),
                3, 0, target.nodeId());
    }

    private ScatterGather scatter(Duration timeout) {
        return new ScatterGather(client, breakers, latencies, timers, tracing.get("test"),
                XrayTraceHeader.getInstance(), timeout, Duration.ofMillis(2));
    }

    private static ShardPlan plan(int shard, String... nodes) {
        return new ShardPlan(shard, java.util.Arrays.stream(nodes)
                .map(n -> new ShardTarget(n, "inproc://" + n, "t", "c", shard)).toList());
    }

    private int calls(String node) {
        return calls.getOrDefault(node, new AtomicInteger()).get();
    }

    @Test
    void aSlowReplicaIsHedgedToTheNextOne() {
        // GIVEN recent shard calls of about a millisecond, and a first replica that takes 400 ms
        for (int i = 0; i < 64; i++) {
            latencies.record(TimeUnit.MILLISECONDS.toNanos(1));
        }
        behaviours.put("slow", Behaviour.SLOW);
        long started = System.nanoTime();
        // WHEN the shard is searched
        GatherResult result = scatter(Duration.ofSeconds(2)).gather(List.of(plan(0, "slow", "fast")), REQUEST);
        // THEN the hedge to the second replica answers long before the first would have
        assertThat(result.answers()).singleElement().satisfies(a -> {
            assertThat(a.nodeId()).isEqualTo("fast");
            assertThat(a.hedged()).isTrue();
        });
        assertThat(result.hedges()).isEqualTo(1);
        assertThat(result.missing()).isEmpty();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(350);
    }

    @Test
    void aSlowLocalReplicaIsNotHedgedToAnotherRegion() {
        // GIVEN recent shard calls of about a millisecond, and a local replica that takes 400 ms, planned with a
        // fallback region's replica after it
        for (int i = 0; i < 64; i++) {
            latencies.record(TimeUnit.MILLISECONDS.toNanos(1));
        }
        behaviours.put("slow", Behaviour.SLOW);
        ShardPlan plan = new ShardPlan(0, List.of(new ShardTarget("slow", "inproc://slow", "t", "c", 0),
                new ShardTarget("away", "inproc://away", "t", "c", 0, "eu-west-1")));
        // WHEN the shard is searched
        GatherResult result = scatter(Duration.ofSeconds(2)).gather(List.of(plan), REQUEST);
        // THEN the local replica answers: the other region is for failures, not for hedges
        assertThat(result.answers()).singleElement().satisfies(a -> assertThat(a.nodeId()).isEqualTo("slow"));
        assertThat(result.hedges()).isZero();
        assertThat(calls("away")).isZero();
    }

    @Test
    void aFastReplicaIsNotHedged() {
        GatherResult result = scatter(Duration.ofSeconds(2)).gather(List.of(plan(0, "a", "b")), REQUEST);
        assertThat(result.hedges()).isZero();
        assertThat(calls("b")).isZero();
    }

    @Test
    void aFailedLocalReplicaFailsOverToAnotherRegionsAndTheAnswerNamesThatRegion() {
        // GIVEN a shard whose local replica fails, planned with a fallback region's replica after it
        behaviours.put("local", Behaviour.FAIL);
        ShardPlan plan = new ShardPlan(0, List.of(new ShardTarget("local", "inproc://local", "t", "c", 0),
                new ShardTarget("away", "inproc://away", "t", "c", 0, "eu-west-1")));
        // WHEN it is searched
        GatherResult result = scatter(Duration.ofSeconds(2)).gather(List.of(plan), REQUEST);
        // THEN the other region's replica answers, and the answer says which region that was
        assertThat(result.missing()).isEmpty();
        assertThat(result.answers()).singleElement().satisfies(a -> {
            assertThat(a.nodeId()).isEqualTo("away");
            assertThat(a.region()).isEqualTo("eu-west-1");
        });
        assertThat(spans.getFinishedSpanItems()).anySatisfy(span -> assertThat(span.getAttributes().asMap()
                .toString()).contains("strata.region=eu-west-1"));
    }

    @Test
    void aNodeOfAnotherRegionHasABreakerOfItsOwnEvenWithTheSameId() {
        // GIVEN the local node n1's breaker open, and a node also called n1 in eu-west-1
        breakers.of("n1").transitionToOpenState();
        ShardPlan plan = new ShardPlan(0, List.of(new ShardTarget("n1", "inproc://n1", "t", "c", 0),
                new ShardTarget("n1", "inproc://n1-away", "t", "c", 0, "eu-west-1")));
        // WHEN the shard is searched
        GatherResult result = scatter(Duration.ofSeconds(2)).gather(List.of(plan), REQUEST);
        // THEN the remote n1 is called and answers; only the local one was refused by its breaker
        assertThat(result.answers()).singleElement().satisfies(a -> assertThat(a.region()).isEqualTo("eu-west-1"));
        assertThat(calls("n1")).isEqualTo(1);
        assertThat(breakers.healthy("eu-west-1/n1")).isTrue();
    }

    @Test
    void aFailedReplicaFailsOverAtOnce() {
        behaviours.put("down", Behaviour.FAIL);
        GatherResult result = scatter(Duration.ofSeconds(2)).gather(List.of(plan(0, "down", "up")), REQUEST);
        assertThat(result.answers()).singleElement().satisfies(a -> assertThat(a.nodeId()).isEqualTo("up"));
        assertThat(result.answers().get(0).hedged()).isFalse();
    }

    @Test
    void aFailingNodesBreakerOpensAndTheNodeIsSkipped() {
        // GIVEN a node that fails every call
        behaviours.put("down", Behaviour.FAIL);
        ScatterGather scatter = scatter(Duration.ofSeconds(2));
        // WHEN enough searches ran to judge it
        for (int i = 0; i < 6; i++) {
            scatter.gather(List.of(plan(0, "down", "up")), REQUEST);
        }
        // THEN its breaker is open, it is no longer called, and the other replica answers
        assertThat(breakers.of("down").getState()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(breakers.healthy("down")).isFalse();
        int before = calls("down");
        GatherResult result = scatter.gather(List.of(plan(0, "down", "up")), REQUEST);
        assertThat(calls("down")).isEqualTo(before);
        assertThat(result.answers()).singleElement().satisfies(a -> assertThat(a.nodeId()).isEqualTo("up"));
    }

    @Test
    void aShardWhoseReplicasAllFailIsReportedMissing() {
        behaviours.put("x", Behaviour.FAIL);
        behaviours.put("y", Behaviour.FAIL);
        GatherResult result = scatter(Duration.ofSeconds(2))
                .gather(List.of(plan(0, "a", "b"), plan(1, "x", "y"), plan(2, "b", "a")), REQUEST);
        assertThat(result.answers()).extracting(GatherResult.ShardAnswer::shard).containsExactlyInAnyOrder(0, 2);
        assertThat(result.missingShards()).containsExactly(1);
        assertThat(result.missing().get(0).why()).contains("x [failed]").contains("y [failed]");
        assertThat(result.missing().get(0).behind()).isFalse();
    }

    @Test
    void noAnswerWithinTheTimeoutIsMissing() {
        behaviours.put("s1", Behaviour.SLOW);
        behaviours.put("s2", Behaviour.SLOW);
        GatherResult result = scatter(Duration.ofMillis(100)).gather(List.of(plan(0, "s1", "s2")), REQUEST);
        assertThat(result.missingShards()).containsExactly(0);
        assertThat(result.missing().get(0).why()).contains("[timeout]");
    }

    @Test
    void replicasBehindTheVersionAreNotNodeFaults() {
        behaviours.put("old1", Behaviour.BEHIND);
        behaviours.put("old2", Behaviour.BEHIND);
        ScatterGather scatter = scatter(Duration.ofSeconds(2));
        GatherResult result = null;
        for (int i = 0; i < 6; i++) {
            result = scatter.gather(List.of(plan(0, "old1", "old2")), REQUEST);
        }
        assertThat(result.missing()).singleElement().satisfies(m -> assertThat(m.behind()).isTrue());
        assertThat(breakers.healthy("old1")).isTrue();
    }

    @Test
    void aShardWithADeadReplicaAndOneBehindIsBehindSoAVersionBoundReadWaitsForIt() {
        // GIVEN one replica down and the other not yet at the version asked for
        behaviours.put("dead", Behaviour.FAIL);
        behaviours.put("late", Behaviour.BEHIND);
        // WHEN gathered
        GatherResult result = scatter(Duration.ofSeconds(2)).gather(List.of(plan(0, "dead", "late")), REQUEST);
        // THEN the shard is missing but behind: the late replica may catch up, so waiting is worth it
        assertThat(result.missing()).singleElement().satisfies(m -> {
            assertThat(m.behind()).isTrue();
            assertThat(m.why()).contains("dead [failed]").contains("late [behind]");
        });
    }

    @Test
    void eachShardCallIsAChildSpanAndCarriesTheTraceHeader() {
        // GIVEN a parent span (the router's search span)
        Span parent = tracing.get("test").spanBuilder("search").startSpan();
        GatherResult result;
        // WHEN four shards are searched under it
        try (Scope ignored = parent.makeCurrent()) {
            result = scatter(Duration.ofSeconds(2)).gather(
                    List.of(plan(0, "a"), plan(1, "b"), plan(2, "a"), plan(3, "b")), REQUEST);
        } finally {
            parent.end();
        }
        // THEN one span per shard call, children of the parent, and the X-Ray header names the trace
        assertThat(result.answers()).hasSize(4);
        List<SpanData> shardSpans = spans.getFinishedSpanItems().stream()
                .filter(s -> s.getName().equals("shard.search")).toList();
        assertThat(shardSpans).hasSize(4);
        String traceId = parent.getSpanContext().getTraceId();
        assertThat(shardSpans).allSatisfy(s -> {
            assertThat(s.getTraceId()).isEqualTo(traceId);
            assertThat(s.getParentSpanId()).isEqualTo(parent.getSpanContext().getSpanId());
        });
        String header = headersSeen.get("a/0").get(XrayTraceHeader.HEADER);
        assertThat(header).startsWith("Root=1-" + traceId.substring(0, 8) + "-" + traceId.substring(8) + ";Parent=");
        assertThat(Context.current()).isNotNull();
    }
}
