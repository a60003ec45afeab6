package dev.strata.local.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.function.IntFunction;

/**
 * Runs queries at a fixed rate, open loop: query i is due at {@code start + i / rate} whatever happened to the
 * ones before, and its latency is measured from that due time, so a stalled system shows as latency rather than
 * as a lower offered load (no coordinated omission). Each query runs on its own virtual thread.
 */
final class OpenLoopLoad {

    /** The outcome of one query: its recall@10, or NaN when it failed. */
    interface Query extends IntFunction<Double> {}

    /** Measured figures of one level. */
    record Result(double targetQps, double achievedQps, double[] latenciesMs, long errors, double meanRecall) {
        double percentile(double p) {
            if (latenciesMs.length == 0) {
                return Double.NaN;
            }
            double[] sorted = latenciesMs.clone();
            Arrays.sort(sorted);
            int index = (int) Math.ceil(p * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
        }
    }

    private OpenLoopLoad() {}

    /** Sends {@code count} queries at {@code rate} per second; query i is {@code query.apply(i)}. */
    static Result run(double rate, int count, Query query) throws InterruptedException {
        long intervalNanos = (long) (1e9 / rate);
        List<Double> latencies = java.util.Collections.synchronizedList(new ArrayList<>(count));
        AtomicLong errors = new AtomicLong();
        DoubleAdder recall = new DoubleAdder();
        AtomicLong answered = new AtomicLong();
        long start = System.nanoTime() + 20_000_000L;
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < count; i++) {
                long due = start + i * intervalNanos;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                int index = i;
                threads.execute(() -> {
                    double r;
                    try {
                        r = query.apply(index);
                    } catch (RuntimeException e) {
                        r = Double.NaN;
                    }
                    long end = System.nanoTime();
                    latencies.add((end - due) / 1e6);
                    if (Double.isNaN(r)) {
                        errors.incrementAndGet();
                    } else {
                        recall.add(r);
                        answered.incrementAndGet();
                    }
                });
            }
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        double[] ms = latencies.stream().mapToDouble(Double::doubleValue).toArray();
        long ok = answered.get();
        return new Result(rate, ok / elapsed, ms, errors.get(), ok == 0 ? Double.NaN : recall.sum() / ok);
    }
}
