package dev.strata.ingest;

import dev.strata.api.StrataException;
import dev.strata.catalog.Catalog;
import dev.strata.catalog.CollectionRecord;
import dev.strata.catalog.Commit;
import dev.strata.catalog.SegmentRef;
import dev.strata.catalog.ShardRecord;
import dev.strata.segment.SegmentManifest;
import dev.strata.segment.SegmentReader;
import dev.strata.shard.Compactor;
import dev.strata.store.SegmentStore;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Merges a shard's segments into one and swaps it in atomically: download every segment the shard lists
 * (oldest first), merge with {@link Compactor} dropping masked rows and, since nothing older remains, the
 * tombstones; upload; commit a {@link Commit} that adds the merged segment and removes the inputs. The catalog
 * puts the merged segment where its inputs stood, so segments committed meanwhile still mask it; if an input
 * vanished (another compaction won) the swap is dropped. The inputs' objects are deleted by
 * {@link OrphanSweeper} after its grace period, so replicas still loading them are not cut off.
 *
 * <p>Triggers ({@link #compactIfNeeded}): more than {@link IngestConfig#compactSmallSegments()} segments under
 * {@link IngestConfig#smallSegmentRows()} rows, or an estimated masked-row ratio (tombstones listed in the shard
 * over its rows) above {@link IngestConfig#compactMaskedRatio()}. Thread-safe; concurrent compactions of one
 * shard are resolved by the catalog (one wins).
 */
public final class Compaction {

    private final Catalog catalog;
    private final SegmentStore store;
    private final IngestTelemetry telemetry;
    private final IngestConfig config;
    private final Clock clock;

    public Compaction(Catalog catalog, SegmentStore store, IngestTelemetry telemetry, IngestConfig config, Clock clock) {
        this.catalog = catalog;
        this.store = store;
        this.telemetry = telemetry;
        this.config = config;
        this.clock = clock;
    }

    /** True when the shard's segments call for a compaction under the configured triggers. */
    public boolean needsCompaction(ShardRecord shard) {
        if (shard.segments().size() < 2) {
            return false;
        }
        long small = shard.segments().stream().filter(s -> s.rows() < config.smallSegmentRows()).count();
        long rows = shard.segments().stream().mapToLong(SegmentRef::rows).sum();
        long masked = shard.segments().stream().mapToLong(SegmentRef::tombstones).sum();
        return small > config.compactSmallSegments() || (rows > 0 && (double) masked / rows > config.compactMaskedRatio());
    }

    /** Checks the triggers on the given shards of a collection and compacts those that need it. */
    public void compactIfNeeded(CollectionRecord collection, Collection<Integer> shards) {
        List<ShardRecord> all = catalog.getShards(collection.tenant(), collection.name(), true);
        for (int shard : shards) {
            if (needsCompaction(all.get(shard))) {
                compact(collection.tenant(), collection.name(), shard);
            }
        }
    }

    /**
     * Compacts one shard now. Returns the merged segment, or empty when there was nothing to merge or another
     * change removed an input first.
     */
    public Optional<SegmentRef> compact(String tenant, String collectionName, int shard) {
        CollectionRecord collection = catalog.getCollection(tenant, collectionName, true);
        ShardRecord record = catalog.getShards(tenant, collectionName, true).get(shard);
        List<SegmentRef> inputs = record.segments();
        if (inputs.size() < 2) {
            return Optional.empty();
        }
        String segmentId = SegmentIds.newId(clock.instant());
        Path work = config.workDir().resolve("compact-" + segmentId);
        List<SegmentReader> readers = new ArrayList<>();
        try {
            for (SegmentRef input : inputs) {
                Path dir = work.resolve(input.segmentId());
                store.downloadDirectory(input.key(), dir);
                readers.add(SegmentReader.open(dir));
            }
            Path out = work.resolve(segmentId);
            long started = System.nanoTime();
            SegmentManifest manifest = Compactor.compact(readers, out, segmentId, collection.spec(), true);
            telemetry.buildDuration(tenant, collectionName, shard, (System.nanoTime() - started) / 1e9,
                    manifest.rows());
            String key = SegmentIds.keyPrefix(tenant, collectionName, shard, segmentId);
            store.uploadDirectory(out, key);
            SegmentRef merged = new SegmentRef(segmentId, key, 0, manifest.rows(), 0, manifest.bytes(),
                    manifest.checksum());
            List<String> removed = inputs.stream().map(SegmentRef::segmentId).toList();
            commitSwap(tenant, collectionName, shard, collection.version(), merged, removed);
            telemetry.event("compaction", "shard " + tenant + "/" + collectionName + "/" + shard + ": merged "
                    + inputs.size() + " segments into " + segmentId + " (" + manifest.rows() + " rows)");
            return Optional.of(merged);
        } catch (StrataException.Conflict e) {
            telemetry.event("compaction", "shard " + tenant + "/" + collectionName + "/" + shard
                    + ": swap dropped (" + e.getMessage() + ")");
            return Optional.empty();
        } finally {
            for (SegmentReader reader : readers) {
                reader.close();
            }
            SegmentBuilder.deleteTree(work);
        }
    }

    private void commitSwap(String tenant, String collection, int shard, long expected, SegmentRef merged,
                            List<String> removed) {
        for (int attempt = 1; ; attempt++) {
            try {
                catalog.commit(new Commit(tenant, collection, expected, Map.of(shard, List.of(merged)),
                        Map.of(shard, removed), null, 0, null));
                return;
            } catch (StrataException.Conflict e) {
                boolean inputsGone = e.getMessage().contains("no longer lists segments");
                if (inputsGone || attempt >= config.commitAttempts()) {
                    throw e;
                }
                expected = catalog.getCollection(tenant, collection, true).version();
            }
        }
    }
}
