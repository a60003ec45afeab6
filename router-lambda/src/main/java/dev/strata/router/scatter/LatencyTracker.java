package dev.strata.router.scatter;

import java.util.Arrays;

/**
 * Recent shard-call latencies in a ring of fixed size; {@link #quantileNanos} answers the hedging threshold
 * (e.g. p95). The quantile is recomputed every {@code RECOMPUTE_EVERY} samples, so reading it is a volatile load.
 * Thread-safe.
 */
public final class LatencyTracker {

    private static final int RECOMPUTE_EVERY = 32;

    private final long[] ring;
    private final double quantile;
    private int size;
    private int next;
    private int sinceRecompute;
    private volatile long cachedNanos = -1;

    public LatencyTracker(int capacity, double quantile) {
        if (capacity < 1 || quantile <= 0 || quantile >= 1) {
            throw new IllegalArgumentException("capacity must be >= 1 and quantile in (0,1); got "
                    + capacity + " and " + quantile);
        }
        this.ring = new long[capacity];
        this.quantile = quantile;
    }

    /** Adds one call's latency. */
    public synchronized void record(long nanos) {
        ring[next] = nanos;
        next = (next + 1) % ring.length;
        size = Math.min(size + 1, ring.length);
        if (++sinceRecompute >= RECOMPUTE_EVERY || cachedNanos < 0) {
            sinceRecompute = 0;
            long[] copy = Arrays.copyOf(ring, size);
            Arrays.sort(copy);
            cachedNanos = copy[Math.min(size - 1, (int) Math.ceil(quantile * size) - 1)];
        }
    }

    /** The configured quantile of recent latencies, or -1 before the first sample. */
    public long quantileNanos() {
        return cachedNanos;
    }
}
