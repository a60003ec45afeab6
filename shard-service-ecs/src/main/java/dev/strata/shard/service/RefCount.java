package dev.strata.shard.service;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A reference count that starts at one (the creator's reference) and runs {@code onLast} exactly once, when the
 * last reference is released. Once it has reached zero it can never be taken again ({@link #tryRetain()} is
 * false), so a reader that lost the race to a swap simply retries with the newer object. Thread-safe, lock-free.
 */
final class RefCount {
    private final AtomicInteger references = new AtomicInteger(1);
    private final String what;
    private final Runnable onLast;

    /**
     * @param what   names the counted object in error messages
     * @param onLast runs once, on the thread that releases the last reference
     */
    RefCount(String what, Runnable onLast) {
        this.what = what;
        this.onLast = onLast;
    }

    /** Adds a reference unless the count already reached zero. */
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

    /** Adds a reference to an object the caller already holds. */
    void retain() {
        if (!tryRetain()) {
            throw new IllegalStateException(what + " is already closed");
        }
    }

    /** Whether any reference is still held. */
    boolean held() {
        return references.get() > 0;
    }

    /** Drops a reference; the last one runs {@code onLast}. */
    void release() {
        int left = references.decrementAndGet();
        if (left == 0) {
            onLast.run();
        } else if (left < 0) {
            throw new IllegalStateException(what + " released more often than retained");
        }
    }
}
