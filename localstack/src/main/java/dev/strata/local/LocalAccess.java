package dev.strata.local;

import dev.strata.catalog.Catalog;
import dev.strata.embed.Embedder;
import dev.strata.local.notify.ObjectCreated;
import dev.strata.store.SegmentStore;
import software.amazon.awssdk.services.s3.S3Client;

import java.nio.file.Path;
import java.util.function.Consumer;

/** The local wiring for callers outside this package (the LocalStack test wires the system to other endpoints). */
public final class LocalAccess {
    private LocalAccess() {}

    /** The ingest handler the S3 event emulation calls: the ingest Lambda's pipeline over these seams. */
    public static Consumer<ObjectCreated> ingestHandler(Catalog catalog, SegmentStore store, Embedder embedder,
                                                        Path workDir) {
        return IngestWiring.handler(catalog, store, embedder, workDir);
    }

    /** An S3 client for a running system's S3 endpoint; the caller closes it. */
    public static S3Client s3(LocalEndpoints endpoints) {
        return ClientCommands.s3Client(endpoints);
    }
}
