package dev.strata.local.bench;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Runs every query through a search function on N threads and measures it: one untimed warm-up pass, then
 * {@value #TIMED_PASSES} timed passes. QPS is queries over wall-clock time of the timed passes; p50/p99 are over
 * the latency of every timed query. The answers of the last pass are kept for recall.
 */
final class QueryRunner {
    static final int TIMED_PASSES = 3;

    /**
     * @param qps    queries per second of wall-clock time (the figure the benchmark reports)
     * @param cpuQps queries per second of CPU time consumed by the search threads: on a machine shared with other
     *               work this is the steadier figure of the search path's own cost
     */
    record Measurement(int[][] answers, double qps, double p50Ms, double p99Ms, double cpuQps,
                       double processCpuUsPerQuery) {}

    private static final java.lang.management.ThreadMXBean THREADS =
            java.lang.management.ManagementFactory.getThreadMXBean();

    static Measurement run(int queries, int threads, IntFunction<int[]> search) throws InterruptedException {
        return run(queries, threads, search, 0);
    }

    /**
     * As {@link #run(int, int, IntFunction)}, with warm-up passes repeated until {@code warmupSeconds} have
     * passed: a path through a whole server (HTTP stack, framework) has far more code for the JIT to compile than
     * the bare search, and timing it before the compiler settles measures the compiler, not the path.
     */
    static Measurement run(int queries, int threads, IntFunction<int[]> search, double warmupSeconds)
            throws InterruptedException {
        int[][] answers = new int[queries][];
        long warmupEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
        do {
            pass(queries, threads, search, answers, null);
        } while (System.nanoTime() < warmupEnd);
        long[] latencies = new long[queries * TIMED_PASSES];
        java.util.concurrent.atomic.AtomicLong cpu = new java.util.concurrent.atomic.AtomicLong();
        long start = System.nanoTime();
        long processCpu = processCpuNanos();
        for (int p = 0; p < TIMED_PASSES; p++) {
            cpu.addAndGet(pass(queries, threads, search, answers, latencies, p * queries));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Arrays.sort(latencies);
        return new Measurement(answers, queries * TIMED_PASSES / seconds,
                latencies[(int) (latencies.length * 0.50)] / 1e6,
                latencies[Math.min(latencies.length - 1, (int) (latencies.length * 0.99))] / 1e6,
                queries * TIMED_PASSES / (cpu.get() / 1e9),
                (processCpuNanos() - processCpu) / 1e3 / (queries * TIMED_PASSES));
    }

    /**
     * CPU time of the whole process (a node run in the benchmark's JVM and its clients share it, with GC and JIT
     * threads): the cost per query that stays meaningful when other work shares the machine.
     */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static void pass(int queries, int threads, IntFunction<int[]> search, int[][] answers, long[] latencies)
            throws InterruptedException {
        pass(queries, threads, search, answers, latencies, 0);
    }

    /** Runs one pass; returns the CPU nanoseconds the search threads used. */
    private static long pass(int queries, int threads, IntFunction<int[]> search, int[][] answers,
                             long[] latencies, int offset) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        java.util.concurrent.atomic.AtomicLong cpu = new java.util.concurrent.atomic.AtomicLong();
        Runnable worker = () -> {
            long c0 = THREADS.getCurrentThreadCpuTime();
            int q;
            while ((q = next.getAndIncrement()) < queries) {
                long t0 = System.nanoTime();
                answers[q] = search.apply(q);
                if (latencies != null) {
                    latencies[offset + q] = System.nanoTime() - t0;
                }
            }
            cpu.addAndGet(THREADS.getCurrentThreadCpuTime() - c0);
        };
        if (threads == 1) {
            worker.run();
            return cpu.get();
        }
        Thread[] ts = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            ts[t] = new Thread(worker, "bench-search-" + t);
            ts[t].start();
        }
        for (Thread t : ts) {
            t.join();
        }
        return cpu.get();
    }
}
