package dev.strata.ingest;

import dev.strata.api.Limits;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Tunables of the ingest pipeline.
 *
 * @param workDir                  where segments are built before upload ({@code /tmp} in Lambda)
 * @param maxLines                 lines per ingest object (default {@link Limits#MAX_INGEST_LINES})
 * @param maxBytes                 uncompressed bytes per ingest object (default {@link Limits#MAX_INGEST_BYTES})
 * @param maxLineBytes             bytes of one line; longer lines are rejected alone
 * @param embedBatch               texts per {@code Embedder.embed} call
 * @param commitAttempts           commits tried on version conflicts before giving up (the event is then retried)
 * @param compactSmallSegments     compact a shard when it has more than this many small segments
 * @param smallSegmentRows         a segment with fewer rows than this is small
 * @param compactMaskedRatio       compact a shard when this fraction of its rows is masked (upserted or deleted)
 * @param compactAfterCommit       check the compaction triggers after every commit
 */
public record IngestConfig(
        Path workDir,
        long maxLines,
        long maxBytes,
        int maxLineBytes,
        int embedBatch,
        int commitAttempts,
        int compactSmallSegments,
        int smallSegmentRows,
        double compactMaskedRatio,
        boolean compactAfterCommit) {

    /** A line can hold a 4096-value vector, 64 KiB of text and 8 KiB of metadata. */
    public static final int DEFAULT_MAX_LINE_BYTES = 1024 * 1024;

    public static IngestConfig defaults(Path workDir) {
        return new IngestConfig(workDir, Limits.MAX_INGEST_LINES, Limits.MAX_INGEST_BYTES, DEFAULT_MAX_LINE_BYTES,
                64, 10, 8, 10_000, 0.3, true);
    }

    public IngestConfig withLimits(long lines, long bytes) {
        return new IngestConfig(workDir, lines, bytes, maxLineBytes, embedBatch, commitAttempts,
                compactSmallSegments, smallSegmentRows, compactMaskedRatio, compactAfterCommit);
    }

    public IngestConfig withCompaction(int smallSegments, int smallRows, double maskedRatio, boolean afterCommit) {
        return new IngestConfig(workDir, maxLines, maxBytes, maxLineBytes, embedBatch, commitAttempts,
                smallSegments, smallRows, maskedRatio, afterCommit);
    }

    /** Back-off between commit attempts: grows with the attempt, capped, jittered by the caller. */
    public Duration commitBackoff(int attempt) {
        return Duration.ofMillis(Math.min(500, 20L << Math.min(attempt, 5)));
    }
}
