package dev.strata.router.telemetry;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The SnapStart-safe exporter: built lazily, dropped (shut down) on reopen, built anew by the next export. */
class ReopeningSpanExporterTest {

    @Test
    void reopenShutsTheDelegateDownAndTheNextExportBuildsANewOne() {
        // GIVEN an exporter that has exported once (a delegate, and so a connection, exists)
        List<InMemorySpanExporter> built = new ArrayList<>();
        ReopeningSpanExporter exporter = new ReopeningSpanExporter(() -> {
            InMemorySpanExporter e = InMemorySpanExporter.create();
            built.add(e);
            return e;
        });
        assertThat(exporter.open()).isFalse();
        assertThat(exporter.export(List.of()).isSuccess()).isTrue();
        assertThat(built).hasSize(1);
        assertThat(exporter.open()).isTrue();

        // WHEN it is reopened (before a snapshot, after a restore)
        exporter.reopen();

        // THEN the old delegate is shut down, and only the next export builds a new one
        assertThat(exporter.open()).isFalse();
        assertThat(built.get(0).export(List.of()).isSuccess()).isFalse();
        exporter.export(List.of());
        assertThat(built).hasSize(2);
    }

    @Test
    void afterShutdownNothingIsBuiltAnyMore() {
        List<Object> built = new ArrayList<>();
        ReopeningSpanExporter exporter = new ReopeningSpanExporter(() -> {
            built.add(new Object());
            return InMemorySpanExporter.create();
        });
        exporter.shutdown();
        assertThat(exporter.export(List.of()).isSuccess()).isFalse();
        assertThat(built).isEmpty();
    }
}
