package dev.strata.shard.service;

import dev.strata.catalog.Catalog;
import dev.strata.store.S3SegmentStore;
import dev.strata.store.SegmentStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.runtime.graceful.GracefulShutdownCapable;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The node's moving parts: segment cache, replicas, catalog watcher and heartbeat, started once the HTTP server
 * listens (so the heartbeat carries the real endpoint) and stopped on shutdown: the heartbeat is removed first
 * (routers and placement stop sending shards here), then in-flight searches drain, then views are released.
 * Thread-safe.
 */
@Singleton
public final class ShardNodeRuntime implements ApplicationEventListener<ServerStartupEvent>, GracefulShutdownCapable {

    private static final Logger LOG = LoggerFactory.getLogger(ShardNodeRuntime.class);

    private final Catalog catalog;
    private final NodeSettings settings;
    private final String nodeId;
    private final ShardMetrics metrics;
    private final SegmentCache cache;
    private final RecallSampler recall;
    private final HomeBucket homeFallback;
    private final ShardReplicas replicas = new ShardReplicas();
    private final LongAdder searches = new LongAdder();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean left = new AtomicBoolean();
    private final Clock clock = Clock.systemUTC();
    private volatile boolean draining;
    private volatile Heartbeat heartbeat;
    private ScheduledExecutorService scheduler;
    private ExecutorService loaders;

    ShardNodeRuntime(Catalog catalog, SegmentStore store, @Nullable HomeBucket home, MeterRegistry registry,
                     NodeSettings settings, CacheSettings cacheSettings, RecallSettings recallSettings) {
        this.catalog = catalog;
        this.settings = settings;
        this.nodeId = settings.id() == null || settings.id().isBlank()
                ? "node-" + UUID.randomUUID().toString().substring(0, 8) : settings.id();
        this.metrics = new ShardMetrics(registry);
        this.homeFallback = home == null
                || (store instanceof S3SegmentStore s3 && s3.bucket().equals(home.bucket())) ? null : home;
        if (homeFallback != null) {
            LOG.info("node {} reads segments not replicated yet from the home bucket '{}'", nodeId,
                    homeFallback.bucket());
        }
        this.cache = new SegmentCache(Path.of(cacheSettings.dir()), cacheSettings.maxBytes(), cacheSettings.warm(),
                new SegmentDownloader(store, homeFallback, metrics), metrics);
        metrics.cacheGauges(cache, SegmentCache::bytes, SegmentCache::diskUsedRatio);
        this.recall = new RecallSampler(recallSettings, registry, nodeId);
    }

    @Override
    public void onApplicationEvent(ServerStartupEvent event) {
        if (!started.compareAndSet(false, true)) {
            return;
        }
        String endpoint = settings.advertisedEndpoint() != null && !settings.advertisedEndpoint().isBlank()
                ? settings.advertisedEndpoint() : event.getSource().getURL().toString();
        heartbeat = new Heartbeat(catalog, replicas, settings.region(), nodeId, endpoint, settings.heartbeatTtl(),
                clock, searches);
        scheduler = Executors.newScheduledThreadPool(2, daemon("strata-" + nodeId + "-schedule"));
        loaders = Executors.newFixedThreadPool(2, daemon("strata-" + nodeId + "-load"));
        CatalogWatcher watcher = new CatalogWatcher(catalog, cache, replicas, metrics, settings.region(), nodeId,
                loaders, clock, recall);
        // The first heartbeat goes out at once but off the startup thread: a slow catalog must not hold up startup.
        scheduler.scheduleAtFixedRate(guarded("heartbeat", heartbeat::beat),
                0, settings.heartbeatInterval().toMillis(), TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(guarded("catalog watch", watcher::tick),
                0, settings.watchInterval().toMillis(), TimeUnit.MILLISECONDS);
        LOG.info("shard node {} serving at {} in region {}", nodeId, endpoint, settings.region());
    }

    public String nodeId() {
        return nodeId;
    }

    ShardReplicas replicas() {
        return replicas;
    }

    ShardMetrics metrics() {
        return metrics;
    }

    /** The home bucket segment files are completed from, or null (none configured, or this region's own bucket). */
    HomeBucket homeFallback() {
        return homeFallback;
    }

    RecallSampler recall() {
        return recall;
    }

    SegmentCache cache() {
        return cache;
    }

    /** True once every shard placed on this node is loaded. */
    public boolean ready() {
        return !draining && replicas.ready();
    }

    /** Registers a search; false when the node is draining (the caller answers 503). */
    boolean enter() {
        inFlight.incrementAndGet();
        if (draining) {
            inFlight.decrementAndGet();
            return false;
        }
        searches.increment();
        return true;
    }

    void exit() {
        inFlight.decrementAndGet();
    }

    /**
     * Leaves the region (removes the heartbeat), refuses new searches and completes once in-flight searches have
     * finished or the drain timeout passed.
     */
    @Override
    public CompletionStage<?> shutdownGracefully() {
        return CompletableFuture.runAsync(this::drain);
    }

    @Override
    public java.util.OptionalLong reportActiveTasks() {
        return java.util.OptionalLong.of(inFlight.get());
    }

    /** Removes the heartbeat and waits (bounded by the drain timeout) for in-flight searches. */
    public void drain() {
        stopSchedules();
        if (heartbeat != null && left.compareAndSet(false, true)) {
            heartbeat.leave();
        }
        draining = true;
        long deadline = System.nanoTime() + settings.drainTimeout().toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (inFlight.get() > 0) {
            LOG.warn("node {} stops with {} searches still running after {}", nodeId, inFlight.get(),
                    settings.drainTimeout());
        }
    }

    /** Stops heartbeating without removing the NODE item (what a crash looks like to the others). */
    void killWithoutLeaving() {
        left.set(true);
        stopSchedules();
    }

    @PreDestroy
    void close() {
        drain();
        if (loaders != null) {
            loaders.shutdownNow();
            try {
                loaders.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        recall.close();
        replicas.retireAll();
    }

    private void stopSchedules() {
        if (scheduler != null) {
            // Let a running heartbeat or tick finish its catalog call: an interrupted SDK call only adds noise.
            scheduler.shutdown();
            try {
                if (!scheduler.awaitTermination(5, TimeUnit.SECONDS)) {
                    scheduler.shutdownNow();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                scheduler.shutdownNow();
            }
        }
    }

    private Runnable guarded(String what, Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.warn("{} of node {} failed: {}", what, nodeId, e.toString());
            }
        };
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    Duration drainTimeout() {
        return settings.drainTimeout();
    }
}
