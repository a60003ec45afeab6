package dev.strata.shard.service;

import dev.strata.store.SegmentStore;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A store whose segment downloads wait while {@link #hold()} is in force (an injected slow network). */
final class HeldBackStore implements SegmentStore {

    private final SegmentStore delegate;
    private volatile CountDownLatch gate = new CountDownLatch(0);
    final AtomicInteger waiting = new AtomicInteger();

    HeldBackStore(SegmentStore delegate) {
        this.delegate = delegate;
    }

    void hold() {
        gate = new CountDownLatch(1);
    }

    void release() {
        gate.countDown();
    }

    @Override
    public void downloadDirectory(String keyPrefix, Path dir) {
        waiting.incrementAndGet();
        try {
            if (!gate.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("download of " + keyPrefix + " held back for more than 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            waiting.decrementAndGet();
        }
        delegate.downloadDirectory(keyPrefix, dir);
    }

    @Override
    public void uploadDirectory(Path dir, String keyPrefix) {
        delegate.uploadDirectory(dir, keyPrefix);
    }

    @Override
    public void put(String key, byte[] bytes, String contentType) {
        delegate.put(key, bytes, contentType);
    }

    @Override
    public InputStream open(String key) {
        return delegate.open(key);
    }

    @Override
    public List<String> list(String prefix) {
        return delegate.list(prefix);
    }

    @Override
    public void deletePrefix(String prefix) {
        delegate.deletePrefix(prefix);
    }
}
