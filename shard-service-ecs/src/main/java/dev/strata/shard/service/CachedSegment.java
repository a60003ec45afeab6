package dev.strata.shard.service;

import dev.strata.catalog.SegmentRef;
import dev.strata.segment.SegmentReader;


/**
 * An opened (memory-mapped, verified) segment of the cache, shared by the replica views that list it.
 * Reference counted: each view {@link #retain()}s it and {@link #release()}s it when the view is retired; the
 * reader is closed when the last reference goes, never while a search can still reach it. A count that reached
 * zero never comes back ({@link #tryRetain()} fails), so a closed reader is never handed out again.
 * Thread-safe.
 */
final class CachedSegment {

    private final SegmentRef ref;
    private final SegmentReader reader;
    private final long bytes;
    private final RefCount references;

    CachedSegment(SegmentRef ref, SegmentReader reader, long bytes, Runnable onClose) {
        this.ref = ref;
        this.reader = reader;
        this.bytes = bytes;
        this.references = new RefCount("segment " + ref.segmentId(), () -> {
            try {
                reader.close();
            } finally {
                onClose.run();
            }
        });
    }

    SegmentRef ref() {
        return ref;
    }

    SegmentReader reader() {
        return reader;
    }

    long bytes() {
        return bytes;
    }

    /** Adds a reference unless the segment is already closed. */
    boolean tryRetain() {
        return references.tryRetain();
    }

    /** Adds a reference to a segment the caller already holds. */
    void retain() {
        references.retain();
    }

    /** Drops a reference; the last one closes the reader. */
    void release() {
        references.release();
    }

    boolean inUse() {
        return references.held();
    }
}
