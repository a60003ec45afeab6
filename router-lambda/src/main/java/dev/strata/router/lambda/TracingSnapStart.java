package dev.strata.router.lambda;

import dev.strata.router.telemetry.RouterTracing;
import io.micronaut.context.annotation.Requires;
import io.micronaut.crac.OrderedResource;
import jakarta.inject.Singleton;
import org.crac.Context;
import org.crac.Resource;

import java.time.Duration;

/**
 * SnapStart and span export: before the snapshot, exports what init produced, warms the export path with one empty
 * OTLP request (so the first flush after a restore does not load classes) and drops the exporter's HTTP client;
 * after a restore, drops it again (priming may run after this hook), so the first export of a restored
 * environment opens a new connection to the new collector extension instead of reusing one from the snapshot.
 */
@Singleton
@Requires(env = "lambda")
final class TracingSnapStart implements OrderedResource {

    private final RouterTracing tracing;

    TracingSnapStart(RouterTracing tracing) {
        this.tracing = tracing;
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        tracing.flush(Duration.ofSeconds(1));
        tracing.primeExporter(Duration.ofSeconds(1));
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        tracing.reopenExporter();
    }
}
