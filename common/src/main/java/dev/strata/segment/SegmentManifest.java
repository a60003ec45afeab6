package dev.strata.segment;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.strata.api.Metric;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The self-description of a segment, stored as {@code manifest.json} and written last, so a directory without
 * it is an unfinished segment. It names every other file with its size and CRC32C.
 *
 * <p>Serialised canonically (record component order, files sorted by name, no whitespace), so
 * {@link #checksum()} equals the CRC32C of the {@code manifest.json} bytes the writer produced; the catalog
 * stores that value as the segment's checksum. Immutable and thread-safe.
 *
 * @param formatVersion layout version of the segment ({@link #FORMAT_VERSION} for segments written by this code)
 * @param segmentId     the segment's id (unique within its shard)
 * @param dimension     vector dimension
 * @param metric        similarity metric (cosine vectors are stored L2-normalised)
 * @param rows          documents stored in the segment (live or not)
 * @param tombstones    ids this segment deletes from older segments of its shard
 * @param files         every other file of the segment: its size in bytes and CRC32C (8 lowercase hex digits)
 * @param bytes         total size of the files listed in {@code files}
 */
public record SegmentManifest(int formatVersion, String segmentId, int dimension, Metric metric, int rows,
                              int tombstones, Map<String, FileInfo> files, long bytes) {

    /** The segment format this code writes and reads. */
    public static final int FORMAT_VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    /** Size and CRC32C (8 lowercase hex digits) of one file of the segment. */
    public record FileInfo(long bytes, String crc32c) {}

    public SegmentManifest {
        files = files == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(files));
    }

    /** Hex CRC32C of this manifest's canonical JSON, i.e. of the {@code manifest.json} bytes. */
    public String checksum() {
        return SegmentFiles.crc32c(toJson());
    }

    /** The canonical JSON bytes of this manifest. */
    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads {@code dir/manifest.json}. Throws {@link SegmentCorruptException} when it is missing or not a
     * manifest; does not verify the other files (that is {@link SegmentReader#open}'s job).
     */
    public static SegmentManifest read(Path dir) {
        Path file = dir.resolve(SegmentFiles.MANIFEST);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new SegmentCorruptException(SegmentFiles.MANIFEST, "segment " + dir + " has no "
                    + SegmentFiles.MANIFEST + " (an unfinished or deleted segment)", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            return JSON.readValue(bytes, SegmentManifest.class);
        } catch (IOException e) {
            throw new SegmentCorruptException(SegmentFiles.MANIFEST, "segment " + dir + ": "
                    + SegmentFiles.MANIFEST + " is not a valid manifest: " + e.getMessage(), e);
        }
    }

    void write(Path dir) throws IOException {
        Path tmp = dir.resolve(SegmentFiles.MANIFEST + ".tmp");
        Files.write(tmp, toJson());
        Files.move(tmp, dir.resolve(SegmentFiles.MANIFEST), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
