package dev.strata.shard.service;

import dev.strata.api.Match;
import dev.strata.metrics.MetricNames;
import dev.strata.shard.ShardQuery;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Live recall monitoring (DESIGN §13). A served search is sampled with probability {@code sampleRate}, at most
 * {@code maxPerSecond} a second; a sample (the query, the ids served and a reference to the replica view that
 * served them) waits in a bounded queue and a low-priority background thread re-runs it exactly over the same view
 * ({@link dev.strata.shard.ShardIndex#searchExact}). Recall@k of the served ids against the exact ones feeds a moving average per collection,
 * exported as {@code search_recall_estimate{collection="tenant/collection"}} with the counter
 * {@code search_recall_samples_total{collection}}; samples dropped (queue full or rate bound) are counted in
 * {@code search_recall_samples_dropped_total}.
 *
 * <p>The background thread keeps to {@code maxCpuFraction} of a core: after each sample it waits in proportion to
 * the CPU the sample took (an exact scan of a large shard costs milliseconds). The search thread only draws a random
 * number, takes a view reference and offers to the queue: it never waits. A held view keeps its segments mapped until its sample ran (at most {@code queueCapacity + 1} views).
 * With a sample rate of 0 nothing is started and no recall meter exists. Thread-safe; {@link #close()} stops the
 * thread and releases the views still queued.
 */
final class RecallSampler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RecallSampler.class);

    private record Sample(String collection, ReplicaView view, ShardQuery query, List<String> served) {}

    private final RecallSettings settings;
    private final MeterRegistry registry;
    private final BlockingQueue<Sample> queue;
    private final Map<String, Estimate> estimates = new ConcurrentHashMap<>();
    private final Counter dropped;
    private final AtomicLong second = new AtomicLong();
    private final AtomicInteger takenThisSecond = new AtomicInteger();
    private final Thread worker;
    private volatile boolean closed;

    RecallSampler(RecallSettings settings, MeterRegistry registry, String nodeId) {
        this.settings = settings;
        this.registry = registry;
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        if (!settings.enabled()) {
            this.dropped = null;
            this.worker = null;
            return;
        }
        this.dropped = Counter.builder(MetricNames.RECALL_SAMPLES_DROPPED)
                .description("Sampled searches not re-run: the recall queue was full or its rate bound reached")
                .register(registry);
        this.worker = new Thread(this::run, "strata-" + nodeId + "-recall");
        worker.setDaemon(true);
        worker.setPriority(Thread.MIN_PRIORITY);
        worker.start();
    }

    /**
     * Maybe samples a served search: {@code view} is the view that answered (the caller still holds it), {@code query}
     * the query it ran, {@code served} its answer.
     */
    void offer(ShardKey key, ReplicaView view, ShardQuery query, List<Match> served) {
        if (worker == null || closed) {
            return;
        }
        double rate = settings.sampleRate();
        if (rate < 1 && ThreadLocalRandom.current().nextDouble() >= rate) {
            return;
        }
        if (!permit()) {
            dropped.increment();
            return;
        }
        if (!view.tryAcquire()) {
            return;
        }
        ShardQuery exact = new ShardQuery(query.vector().clone(), query.k(), query.k(), query.filter(), false, false);
        Sample sample = new Sample(key.tenant() + "/" + key.collection(), view, exact,
                served.stream().map(Match::id).toList());
        if (!queue.offer(sample)) {
            view.release();
            dropped.increment();
        }
    }

    /**
     * Removes the meters of a collection none of whose shards this node serves any more (a stale estimate would
     * mislead). A sample of it still queued may register them again; its next removal clears them.
     */
    void forget(String collection) {
        if (estimates.remove(collection) == null) {
            return;
        }
        var gauge = registry.find(MetricNames.RECALL_ESTIMATE).tag("collection", collection).gauge();
        if (gauge != null) {
            registry.remove(gauge);
        }
        var samples = registry.find(MetricNames.RECALL_SAMPLES).tag("collection", collection).counter();
        if (samples != null) {
            registry.remove(samples);
        }
    }

    /** The current estimate of a collection, or NaN before its first sample (for tests and logs). */
    double estimate(String collection) {
        Estimate estimate = estimates.get(collection);
        return estimate == null ? Double.NaN : estimate.mean();
    }

    /** At most {@code maxPerSecond} samples per wall-clock second. */
    private boolean permit() {
        long now = System.nanoTime() / 1_000_000_000L;
        long current = second.get();
        if (current != now && second.compareAndSet(current, now)) {
            takenThisSecond.set(0);
        }
        return takenThisSecond.incrementAndGet() <= settings.maxPerSecond();
    }

    private void run() {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        while (!closed) {
            Sample sample;
            try {
                sample = queue.poll(200, TimeUnit.MILLISECONDS);
                if (sample == null) {
                    continue;
                }
                long cpu = threads.getCurrentThreadCpuTime();
                measure(sample);
                long pause = pauseNanos(threads.getCurrentThreadCpuTime() - cpu, settings.maxCpuFraction());
                if (pause > 0) {
                    TimeUnit.NANOSECONDS.sleep(pause);
                }
            } catch (InterruptedException e) {
                break;
            }
        }
    }

    /**
     * The wait after a sample that used {@code cpuNanos} of CPU that keeps this thread at {@code maxCpuFraction} of
     * a core (at most 10 s, so a freak sample cannot stall monitoring for long).
     */
    static long pauseNanos(long cpuNanos, double maxCpuFraction) {
        if (cpuNanos <= 0 || maxCpuFraction >= 1) {
            return 0;
        }
        return Math.min(TimeUnit.SECONDS.toNanos(10), (long) (cpuNanos / maxCpuFraction) - cpuNanos);
    }

    private void measure(Sample sample) {
        try {
            List<Match> exact = sample.view().index().searchExact(sample.query());
            if (exact.isEmpty()) {
                return; // nothing to find: recall is undefined, not perfect
            }
            Set<String> served = new HashSet<>(sample.served());
            long found = exact.stream().filter(m -> served.contains(m.id())).count();
            estimateOf(sample.collection()).add((double) found / exact.size());
        } catch (RuntimeException e) {
            LOG.warn("recall sample of collection {} failed: {}", sample.collection(), e.toString());
        } finally {
            sample.view().release();
        }
    }

    private Estimate estimateOf(String collection) {
        return estimates.computeIfAbsent(collection, c -> {
            Estimate estimate = new Estimate(settings.window(), Counter.builder(MetricNames.RECALL_SAMPLES)
                    .description("Served searches re-run exactly to estimate recall")
                    .tag("collection", c).register(registry));
            Gauge.builder(MetricNames.RECALL_ESTIMATE, estimate, Estimate::mean)
                    .description("Mean recall@k of the last sampled searches against exact search")
                    .tag("collection", c)
                    .strongReference(true)
                    .register(registry);
            return estimate;
        });
    }

    @Override
    public void close() {
        closed = true;
        if (worker != null) {
            worker.interrupt();
            try {
                worker.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Sample left;
        while ((left = queue.poll()) != null) {
            left.view().release();
        }
    }

    /** Moving mean over the last {@code window} recalls of one collection. Thread-safe. */
    private static final class Estimate {
        private final double[] recalls;
        private final Counter samples;
        private int next;
        private int size;
        private double sum;

        Estimate(int window, Counter samples) {
            this.recalls = new double[window];
            this.samples = samples;
        }

        synchronized void add(double recall) {
            if (size == recalls.length) {
                sum -= recalls[next];
            } else {
                size++;
            }
            recalls[next] = recall;
            sum += recall;
            next = (next + 1) % recalls.length;
            samples.increment();
        }

        synchronized double mean() {
            return size == 0 ? Double.NaN : sum / size;
        }
    }
}
