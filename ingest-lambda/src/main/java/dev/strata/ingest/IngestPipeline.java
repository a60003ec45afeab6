package dev.strata.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.api.StrataException;
import dev.strata.catalog.BatchRecord;
import dev.strata.catalog.BatchStatus;
import dev.strata.catalog.Catalog;
import dev.strata.catalog.CollectionRecord;
import dev.strata.catalog.Commit;
import dev.strata.catalog.DynamoCatalog;
import dev.strata.catalog.SegmentRef;
import dev.strata.embed.Embedder;
import dev.strata.store.SegmentStore;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Turns one ingest object into committed segments, exactly once: the service behind {@link IngestHandler} and
 * the local emulation. Entry point: {@link #ingest(String, String, String)}.
 *
 * <ol>
 *   <li>Batch id from (bucket, key, version or ETag); the batch item is written pending. If it is already
 *       applied, the call is a no-op returning it (redelivered event).</li>
 *   <li>Unknown collection (or tenant) or a broken per-object limit: the whole batch is rejected (batch item,
 *       rejects report, audit record); the object stays where it is.</li>
 *   <li>Parse, validate, keep the last line per id, embed texts ({@link BatchParser}).</li>
 *   <li>Partition, build, upload one segment per touched shard ({@link SegmentBuilder}); write the rejects
 *       report {@code rejects/{tenant}/{collection}/{batch}.jsonl}.</li>
 *   <li>Commit segments + batch item + version bump in one transaction; on a version conflict re-read and
 *       re-commit (segments are immutable), up to {@link IngestConfig#commitAttempts()} times.</li>
 * </ol>
 * A crash anywhere before the commit leaves nothing visible: the batch stays pending and a redelivery redoes it;
 * uploaded but uncommitted segments are orphans that {@link OrphanSweeper} deletes. Transient failures
 * ({@link StrataException.Unavailable}) propagate so the event is retried. Thread-safe: concurrent calls share
 * only the injected thread-safe clients.
 */
public final class IngestPipeline {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Object metadata naming the API key that wrote the object ({@code x-amz-meta-strata-key-id}). */
    public static final String KEY_ID_METADATA = "strata-key-id";

    private final Catalog catalog;
    private final SegmentStore store;
    private final BatchParser parser;
    private final SegmentBuilder builder;
    private final Compaction compaction;
    private final IngestTelemetry telemetry;
    private final IngestConfig config;
    private final Clock clock;

    /**
     * @param catalog   the catalog
     * @param store     the bucket holding ingest objects, segments and rejects reports
     * @param embedder  embedder for texts without vectors, or null when none is available
     * @param telemetry audit and metric output
     * @param config    limits and tunables
     * @param clock     time source
     */
    public IngestPipeline(Catalog catalog, SegmentStore store, Embedder embedder, IngestTelemetry telemetry,
                          IngestConfig config, Clock clock) {
        this.catalog = catalog;
        this.store = store;
        this.parser = new BatchParser(config, embedder);
        this.builder = new SegmentBuilder(store, telemetry, clock, config.workDir());
        this.compaction = new Compaction(catalog, store, telemetry, config, clock);
        this.telemetry = telemetry;
        this.config = config;
        this.clock = clock;
    }

    /** The compaction service sharing this pipeline's clients (to compact explicitly). */
    public Compaction compaction() {
        return compaction;
    }

    /**
     * Ingests one object. Returns the batch item as it ends: applied (possibly by an earlier delivery) or
     * rejected as a whole.
     *
     * @param bucket        bucket of the object (informational; the store is bound to its bucket)
     * @param key           {@code ingest/{tenant}/{collection}/{name}.jsonl[.gz]}
     * @param versionOrEtag S3 version id, or the ETag when the bucket is not versioned
     * @throws StrataException.InvalidRequest when the key does not follow the layout (nothing can be recorded)
     * @throws StrataException.Unavailable    on transient failures; the batch is left pending and re-runnable
     */
    public BatchRecord ingest(String bucket, String key, String versionOrEtag) {
        IngestObject object = IngestObject.parse(bucket, key, versionOrEtag);
        Instant now = clock.instant();
        BatchRecord pending = new BatchRecord(object.tenant(), object.collection(), object.batchId(),
                BatchStatus.PENDING, key, 0, 0, List.of(), 0, null, 0, null, now, now);
        Optional<BatchRecord> existing = catalog.putBatchIfAbsent(pending);
        if (existing.isPresent() && existing.get().status() == BatchStatus.APPLIED) {
            return existing.get();
        }
        String keyId = keyId(key);
        Optional<CollectionRecord> collection = catalog.findCollection(object.tenant(), object.collection(), true);
        if (collection.isEmpty()) {
            return rejectWhole(object, pending, keyId, "collection '" + object.collection()
                    + "' does not exist for tenant '" + object.tenant() + "'");
        }
        ParsedBatch parsed;
        long parseStarted = System.nanoTime();
        try (InputStream in = store.open(key)) {
            parsed = parser.parse(in, object.gzip(), collection.get());
        } catch (JsonlLines.LimitExceeded e) {
            return rejectWhole(object, pending, keyId, e.getMessage());
        } catch (StrataException.NotFound e) {
            return rejectWhole(object, pending, keyId, "ingest object '" + key + "' no longer exists");
        } catch (IOException e) {
            throw new StrataException.Unavailable("ingest_read_failed",
                    "could not read ingest object '" + key + "': " + e.getMessage(), e);
        }
        double parseSeconds = (System.nanoTime() - parseStarted) / 1e9;
        long buildStarted = System.nanoTime();
        BatchRecord result = buildAndCommit(object, pending, parsed, collection.get(), keyId);
        telemetry.event("ingest_timing", String.format(java.util.Locale.ROOT,
                "batch %s: parse+validate+embed %.2f s, partition+build+upload+commit %.2f s, %d lines accepted",
                object.batchId(), parseSeconds, (System.nanoTime() - buildStarted) / 1e9, parsed.acceptedLines()));
        return result;
    }

    private BatchRecord buildAndCommit(IngestObject object, BatchRecord pending, ParsedBatch parsed,
                                       CollectionRecord collection, String keyId) {
        try {
            Files.createDirectories(config.workDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + config.workDir(), e);
        }
        List<BatchRecord.Reject> rejects = parsed.rejects();
        String rejectsKey = rejects.isEmpty() ? null : object.rejectsKey();
        if (rejectsKey != null) {
            writeRejects(rejectsKey, rejects);
        }
        SegmentBuilder.Built built;
        try {
            built = builder.build(collection, parsed);
        } catch (StrataException.InvalidRequest e) {
            return rejectWhole(object, pending, keyId, e.getMessage());
        }
        BatchRecord batch = new BatchRecord(object.tenant(), object.collection(), object.batchId(),
                BatchStatus.APPLIED, object.key(), parsed.acceptedLines(), built.deletes(),
                rejects.subList(0, Math.min(rejects.size(), BatchRecord.MAX_REJECTS_INLINE)), rejects.size(),
                rejectsKey, 0, null, pending.createdAt(), clock.instant());
        // One transaction holds at most MAX_SHARDS_PER_COMMIT shards: a wider batch commits in chunks, the batch
        // item with the last, so a redelivery after a partial commit re-applies it (upserts and deletes are
        // idempotent; the newer copy masks the older).
        List<Map<Integer, List<SegmentRef>>> chunks = chunks(built.added());
        long expected = collection.version();
        CollectionRecord after = collection;
        for (int i = 0; i < chunks.size(); i++) {
            boolean last = i == chunks.size() - 1;
            Commit commit = new Commit(object.tenant(), object.collection(), expected, chunks.get(i), Map.of(),
                    last ? batch : null, last ? (long) built.upserts() - built.deletes() : 0,
                    i == 0 ? built.trainedCentroids() : null);
            CommitOutcome outcome = commitWithRetry(commit);
            switch (outcome) {
                case CommitOutcome.AlreadyApplied a -> {
                    // Another delivery of the same object won; our segments are orphans for the sweeper.
                    return catalog.findBatch(object.tenant(), object.collection(), object.batchId()).orElseThrow();
                }
                case CommitOutcome.CentroidsChanged changed -> {
                    // A racing first batch stored other centroids: our partitioning is void, redo it.
                    return buildAndCommit(object, pending, parsed, changed.current(), keyId);
                }
                case CommitOutcome.Committed committed -> after = committed.collection();
            }
            expected = after.version();
        }
        BatchRecord applied = catalog.findBatch(object.tenant(), object.collection(), object.batchId()).orElseThrow();
        telemetry.audit(applied, keyId);
        if (config.compactAfterCommit()) {
            compaction.compactIfNeeded(after, built.added().keySet());
        }
        return applied;
    }

    /** How a commit ended. */
    private sealed interface CommitOutcome {
        record Committed(CollectionRecord collection) implements CommitOutcome {}
        record AlreadyApplied() implements CommitOutcome {}
        record CentroidsChanged(CollectionRecord current) implements CommitOutcome {}
    }

    /** Commits, re-reading the version after each conflict, at most {@link IngestConfig#commitAttempts()} times. */
    private CommitOutcome commitWithRetry(Commit commit) {
        long expected = commit.expectedVersion();
        for (int attempt = 1; ; attempt++) {
            try {
                return new CommitOutcome.Committed(catalog.commit(new Commit(commit.tenant(), commit.collection(),
                        expected, commit.added(), commit.removed(), commit.batch(), commit.documentDelta(),
                        commit.centroids())));
            } catch (StrataException.Conflict e) {
                if ("batch_already_applied".equals(e.code())) {
                    return new CommitOutcome.AlreadyApplied();
                }
                if (attempt >= config.commitAttempts()) {
                    throw new StrataException.Unavailable("commit_contended", "commit to collection '"
                            + commit.collection() + "' failed after " + attempt + " attempts: " + e.getMessage(), e);
                }
                CollectionRecord current = catalog.getCollection(commit.tenant(), commit.collection(), true);
                if (commit.centroids() != null && !current.centroids().isEmpty()) {
                    return new CommitOutcome.CentroidsChanged(current);
                }
                expected = current.version();
                sleep(config.commitBackoff(attempt).toMillis());
            }
        }
    }

    private static List<Map<Integer, List<SegmentRef>>> chunks(Map<Integer, List<SegmentRef>> added) {
        List<Map<Integer, List<SegmentRef>>> out = new java.util.ArrayList<>();
        Map<Integer, List<SegmentRef>> current = new java.util.TreeMap<>();
        for (Map.Entry<Integer, List<SegmentRef>> e : new java.util.TreeMap<>(added).entrySet()) {
            if (current.size() == DynamoCatalog.MAX_SHARDS_PER_COMMIT) {
                out.add(current);
                current = new java.util.TreeMap<>();
            }
            current.put(e.getKey(), e.getValue());
        }
        out.add(current);
        return out;
    }

    private BatchRecord rejectWhole(IngestObject object, BatchRecord pending, String keyId, String message) {
        BatchRecord.Reject reject = new BatchRecord.Reject(0, null, message);
        writeRejects(object.rejectsKey(), List.of(reject));
        BatchRecord rejected = new BatchRecord(object.tenant(), object.collection(), object.batchId(),
                BatchStatus.REJECTED, object.key(), 0, 0, List.of(reject), 0, object.rejectsKey(), 0, message,
                pending.createdAt(), clock.instant());
        catalog.rejectBatch(rejected);
        telemetry.audit(rejected, keyId);
        return rejected;
    }

    private void writeRejects(String key, List<BatchRecord.Reject> rejects) {
        StringBuilder report = new StringBuilder();
        for (BatchRecord.Reject r : rejects) {
            report.append(JSON.createObjectNode().put("line", r.line()).put("id", r.id()).put("reason", r.reason()))
                    .append('\n');
        }
        store.put(key, report.toString().getBytes(StandardCharsets.UTF_8), "application/x-ndjson");
    }

    private String keyId(String key) {
        try {
            return store.userMetadata(key).get(KEY_ID_METADATA);
        } catch (StrataException.NotFound e) {
            return null;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis + ThreadLocalRandom.current().nextLong(millis / 2 + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StrataException.Unavailable("interrupted", "interrupted while retrying a commit");
        }
    }
}
