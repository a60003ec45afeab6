package dev.strata.shard.service;

import dev.strata.api.CollectionSpec;
import dev.strata.catalog.Catalog;
import dev.strata.catalog.CollectionRecord;
import dev.strata.catalog.NodeRecord;
import dev.strata.catalog.SegmentRef;
import dev.strata.catalog.ShardRecord;
import dev.strata.placement.PlacementTable;
import dev.strata.segment.SegmentReader;
import dev.strata.shard.ShardIndex;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * Keeps this node's replicas in step with the catalog. Each {@link #tick()} (every few hundred milliseconds):
 * <ol>
 *   <li>computes placement over the region's live nodes ({@link PlacementTable}, the same function every node
 *       and router uses), adds replicas for shards newly placed here and retires those placed elsewhere;</li>
 *   <li>records each collection's committed version and commit time (the replication lag follows);</li>
 *   <li>for a replica behind, hands a load to the loader executor: read the shard's segment list, acquire each
 *       segment from the {@link SegmentCache} (download, verify, map, warm), build the shard index and swap the
 *       new view in. Segments the previous view had are reused, not reloaded.</li>
 * </ol>
 * A failed load (corrupt segment, store down) leaves the last good view serving, is logged and counted, and is
 * retried with back-off; the lag keeps growing meanwhile. One load per replica at a time; {@code tick} itself
 * never waits for a download. Not thread-safe: {@code tick} runs on one scheduler thread.
 */
final class CatalogWatcher {

    private static final Logger LOG = LoggerFactory.getLogger(CatalogWatcher.class);

    private final Catalog catalog;
    private final SegmentCache cache;
    private final ShardReplicas replicas;
    private final ShardMetrics metrics;
    private final String region;
    private final String nodeId;
    private final Executor loaders;
    private final Clock clock;
    private final RecallSampler recall;

    CatalogWatcher(Catalog catalog, SegmentCache cache, ShardReplicas replicas, ShardMetrics metrics,
                   String region, String nodeId, Executor loaders, Clock clock, RecallSampler recall) {
        this.catalog = catalog;
        this.cache = cache;
        this.replicas = replicas;
        this.metrics = metrics;
        this.region = region;
        this.nodeId = nodeId;
        this.loaders = loaders;
        this.clock = clock;
        this.recall = recall;
    }

    void tick() {
        Instant now = clock.instant();
        List<NodeRecord> nodes = catalog.liveNodes(region, now);
        if (nodes.stream().noneMatch(n -> n.nodeId().equals(nodeId))) {
            // Our own heartbeat is not visible yet: placing shards now would disagree with the other nodes.
            return;
        }
        PlacementTable placement = PlacementTable.of(nodes);
        Set<ShardKey> placed = new HashSet<>();
        for (CollectionRecord collection : catalog.listAllCollections()) {
            CollectionSpec spec = collection.spec();
            for (int shard = 0; shard < spec.shards(); shard++) {
                if (!placement.isPlacedOn(nodeId, collection.tenant(), collection.name(), shard, spec.replicas())) {
                    continue;
                }
                ShardKey key = new ShardKey(collection.tenant(), collection.name(), shard);
                placed.add(key);
                ShardReplica replica = replicas.get(key);
                if (replica == null) {
                    replica = replicas.add(new ShardReplica(key, spec));
                    metrics.lagGauge(key, replica, ShardReplica::lagSeconds);
                    LOG.info("shard {} is now placed on node {}", key, nodeId);
                }
                replica.observeCommitted(spec, collection.version(), collection.lastCommitAt());
                if (!replica.caughtUp() && replica.tryStartLoad(now)) {
                    ShardReplica target = replica;
                    long version = collection.version();
                    loaders.execute(() -> load(target, version));
                }
            }
        }
        for (ShardReplica replica : List.copyOf(replicas.all())) {
            if (!placed.contains(replica.key())) {
                replicas.remove(replica.key());
                replica.retire();
                metrics.removeShard(replica.key());
                LOG.info("shard {} moved away from node {}", replica.key(), nodeId);
                ShardKey gone = replica.key();
                if (replicas.all().stream().noneMatch(r -> r.key().tenant().equals(gone.tenant())
                        && r.key().collection().equals(gone.collection()))) {
                    recall.forget(gone.tenant() + "/" + gone.collection());
                }
            }
        }
        replicas.placementKnown();
    }

    /** Brings a replica to {@code version} (read before its shard item, so the label never runs ahead). */
    private void load(ShardReplica replica, long version) {
        ShardKey key = replica.key();
        if (replica.retired()) {
            replica.loadSucceeded();
            return;
        }
        MDC.put("shard", key.label());
        try {
            ShardRecord shard = catalog.getShards(key.tenant(), key.collection(), true).stream()
                    .filter(s -> s.shard() == key.shard())
                    .findFirst()
                    .orElse(null);
            List<SegmentRef> refs = shard == null ? List.of() : shard.segments().stream()
                    .sorted(Comparator.comparingLong(SegmentRef::version))
                    .toList();
            Instant now = clock.instant();
            ReplicaView previous = replica.peek();
            List<String> ids = refs.stream().map(SegmentRef::segmentId).toList();
            if (previous != null && previous.segmentIds().equals(ids)) {
                replica.swap(previous.atVersion(version, now));
            } else {
                replica.swap(build(key, refs, previous, version, now));
                LOG.info("shard {} serves version {} from {} segments", key, version, refs.size());
            }
            replica.loadSucceeded();
        } catch (CorruptSegmentException e) {
            LOG.error("shard {} keeps serving version {}: {}", key, replica.appliedVersion(), e.getMessage());
            replica.loadFailed(clock.instant());
        } catch (RuntimeException e) {
            LOG.warn("shard {} could not load version {}: {}", key, version, e.toString());
            replica.loadFailed(clock.instant());
        } finally {
            MDC.remove("shard");
        }
    }

    private ReplicaView build(ShardKey key, List<SegmentRef> refs, ReplicaView previous, long version, Instant now) {
        Map<String, CachedSegment> reusable = new HashMap<>();
        if (previous != null) {
            previous.segments().forEach(s -> reusable.put(s.ref().segmentId(), s));
        }
        List<CachedSegment> segments = new ArrayList<>(refs.size());
        try {
            for (SegmentRef ref : refs) {
                CachedSegment kept = reusable.get(ref.segmentId());
                if (kept != null) {
                    kept.retain();
                    segments.add(kept);
                } else {
                    Timer.Sample sample = Timer.start();
                    segments.add(cache.acquire(ref));
                    sample.stop(metrics.shard(key).indexBuild());
                }
            }
            List<SegmentReader> readers = segments.stream().map(CachedSegment::reader).toList();
            return new ReplicaView(version, segments, new ShardIndex(readers), now);
        } catch (RuntimeException e) {
            segments.forEach(CachedSegment::release);
            throw e;
        }
    }
}
