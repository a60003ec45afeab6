package dev.strata.shard.service;

import dev.strata.api.StrataException;
import dev.strata.catalog.SegmentRef;
import dev.strata.segment.SegmentManifest;
import dev.strata.store.SegmentStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Fetches the files of one segment into a directory (DESIGN §6): from this region's bucket, then every file the
 * segment needs and that bucket does not hold yet (S3 replication lag) from the {@link HomeBucket}, object by
 * object under the same key. A segment needs {@code manifest.json} and every file its manifest lists; nothing is
 * verified here beyond presence: the cache verifies checksums as for any download.
 *
 * <p>Without a home bucket, or when the home bucket lacks a file too, the download fails with
 * {@link StrataException.NotFound} ({@code object_not_found}) naming the missing files, and the watcher retries
 * with back-off. Thread-safe (no mutable state of its own).
 */
final class SegmentDownloader {

    private static final Logger LOG = LoggerFactory.getLogger(SegmentDownloader.class);
    private static final String MANIFEST = SegmentChecksums.MANIFEST;

    private final SegmentStore local;
    private final HomeBucket home;
    private final ShardMetrics metrics;

    /** @param home the home bucket, or null when this region is the home region or none is configured */
    SegmentDownloader(SegmentStore local, HomeBucket home, ShardMetrics metrics) {
        this.local = local;
        this.home = home;
        this.metrics = metrics;
    }

    void download(SegmentRef ref, Path dir) {
        local.downloadDirectory(ref.key(), dir);
        List<String> missing = missingFiles(dir);
        if (missing.isEmpty()) {
            return;
        }
        if (home == null) {
            throw new StrataException.NotFound("object_not_found", "segment " + ref.segmentId() + " is incomplete in"
                    + " this region's bucket under '" + ref.key() + "': missing " + String.join(", ", missing)
                    + " (not replicated yet?), and no home bucket is configured (strata.home.bucket)");
        }
        int fetched = missing.contains(MANIFEST) ? fetchAll(ref, dir) : fetch(ref, dir, missing);
        metrics.homeFallback(fetched);
        List<String> stillMissing = missingFiles(dir);
        if (!stillMissing.isEmpty()) {
            throw new StrataException.NotFound("object_not_found", "segment " + ref.segmentId() + " is incomplete"
                    + " under '" + ref.key() + "' in this region's bucket and in the home bucket '" + home.bucket()
                    + "': missing " + String.join(", ", stillMissing));
        }
        LOG.info("segment {}: {} of its files read from the home bucket '{}' (not replicated here yet)",
                ref.segmentId(), fetched, home.bucket());
    }

    /** The manifest when absent, else the files the manifest lists that are absent. */
    static List<String> missingFiles(Path dir) {
        if (!Files.isRegularFile(dir.resolve(MANIFEST))) {
            return List.of(MANIFEST);
        }
        List<String> missing = new ArrayList<>();
        for (String name : SegmentManifest.read(dir).files().keySet()) {
            if (!Files.isRegularFile(dir.resolve(name))) {
                missing.add(name);
            }
        }
        return missing;
    }

    /** Without a manifest the segment's file list is unknown here: take the home bucket's copy whole. */
    private int fetchAll(SegmentRef ref, Path dir) {
        home.store().downloadDirectory(ref.key(), dir);
        return home.store().list(ref.key()).size();
    }

    private int fetch(SegmentRef ref, Path dir, List<String> names) {
        int fetched = 0;
        for (String name : names) {
            Path target = dir.resolve(name).normalize();
            if (!target.getParent().equals(dir.normalize())) {
                throw new IllegalArgumentException("segment " + ref.segmentId() + " lists file '" + name
                        + "' outside its directory");
            }
            Path partial = dir.resolve(name + ".part");
            try (InputStream in = home.store().open(ref.key() + name)) {
                Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                fetched++;
            } catch (StrataException.NotFound e) {
                // reported with the other missing files once all were tried
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + partial, e);
            }
        }
        return fetched;
    }
}
