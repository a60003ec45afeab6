package dev.strata.local;

import dev.strata.catalog.Catalog;
import dev.strata.embed.Embedder;
import dev.strata.ingest.IngestConfig;
import dev.strata.ingest.IngestPipeline;
import dev.strata.ingest.IngestTelemetry;
import dev.strata.local.notify.ObjectCreated;
import dev.strata.store.SegmentStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.util.function.Consumer;

/**
 * The ingest handler the S3 event emulation invokes: the ingest Lambda's own {@link IngestPipeline} over the
 * local seams, its audit and metric lines going to the log (as CloudWatch Logs would receive them).
 */
final class IngestWiring {
    private static final Logger LOG = LoggerFactory.getLogger("dev.strata.ingest");

    private IngestWiring() {}

    static Consumer<ObjectCreated> handler(Catalog catalog, SegmentStore store, Embedder embedder, Path workDir) {
        Clock clock = Clock.systemUTC();
        IngestPipeline pipeline = new IngestPipeline(catalog, store, embedder, new IngestTelemetry(LOG::info, clock),
                IngestConfig.defaults(workDir), clock);
        return event -> pipeline.ingest(event.bucket(), event.key(), event.etag());
    }
}
