package dev.strata.local;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a running {@code strata-local up} listens, written to {@code <data dir>/endpoints.json} once it is ready
 * and removed when it stops, so {@code strata-local ingest} and {@code search} find it.
 *
 * @param router  router base URL
 * @param s3      S3 API endpoint
 * @param bucket  the bucket (segments and {@code ingest/})
 * @param tenant  the local tenant
 * @param pid     process id of the running system
 */
public record LocalEndpoints(URI router, URI s3, String bucket, String tenant, long pid) {
    public static final String FILE = "endpoints.json";
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public void write(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
            Path tmp = dataDir.resolve(FILE + ".tmp");
            JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), this);
            Files.move(tmp, dataDir.resolve(FILE), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The endpoints of the system running over {@code dataDir}; fails clearly when none runs. */
    public static LocalEndpoints read(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("no local system is running over " + dataDir.toAbsolutePath()
                    + " (" + FILE + " is absent); start one with: bin/strata-local up");
        }
        try {
            LocalEndpoints endpoints = JSON.readValue(file.toFile(), LocalEndpoints.class);
            if (ProcessHandle.of(endpoints.pid()).map(ProcessHandle::isAlive).orElse(false)) {
                return endpoints;
            }
            throw new IllegalStateException("the local system that wrote " + file + " (pid " + endpoints.pid()
                    + ") is no longer running; start it with: bin/strata-local up");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void remove(Path dataDir) {
        try {
            Files.deleteIfExists(dataDir.resolve(FILE));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
