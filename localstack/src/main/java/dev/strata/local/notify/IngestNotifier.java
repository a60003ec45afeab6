package dev.strata.local.notify;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Emulates S3 event notifications for the local system: lists the bucket's {@code ingest/} prefix every
 * {@code pollInterval} and hands each new object (or new ETag of a key) to the ingest handler, as S3 would
 * invoke the ingest Lambda. Objects present at start are delivered too, so what arrived while the system was
 * down is ingested; ingest is idempotent by batch, so a replayed object is a no-op.
 *
 * <p>Delivery follows the deployed wiring (S3 → SQS → Lambda, dead-letter queue after five receives): one object
 * at a time in upload-listing order, a failed invocation received again up to four more times (after 0.2, 1, 2
 * and 4 s), then given up and counted in {@link #failed()} (the dead-letter queue in AWS). Thread-safe; the creator closes it, which stops polling and waits for the delivery in flight.
 */
public final class IngestNotifier implements AutoCloseable {
    public static final String PREFIX = "ingest/";
    private static final Logger LOG = LoggerFactory.getLogger(IngestNotifier.class);
    private static final java.util.regex.Pattern IN_PROGRESS_UPLOAD =
            java.util.regex.Pattern.compile(".*-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final long[] RETRY_DELAYS_MS = {200, 1_000, 2_000, 4_000};

    private final S3Client s3;
    private final String bucket;
    private final Consumer<ObjectCreated> handler;
    private final Map<String, String> seen = new HashMap<>();
    private final ScheduledExecutorService poller;
    private final ExecutorService delivery;
    private final AtomicLong delivered = new AtomicLong();
    private final java.util.concurrent.atomic.AtomicInteger pending = new java.util.concurrent.atomic.AtomicInteger();
    private final List<ObjectCreated> failed = new ArrayList<>();
    private volatile boolean closed;

    private IngestNotifier(S3Client s3, String bucket, Consumer<ObjectCreated> handler) {
        this.s3 = s3;
        this.bucket = bucket;
        this.handler = handler;
        this.poller = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "ingest-notifier-poll"));
        this.delivery = Executors.newSingleThreadExecutor(r -> daemon(r, "ingest-notifier-deliver"));
    }

    /** Starts polling {@code bucket}'s {@code ingest/} prefix. */
    public static IngestNotifier start(S3Client s3, String bucket, Duration pollInterval,
                                       Consumer<ObjectCreated> handler) {
        IngestNotifier notifier = new IngestNotifier(s3, bucket, handler);
        notifier.poller.scheduleWithFixedDelay(notifier::pollSafely, 0, pollInterval.toMillis(), TimeUnit.MILLISECONDS);
        return notifier;
    }

    /** Objects handed to the handler successfully so far. */
    public long delivered() {
        return delivered.get();
    }

    /** Objects seen but not yet handled (queued, in flight or between retries). */
    public int pending() {
        return pending.get();
    }

    /** Objects whose delivery failed five times. */
    public synchronized List<ObjectCreated> failed() {
        return List.copyOf(failed);
    }

    private void pollSafely() {
        try {
            poll();
        } catch (RuntimeException e) {
            // The S3 server may be restarting or injected to fail: the next poll tries again.
            LOG.warn("listing s3://{}/{} failed: {}", bucket, PREFIX, e.toString());
        }
    }

    private void poll() {
        for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(PREFIX)).contents()) {
            String etag = object.eTag();
            if (etag == null || IN_PROGRESS_UPLOAD.matcher(object.key()).matches()) {
                // still being written: s3proxy lists it before its ETag is known, and its filesystem store lists a
                // large upload in progress as "<key>-<uuid>"; S3 itself never shows either, so neither is an event
                continue;
            }
            boolean isNew;
            synchronized (this) {
                isNew = !etag.equals(seen.get(object.key()));
                if (isNew) {
                    seen.put(object.key(), etag);
                }
            }
            if (isNew) {
                ObjectCreated event = new ObjectCreated(bucket, object.key(), stripQuotes(etag), object.size());
                pending.incrementAndGet();
                delivery.execute(() -> {
                    try {
                        deliver(event);
                    } finally {
                        pending.decrementAndGet();
                    }
                });
            }
        }
    }

    private void deliver(ObjectCreated event) {
        for (int attempt = 0; !closed; attempt++) {
            try {
                handler.accept(event);
                delivered.incrementAndGet();
                return;
            } catch (RuntimeException e) {
                if (e instanceof dev.strata.api.StrataException.InvalidRequest) {
                    // A key outside the ingest layout: nothing to retry, nothing could be recorded for it.
                    LOG.error("s3://{}/{} is not an ingest object: {}", event.bucket(), event.key(), e.getMessage());
                    synchronized (this) {
                        failed.add(event);
                    }
                    return;
                }
                if (attempt >= RETRY_DELAYS_MS.length) {
                    LOG.error("ingest of s3://{}/{} failed after {} attempts; giving up", event.bucket(), event.key(),
                            attempt + 1, e);
                    synchronized (this) {
                        failed.add(event);
                    }
                    return;
                }
                LOG.warn("ingest of s3://{}/{} failed (attempt {}), retrying: {}", event.bucket(), event.key(),
                        attempt + 1, e.toString());
                try {
                    Thread.sleep(RETRY_DELAYS_MS[attempt]);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        // Objects still queued are not lost: they stay in S3 and are delivered again at the next start.
        closed = true;
        poller.shutdownNow();
        delivery.shutdown();
        try {
            if (!delivery.awaitTermination(30, TimeUnit.SECONDS)) {
                delivery.shutdownNow();
            }
        } catch (InterruptedException e) {
            delivery.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private static String stripQuotes(String etag) {
        return etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"")
                ? etag.substring(1, etag.length() - 1) : etag;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
