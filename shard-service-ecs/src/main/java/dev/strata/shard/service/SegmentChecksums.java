package dev.strata.shard.service;

import dev.strata.catalog.SegmentRef;
import dev.strata.segment.SegmentCorruptException;
import dev.strata.segment.SegmentReader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * Ties a downloaded segment to its catalog entry. {@link SegmentReader#open} already checks every file against
 * the segment's manifest; this checks the manifest itself against {@link SegmentRef#checksum()}, so a manifest
 * rewritten to match damaged files (or another segment's files under this key) is refused too.
 */
final class SegmentChecksums {

    static final String MANIFEST = "manifest.json";

    private SegmentChecksums() {}

    /** Throws {@link SegmentCorruptException} when the manifest's CRC32C differs from the catalog's checksum. */
    static void verifyManifest(Path dir, SegmentRef ref, SegmentReader reader) {
        if (ref.checksum() == null || ref.checksum().isBlank()) {
            return;
        }
        String actual = crc32c(dir.resolve(MANIFEST));
        if (!actual.equalsIgnoreCase(ref.checksum())) {
            throw new SegmentCorruptException(MANIFEST, "segment " + ref.segmentId() + ": " + MANIFEST
                    + " has CRC32C " + actual + "; the catalog lists " + ref.checksum());
        }
        if (!reader.segmentId().equals(ref.segmentId())) {
            throw new SegmentCorruptException(MANIFEST, "segment " + ref.segmentId() + ": " + MANIFEST
                    + " names segment " + reader.segmentId());
        }
    }

    /** True for a failed verification (as opposed to a store or disk failure, which is retried as is). */
    static boolean isCorruption(RuntimeException error) {
        return error instanceof SegmentCorruptException;
    }

    static String crc32c(Path file) {
        try {
            CRC32C crc = new CRC32C();
            crc.update(Files.readAllBytes(file));
            return String.format("%08x", crc.getValue());
        } catch (IOException e) {
            throw new SegmentCorruptException(MANIFEST, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
