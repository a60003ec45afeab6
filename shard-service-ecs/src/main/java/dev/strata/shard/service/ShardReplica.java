package dev.strata.shard.service;

import dev.strata.api.CollectionSpec;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * This node's replica of one shard: the current {@link ReplicaView} (swapped atomically by the watcher) and
 * what the catalog last said was committed, from which the replication lag follows.
 *
 * <p>Searches call {@link #acquire()} and release the view they got; they never wait for a load. Thread-safe.
 */
final class ShardReplica {

    private final ShardKey key;
    private final AtomicReference<ReplicaView> current = new AtomicReference<>();
    private final AtomicBoolean loading = new AtomicBoolean();
    private volatile CollectionSpec spec;
    private volatile long committedVersion;
    private volatile Instant committedAt;
    private volatile Instant nextAttempt = Instant.MIN;
    private volatile Duration backoff = Duration.ZERO;
    private volatile boolean retired;
    /** This shard's search meters, looked up once (the search path then builds no label and does no map look-up). */
    private volatile ShardMetrics.ShardMeters meters;

    ShardReplica(ShardKey key, CollectionSpec spec) {
        this.key = key;
        this.spec = spec;
    }

    ShardKey key() {
        return key;
    }

    /** The search meters of this shard in {@code metrics}, resolved on first use and kept. */
    ShardMetrics.ShardMeters meters(ShardMetrics metrics) {
        ShardMetrics.ShardMeters resolved = meters;
        if (resolved == null) {
            resolved = metrics.shard(key); // idempotent: racing first searches get the same registered meters
            meters = resolved;
        }
        return resolved;
    }

    CollectionSpec spec() {
        return spec;
    }

    /** Records what the catalog holds now: the collection's version and the time of its commit. */
    void observeCommitted(CollectionSpec latestSpec, long version, Instant commitAt) {
        this.spec = latestSpec;
        if (version >= committedVersion) {
            this.committedVersion = version;
            this.committedAt = commitAt;
        }
    }

    long committedVersion() {
        return committedVersion;
    }

    /** The current view with a reference held for the caller, or null before the first load. */
    ReplicaView acquire() {
        while (true) {
            ReplicaView view = current.get();
            if (view == null) {
                return null;
            }
            if (view.tryAcquire()) {
                return view;
            }
            // The view was retired between get and acquire: the next read sees its successor.
        }
    }

    /** The current view without a reference (for the watcher, which is the only writer). */
    ReplicaView peek() {
        return current.get();
    }

    /** Publishes a new view; the old one is released once its last search ends. */
    void swap(ReplicaView next) {
        ReplicaView previous = current.getAndSet(next);
        if (previous != null) {
            previous.release();
        }
        if (retired) {
            // A load that finished after the shard moved away must not leave its view behind.
            ReplicaView late = current.getAndSet(null);
            if (late != null) {
                late.release();
            }
        }
    }

    boolean retired() {
        return retired;
    }

    /** Retires the replica for good (the shard moved away or the node stops): its view goes once searches end. */
    void retire() {
        retired = true;
        swap(null);
    }

    /** Version this replica serves, or -1 before the first load. */
    long appliedVersion() {
        ReplicaView view = current.get();
        return view == null ? -1 : view.version();
    }

    boolean loaded() {
        return current.get() != null;
    }

    boolean caughtUp() {
        return appliedVersion() >= committedVersion;
    }

    /** Milliseconds since the commit this replica has not applied yet; 0 when caught up. */
    long lagMillis(Instant now) {
        Instant commitAt = committedAt;
        if (caughtUp() || commitAt == null) {
            return 0;
        }
        return Math.max(0, Duration.between(commitAt, now).toMillis());
    }

    double lagSeconds() {
        return lagMillis(Instant.now()) / 1000.0;
    }

    /** Claims the right to load this replica (one load at a time); false when a load runs or backs off. */
    boolean tryStartLoad(Instant now) {
        return !now.isBefore(nextAttempt) && loading.compareAndSet(false, true);
    }

    void loadSucceeded() {
        backoff = Duration.ZERO;
        nextAttempt = Instant.MIN;
        loading.set(false);
    }

    /** Backs off after a failed load: 1 s, doubling to 30 s, so a corrupt object is not fetched in a loop. */
    void loadFailed(Instant now) {
        Duration next = backoff.isZero() ? Duration.ofSeconds(1) : backoff.multipliedBy(2);
        backoff = next.compareTo(Duration.ofSeconds(30)) > 0 ? Duration.ofSeconds(30) : next;
        nextAttempt = now.plus(backoff);
        loading.set(false);
    }
}
