package dev.strata.router.telemetry;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;

import java.util.Collection;
import java.util.function.Supplier;

/**
 * A span exporter that builds its delegate on first use and can drop it ({@link #reopen()}), so no HTTP connection
 * made before a Lambda SnapStart snapshot is reused after a restore: the pooled keep-alive connection of the JDK
 * client would point at a collector process that no longer exists, and the first export after restore would fail.
 * The delegate is built again lazily, with a fresh client, on the next export. Thread-safe.
 */
final class ReopeningSpanExporter implements SpanExporter {

    private final Supplier<SpanExporter> factory;
    private SpanExporter delegate;
    private boolean shutdown;

    ReopeningSpanExporter(Supplier<SpanExporter> factory) {
        this.factory = factory;
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
        SpanExporter current = current();
        return current == null ? CompletableResultCode.ofFailure() : current.export(spans);
    }

    @Override
    public CompletableResultCode flush() {
        SpanExporter current;
        synchronized (this) {
            current = delegate;
        }
        return current == null ? CompletableResultCode.ofSuccess() : current.flush();
    }

    /** Shuts the current delegate down (closing its connections); the next export builds a new one. */
    void reopen() {
        SpanExporter old;
        synchronized (this) {
            old = delegate;
            delegate = null;
        }
        if (old != null) {
            old.shutdown();
        }
    }

    /** True while a delegate (and so possibly a pooled connection) exists. */
    synchronized boolean open() {
        return delegate != null;
    }

    @Override
    public CompletableResultCode shutdown() {
        synchronized (this) {
            shutdown = true;
        }
        reopen();
        return CompletableResultCode.ofSuccess();
    }

    private synchronized SpanExporter current() {
        if (shutdown) {
            return null;
        }
        if (delegate == null) {
            delegate = factory.get();
        }
        return delegate;
    }
}
