package dev.strata.ingest;

import dev.strata.api.CollectionSpec;
import dev.strata.api.Document;
import dev.strata.api.Sharding;
import dev.strata.api.StrataException;
import dev.strata.catalog.CollectionRecord;
import dev.strata.catalog.SegmentRef;
import dev.strata.segment.SegmentManifest;
import dev.strata.segment.SegmentWriter;
import dev.strata.shard.KMeans;
import dev.strata.shard.ShardingFunction;
import dev.strata.store.SegmentStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Partitions a parsed batch by the collection's sharding, builds one immutable segment per touched shard with
 * {@link SegmentWriter}, and uploads it under {@code segments/{tenant}/{collection}/{shard}/{segmentId}/}. Uploads
 * overlap the next shard's build. Nothing it writes is visible until the caller commits the returned refs;
 * objects of a build that is never committed are orphans for {@link OrphanSweeper}.
 *
 * <p>Under {@code centroid} and {@code hybrid} sharding a document may move shard when its vector changes, so an
 * upsert also tombstones its id in the other shards that could hold an older row; a delete tombstones the id in
 * all of them ({@link ShardingFunction#shardsForDelete}). The first batch of such a collection trains the
 * centroids (k-means on its vectors). Thread-safe: no mutable state beyond the per-call build.
 */
final class SegmentBuilder {

    /** Segments of one batch, ready to commit. */
    record Built(Map<Integer, List<SegmentRef>> added, List<float[]> trainedCentroids, int upserts, int deletes) {}

    private final SegmentStore store;
    private final IngestTelemetry telemetry;
    private final Clock clock;
    private final Path workDir;

    SegmentBuilder(SegmentStore store, IngestTelemetry telemetry, Clock clock, Path workDir) {
        this.store = store;
        this.telemetry = telemetry;
        this.clock = clock;
        this.workDir = workDir;
    }

    Built build(CollectionRecord collection, ParsedBatch batch) {
        CollectionSpec spec = collection.spec();
        List<float[]> centroids = collection.centroids();
        List<float[]> trained = null;
        int needed = ShardingFunction.centroidCount(spec);
        if (needed > 0 && centroids.isEmpty() && !batch.upserts().isEmpty()) {
            List<float[]> sample = batch.upserts().stream().map(Document::vector).toList();
            if (sample.size() < needed) {
                throw new StrataException.InvalidRequest("too_few_vectors_for_centroids", "the first batch of "
                        + spec.sharding().wireName() + "-sharded collection '" + collection.name() + "' has "
                        + sample.size() + " vectors; at least " + needed + " are needed to train its centroids");
            }
            trained = KMeans.train(sample, needed, spec.metric(), collection.name().hashCode());
            centroids = trained;
        }
        if (needed > 0 && centroids.isEmpty()) {
            // Only deletes, before any document: nothing can exist yet, so there is nothing to mask.
            return new Built(Map.of(), null, 0, batch.deletes().size());
        }
        ShardingFunction sharding = ShardingFunction.of(spec, centroids);
        Map<Integer, List<Document>> rows = new TreeMap<>();
        Map<Integer, Set<String>> tombstones = new TreeMap<>();
        for (Document d : batch.upserts()) {
            int shard = sharding.shardOf(d.id(), d.vector());
            rows.computeIfAbsent(shard, s -> new ArrayList<>()).add(d);
            if (spec.sharding() != Sharding.HASH) {
                for (int other : sharding.shardsForDelete(d.id())) {
                    if (other != shard) {
                        tombstones.computeIfAbsent(other, s -> new LinkedHashSet<>()).add(d.id());
                    }
                }
            }
        }
        for (String id : batch.deletes()) {
            for (int shard : sharding.shardsForDelete(id)) {
                tombstones.computeIfAbsent(shard, s -> new LinkedHashSet<>()).add(id);
            }
        }
        Set<Integer> touched = new java.util.TreeSet<>(rows.keySet());
        touched.addAll(tombstones.keySet());
        Map<Integer, List<SegmentRef>> added = new TreeMap<>();
        ExecutorService uploader = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "segment-upload");
            t.setDaemon(true);
            return t;
        });
        List<Future<?>> uploads = new ArrayList<>();
        try {
            for (int shard : touched) {
                List<Document> shardRows = rows.getOrDefault(shard, List.of());
                Set<String> shardTombstones = tombstones.getOrDefault(shard, Set.of());
                String segmentId = SegmentIds.newId(clock.instant());
                Path dir = workDir.resolve(segmentId);
                long started = System.nanoTime();
                SegmentManifest manifest;
                try {
                    manifest = SegmentWriter.write(dir, segmentId, spec, shardRows, shardTombstones);
                } catch (RuntimeException e) {
                    deleteTree(dir);
                    throw e;
                }
                telemetry.buildDuration(collection.tenant(), collection.name(), shard,
                        (System.nanoTime() - started) / 1e9, shardRows.size());
                String key = SegmentIds.keyPrefix(collection.tenant(), collection.name(), shard, segmentId);
                uploads.add(uploader.submit(() -> {
                    try {
                        store.uploadDirectory(dir, key);
                    } finally {
                        deleteTree(dir);
                    }
                }));
                added.put(shard, List.of(new SegmentRef(segmentId, key, 0, shardRows.size(), shardTombstones.size(),
                        manifest.bytes(), manifest.checksum())));
            }
            for (Future<?> upload : uploads) {
                await(upload);
            }
        } finally {
            // Uploads not started are cancelled; one in flight is let finish rather than interrupted, so nothing
            // is still writing (or leaving a half-written object) once this returns: in Lambda a thread left
            // running would resume inside the next invocation.
            uploads.forEach(u -> u.cancel(false));
            uploader.shutdown();
            awaitQuiet(uploader);
        }
        return new Built(added, trained, batch.upserts().size(), batch.deletes().size());
    }

    private static void awaitQuiet(ExecutorService uploader) {
        try {
            if (!uploader.awaitTermination(5, java.util.concurrent.TimeUnit.MINUTES)) {
                uploader.shutdownNow();
            }
        } catch (InterruptedException e) {
            uploader.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private static void await(Future<?> upload) {
        try {
            upload.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StrataException.Unavailable("interrupted", "interrupted while uploading segments");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
