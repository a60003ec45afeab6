package dev.strata.local;

import dev.strata.catalog.Catalog;
import dev.strata.embed.Embedder;
import dev.strata.local.notify.ObjectCreated;
import dev.strata.store.SegmentStore;
import software.amazon.awssdk.services.s3.S3Client;

import java.nio.file.Path;
import java.util.function.Consumer;

/** Builds the ingest handler the S3 event emulation invokes: the ingest Lambda's own pipeline code. */
final class IngestWiring {
    private IngestWiring() {}

    static Consumer<ObjectCreated> handler(Catalog catalog, SegmentStore store, Embedder embedder, S3Client s3,
                                           Path workDir) {
        throw new UnsupportedOperationException("ingest pipeline not merged yet");
    }
}
