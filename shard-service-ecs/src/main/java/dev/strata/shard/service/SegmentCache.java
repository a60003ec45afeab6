package dev.strata.shard.service;

import dev.strata.catalog.SegmentRef;
import dev.strata.segment.SegmentReader;
import dev.strata.store.SegmentStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The segment cache on local NVMe: segment files downloaded from the {@link SegmentStore} (completed from the home
 * region's bucket by the {@link SegmentDownloader} when replication lags), verified, memory-mapped and shared by the
 * replica views that use them.
 *
 * <p>Layout: a segment with store key {@code segments/t/c/0/id/} lives in {@code <dir>/segments/t/c/0/id/};
 * downloads land in {@code <dir>/.incoming/} first and are moved into place whole, so a crash never leaves a
 * half-written segment where a restart would take it for a complete one. Files that survive a restart are
 * reused (and verified again when opened).
 *
 * <p>Bounded by bytes: when the files exceed {@code maxBytes}, segments that no view holds are deleted, least
 * recently used first. Segments in use are never deleted, so the cache may run over its bound while every
 * byte is needed (logged). A segment that fails verification is deleted and never opened.
 *
 * <p>Thread-safe; {@link #acquire} may block on a download, everything else is short.
 */
final class SegmentCache {

    private static final Logger LOG = LoggerFactory.getLogger(SegmentCache.class);

    private final Path root;
    private final Path incoming;
    private final long maxBytes;
    private final boolean warm;
    private final SegmentDownloader downloader;
    private final ShardMetrics metrics;
    private final Map<String, Entry> entries = new HashMap<>();
    private long totalBytes;
    private long clock;

    private static final class Entry {
        final Path dir;
        final long bytes;
        long lastUsed;
        CachedSegment open;

        Entry(Path dir, long bytes) {
            this.dir = dir;
            this.bytes = bytes;
        }
    }

    SegmentCache(Path root, long maxBytes, boolean warm, SegmentStore store, ShardMetrics metrics) {
        this(root, maxBytes, warm, new SegmentDownloader(store, null, metrics), metrics);
    }

    SegmentCache(Path root, long maxBytes, boolean warm, SegmentDownloader downloader, ShardMetrics metrics) {
        this.root = root.toAbsolutePath().normalize();
        this.incoming = this.root.resolve(".incoming");
        this.maxBytes = maxBytes;
        this.warm = warm;
        this.downloader = downloader;
        this.metrics = metrics;
        try {
            Files.createDirectories(root);
            deleteTree(incoming);
            Files.createDirectories(incoming);
            adoptExisting();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the segment cache in " + root, e);
        }
    }

    /**
     * Returns the segment opened and retained once for the caller (who releases it): from the open segments,
     * else from the files on disk, else downloaded. Verifies the files (segment checksums, and the manifest
     * against {@link SegmentRef#checksum()}) before anything can search them.
     *
     * @throws CorruptSegmentException when the files fail verification (they are deleted)
     */
    CachedSegment acquire(SegmentRef ref) {
        Entry entry;
        synchronized (this) {
            entry = entries.get(ref.key());
            if (entry != null) {
                entry.lastUsed = ++clock;
                if (entry.open != null && entry.open.tryRetain()) {
                    metrics.cacheHit();
                    return entry.open;
                }
            }
        }
        long started = System.nanoTime();
        boolean hit = entry != null;
        if (hit) {
            metrics.cacheHit();
        } else {
            metrics.cacheMiss();
            entry = download(ref);
        }
        long downloaded = System.nanoTime();
        SegmentReader reader = open(ref, entry);
        long opened = System.nanoTime();
        if (warm) {
            warm(entry.dir);
        }
        LOG.info("segment {} ({} bytes) loaded: {} {} ms, verify and map {} ms, warm {} ms", ref.segmentId(),
                entry.bytes, hit ? "cache hit" : "download", (downloaded - started) / 1_000_000,
                (opened - downloaded) / 1_000_000, (System.nanoTime() - opened) / 1_000_000);
        Entry owner = entry;
        CachedSegment[] holder = new CachedSegment[1];
        CachedSegment segment = new CachedSegment(ref, reader, entry.bytes, () -> closed(owner, holder[0]));
        holder[0] = segment;
        synchronized (this) {
            owner.open = segment;
            owner.lastUsed = ++clock;
            evictOverBudget();
        }
        return segment;
    }

    /** Bytes of segment files in the cache. */
    synchronized long bytes() {
        return totalBytes;
    }

    /** Fraction of the cache's file system in use (what the NVMe alarm watches). */
    double diskUsedRatio() {
        try {
            FileStore fileStore = Files.getFileStore(root);
            long total = fileStore.getTotalSpace();
            return total == 0 ? 0 : (double) (total - fileStore.getUsableSpace()) / total;
        } catch (IOException e) {
            return Double.NaN;
        }
    }

    /** Whether the files of a segment are in the cache (open or not). */
    synchronized boolean contains(SegmentRef ref) {
        return entries.containsKey(ref.key());
    }

    private Entry download(SegmentRef ref) {
        Path target = dirOf(ref);
        Path temporary = incoming.resolve(UUID.randomUUID().toString());
        try {
            downloader.download(ref, temporary);
            long bytes = sizeOf(temporary);
            Files.createDirectories(target.getParent());
            deleteTree(target);
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
            Entry entry = new Entry(target, bytes);
            synchronized (this) {
                Entry previous = entries.put(ref.key(), entry);
                if (previous != null) {
                    totalBytes -= previous.bytes;
                }
                totalBytes += bytes;
                entry.lastUsed = ++clock;
            }
            return entry;
        } catch (IOException e) {
            deleteQuietly(temporary);
            throw new UncheckedIOException("cannot download segment " + ref.segmentId() + " from " + ref.key(), e);
        } catch (RuntimeException e) {
            deleteQuietly(temporary);
            throw e;
        }
    }

    private SegmentReader open(SegmentRef ref, Entry entry) {
        SegmentReader reader = null;
        try {
            reader = SegmentReader.open(entry.dir);
            SegmentChecksums.verifyManifest(entry.dir, ref, reader);
            return reader;
        } catch (RuntimeException e) {
            if (reader != null) {
                reader.close();
            }
            if (SegmentChecksums.isCorruption(e)) {
                forget(ref, entry);
                metrics.corruptSegment();
                throw new CorruptSegmentException(ref, e);
            }
            throw e;
        }
    }

    private synchronized void forget(SegmentRef ref, Entry entry) {
        if (entries.get(ref.key()) == entry) {
            entries.remove(ref.key());
            totalBytes -= entry.bytes;
        }
        deleteQuietly(entry.dir);
    }

    private void closed(Entry entry, CachedSegment segment) {
        synchronized (this) {
            if (entry.open == segment) {
                entry.open = null;
            }
            evictOverBudget();
        }
    }

    private void evictOverBudget() {
        if (totalBytes <= maxBytes) {
            return;
        }
        List<Map.Entry<String, Entry>> idle = entries.entrySet().stream()
                .filter(e -> e.getValue().open == null)
                .sorted(Comparator.comparingLong(e -> e.getValue().lastUsed))
                .toList();
        for (Map.Entry<String, Entry> candidate : idle) {
            if (totalBytes <= maxBytes) {
                break;
            }
            entries.remove(candidate.getKey());
            totalBytes -= candidate.getValue().bytes;
            deleteQuietly(candidate.getValue().dir);
            LOG.info("evicted segment {} ({} bytes) from the cache", candidate.getKey(), candidate.getValue().bytes);
        }
        if (totalBytes > maxBytes) {
            LOG.warn("segment cache holds {} bytes, over its bound of {}: every cached segment is in use",
                    totalBytes, maxBytes);
        }
    }

    private Path dirOf(SegmentRef ref) {
        Path dir = root.resolve(ref.key()).normalize();
        if (!dir.startsWith(root.resolve("segments")) || dir.equals(root.resolve("segments"))) {
            throw new IllegalArgumentException("segment key '" + ref.key() + "' does not name a segment directory");
        }
        return dir;
    }

    /** Registers segment directories left by a previous run (leaves: directories that hold only files). */
    private void adoptExisting() throws IOException {
        Path segments = root.resolve("segments");
        if (!Files.isDirectory(segments)) {
            return;
        }
        try (Stream<Path> dirs = Files.walk(segments)) {
            for (Path dir : dirs.filter(Files::isDirectory).toList()) {
                boolean leaf;
                try (Stream<Path> children = Files.list(dir)) {
                    leaf = children.allMatch(Files::isRegularFile);
                }
                if (leaf && !dir.equals(segments)) {
                    String key = root.relativize(dir).toString().replace(dir.getFileSystem().getSeparator(), "/") + "/";
                    Entry entry = new Entry(dir, sizeOf(dir));
                    entry.lastUsed = ++clock;
                    entries.put(key, entry);
                    totalBytes += entry.bytes;
                }
            }
        }
        if (!entries.isEmpty()) {
            LOG.info("segment cache adopted {} segments ({} bytes) from {}", entries.size(), totalBytes, root);
        }
    }

    /** Reads every file once so its pages are in memory before the first search. */
    private static void warm(Path dir) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                    while (channel.read(buffer) > 0) {
                        buffer.clear();
                    }
                }
            }
        } catch (IOException e) {
            LOG.warn("could not warm segment files in {}: {}", dir, e.toString());
        }
    }

    private static long sizeOf(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            long sum = 0;
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                sum += Files.size(file);
            }
            return sum;
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            deleteTree(path);
        } catch (IOException e) {
            LOG.warn("could not delete {}: {}", path, e.toString());
        }
    }

    private static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
