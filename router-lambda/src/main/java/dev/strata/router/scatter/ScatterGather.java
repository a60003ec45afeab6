package dev.strata.router.scatter;

import dev.strata.api.ShardSearchRequest;
import dev.strata.api.ShardSearchResponse;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Calls every planned shard in parallel and collects one answer per shard. Per shard: the first replica is called
 * with a per-call timeout; if it is slower than the recent {@code hedgeQuantile} of shard calls (never sooner than
 * {@code hedgeMinDelay}) a hedged request goes to the next replica, and the first answer wins; a failed call fails
 * over to the next replica at once; a node whose circuit breaker is open is skipped. A shard whose replicas all
 * fail is reported missing (the answer is then {@code partial}). A plan may end with another region's replicas
 * (cross-region fallback): they are simply later in the order, so they take over from failed or behind local
 * replicas, or serve a hedge once the local ones are used up. Each call is a child span carrying the trace
 * header to the shard. Thread-safe; one instance serves all requests.
 */
public final class ScatterGather {

    private final ShardClient client;
    private final NodeBreakers breakers;
    private final LatencyTracker latencies;
    private final ScheduledExecutorService timers;
    private final Tracer tracer;
    private final TextMapPropagator propagator;
    private final Duration shardTimeout;
    private final long hedgeMinNanos;

    public ScatterGather(ShardClient client, NodeBreakers breakers, LatencyTracker latencies,
                         ScheduledExecutorService timers, Tracer tracer, TextMapPropagator propagator,
                         Duration shardTimeout, Duration hedgeMinDelay) {
        this.client = client;
        this.breakers = breakers;
        this.latencies = latencies;
        this.timers = timers;
        this.tracer = tracer;
        this.propagator = propagator;
        this.shardTimeout = shardTimeout;
        this.hedgeMinNanos = hedgeMinDelay.toNanos();
    }

    /** Scatters {@code request} over {@code plans} and waits for every shard's answer or give-up. */
    public GatherResult gather(List<ShardPlan> plans, ShardSearchRequest request) {
        Context parent = Context.current();
        AtomicInteger hedges = new AtomicInteger();
        List<ShardAttempt> attempts = new ArrayList<>(plans.size());
        for (ShardPlan plan : plans) {
            ShardAttempt attempt = new ShardAttempt(plan, request, parent, hedges);
            attempts.add(attempt);
            attempt.start();
        }
        long budget = shardTimeout.toNanos() * 2 + TimeUnit.MILLISECONDS.toNanos(50);
        try {
            CompletableFuture.allOf(attempts.stream().map(a -> a.result).toArray(CompletableFuture[]::new))
                    .get(budget, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            // Shards still running are reported missing below.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("a shard attempt failed unexpectedly", e.getCause());
        }
        List<GatherResult.ShardAnswer> answers = new ArrayList<>();
        List<GatherResult.MissingShard> missing = new ArrayList<>();
        for (ShardAttempt a : attempts) {
            GatherResult.ShardAnswer answer = a.result.getNow(null);
            if (answer != null) {
                answers.add(answer);
            } else {
                missing.add(a.missing());
            }
        }
        missing.sort(Comparator.comparingInt(GatherResult.MissingShard::shard));
        return new GatherResult(answers, missing, hedges.get());
    }

    /** The state of one shard's calls; guarded by its own monitor. */
    private final class ShardAttempt {
        final ShardPlan plan;
        final ShardSearchRequest request;
        final Context parent;
        final AtomicInteger hedges;
        final CompletableFuture<GatherResult.ShardAnswer> result = new CompletableFuture<>();
        final List<String> failures = new ArrayList<>();
        int next;
        int inFlight;
        /** A replica answered {@code version_not_applied}: it may catch up. */
        boolean behind;
        /** Whether a call was made, and the region of the first (null: the router's own). */
        boolean launched;
        String firstRegion;

        ShardAttempt(ShardPlan plan, ShardSearchRequest request, Context parent, AtomicInteger hedges) {
            this.plan = plan;
            this.request = request;
            this.parent = parent;
            this.hedges = hedges;
        }

        void start() {
            launch(false);
            if (plan.replicas().size() > 1) {
                long p = latencies.quantileNanos();
                long delay = Math.max(hedgeMinNanos, p < 0 ? shardTimeout.toNanos() / 2 : p);
                timers.schedule(this::hedge, delay, TimeUnit.NANOSECONDS);
            }
        }

        /**
         * A second call for a slow shard, to the next replica of the same region as the first call: a replica of
         * another region is there for failures, and is not worth cross-region traffic while the first may answer.
         */
        void hedge() {
            if (!result.isDone() && !nextCrossesRegion()) {
                launch(true);
            }
        }

        private synchronized boolean nextCrossesRegion() {
            return launched && next < plan.replicas().size()
                    && !java.util.Objects.equals(plan.replicas().get(next).region(), firstRegion);
        }

        /** Calls the next replica whose breaker lets it through; false when none is left. */
        boolean launch(boolean hedge) {
            ShardTarget target;
            CircuitBreaker breaker;
            synchronized (this) {
                while (true) {
                    if (next >= plan.replicas().size()) {
                        if (inFlight == 0) {
                            result.complete(null);
                        }
                        return false;
                    }
                    target = plan.replicas().get(next++);
                    breaker = breakers.of(target.breakerKey());
                    if (breaker.tryAcquirePermission()) {
                        inFlight++;
                        if (!launched) {
                            launched = true;
                            firstRegion = target.region();
                        }
                        break;
                    }
                    failures.add(label(target) + " [breaker_open]");
                }
            }
            if (hedge) {
                hedges.incrementAndGet();
            }
            call(target, breaker, hedge);
            return true;
        }

        void call(ShardTarget target, CircuitBreaker breaker, boolean hedge) {
            Span span = tracer.spanBuilder("shard.search")
                    .setParent(parent)
                    .setSpanKind(SpanKind.CLIENT)
                    .setAttribute("strata.shard", target.shard())
                    .setAttribute("strata.node", target.nodeId())
                    .setAttribute("strata.hedge", hedge)
                    .startSpan();
            if (target.remote()) {
                span.setAttribute("strata.region", target.region());
            }
            Map<String, String> headers = new HashMap<>();
            propagator.inject(parent.with(span), headers, Map::put);
            long started = System.nanoTime();
            CompletableFuture<ShardSearchResponse> call;
            try {
                call = client.search(target, request, headers);
            } catch (RuntimeException e) {
                call = CompletableFuture.failedFuture(e);
            }
            call.orTimeout(shardTimeout.toNanos(), TimeUnit.NANOSECONDS).whenComplete((response, error) -> {
                long took = System.nanoTime() - started;
                breakers.recordLatency(target.breakerKey(), took);
                if (error == null) {
                    breaker.onSuccess(took, TimeUnit.NANOSECONDS);
                    latencies.record(took);
                    span.end();
                    synchronized (this) {
                        inFlight--;
                    }
                    result.complete(new GatherResult.ShardAnswer(target.shard(), target.nodeId(), target.region(),
                            response, hedge));
                    return;
                }
                ShardCallException failure = classify(target, error);
                if (failure.nodeFault()) {
                    breaker.onError(took, TimeUnit.NANOSECONDS, failure);
                } else {
                    breaker.onSuccess(took, TimeUnit.NANOSECONDS);
                }
                span.setStatus(StatusCode.ERROR, failure.reason().name());
                span.setAttribute("strata.failure", failure.getMessage());
                span.end();
                synchronized (this) {
                    inFlight--;
                    failures.add(label(target) + " [" + failure.reason().name().toLowerCase(java.util.Locale.ROOT)
                            + "] " + failure.getMessage());
                    if (failure.reason() == ShardCallException.Reason.BEHIND) {
                        behind = true;
                    }
                }
                if (!result.isDone()) {
                    launch(false);
                }
            });
        }

        synchronized GatherResult.MissingShard missing() {
            String why = failures.isEmpty() ? "no replica answered within " + shardTimeout.toMillis() + " ms"
                    : String.join("; ", failures);
            return new GatherResult.MissingShard(plan.shard(), behind, plan.replicas().isEmpty()
                    ? "no live replica is placed for the shard" : why);
        }
    }

    /** The node as failure messages name it: its id, and its region when that is not the router's. */
    private static String label(ShardTarget target) {
        return target.remote() ? target.nodeId() + " (region " + target.region() + ")" : target.nodeId();
    }

    private static ShardCallException classify(ShardTarget target, Throwable error) {
        Throwable e = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause() : error;
        if (e instanceof ShardCallException s) {
            return s;
        }
        if (e instanceof TimeoutException) {
            return new ShardCallException(ShardCallException.Reason.TIMEOUT, "shard " + target.shard() + " on node "
                    + target.nodeId() + " gave no answer within the per-call timeout");
        }
        return new ShardCallException(ShardCallException.Reason.FAILED, "shard " + target.shard() + " on node "
                + target.nodeId() + ": " + e, e);
    }
}
