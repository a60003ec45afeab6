package dev.strata.shard.service;

import dev.strata.catalog.SegmentRef;
import dev.strata.segment.SegmentReader;

import java.util.concurrent.atomic.AtomicInteger;

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
    private final AtomicInteger references = new AtomicInteger(1);
    private final Runnable onClose;

    CachedSegment(SegmentRef ref, SegmentReader reader, long bytes, Runnable onClose) {
        this.ref = ref;
        this.reader = reader;
        this.bytes = bytes;
        this.onClose = onClose;
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
        while (true) {
            int current = references.get();
            if (current == 0) {
                return false;
            }
            if (references.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    /** Adds a reference to a segment the caller already holds. */
    void retain() {
        if (!tryRetain()) {
            throw new IllegalStateException("segment " + ref.segmentId() + " is already closed");
        }
    }

    /** Drops a reference; the last one closes the reader. */
    void release() {
        int left = references.decrementAndGet();
        if (left == 0) {
            try {
                reader.close();
            } finally {
                onClose.run();
            }
        } else if (left < 0) {
            throw new IllegalStateException("segment " + ref.segmentId() + " released more often than retained");
        }
    }

    boolean inUse() {
        return references.get() > 0;
    }
}
