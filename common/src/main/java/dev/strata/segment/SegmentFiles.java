package dev.strata.segment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.zip.CRC32C;

/** File names, magic numbers and small I/O helpers shared by {@link SegmentWriter} and {@link SegmentReader}. */
final class SegmentFiles {
    static final String MANIFEST = "manifest.json";
    static final String GRAPH = "graph.jvg";
    static final String PQ = "pq.bin";
    static final String SQ = "sq.bin";
    static final String IDS = "ids.bin";
    static final String METADATA = "metadata.bin";
    static final String TEXT = "text.bin";
    static final String COLUMNS = "columns.bin";
    static final String TOMBSTONES = "tombstones.bin";

    /** 'S','B','L','B': a blob column. */
    static final int BLOB_MAGIC = 0x53424C42;
    /** 'S','P','Q','C': PQ codebooks and codes. */
    static final int PQ_MAGIC = 0x53505143;
    /** 'S','S','Q','2': two-bit scalar codes. */
    static final int SQ_MAGIC = 0x53535132;
    /** 'S','C','O','L': filter columns. */
    static final int COLUMNS_MAGIC = 0x53434F4C;
    /** Version of the blob, PQ and column layouts (bumped with {@link SegmentManifest#FORMAT_VERSION}). */
    static final int LAYOUT_VERSION = 1;

    private SegmentFiles() {}

    static String crc32c(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            CRC32C crc = new CRC32C();
            ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
            while (ch.read(buf) >= 0) {
                buf.flip();
                crc.update(buf);
                buf.clear();
            }
            return hex(crc.getValue());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String crc32c(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        return hex(crc.getValue());
    }

    static String crc32c(ByteBuffer buffer) {
        CRC32C crc = new CRC32C();
        crc.update(buffer.duplicate());
        return hex(crc.getValue());
    }

    private static String hex(long value) {
        return HexFormat.of().toHexDigits((int) value);
    }

    /** Maps a whole file read-only, little-endian. Files over 2 GiB are rejected by the writer. */
    static MappedByteBuffer map(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            MappedByteBuffer buf = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
            buf.order(ByteOrder.LITTLE_ENDIAN);
            return buf;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A little-endian view of {@code in} positioned after its magic number and layout version, both checked.
     *
     * @param kind what the file is, for the error ("a PQ file")
     * @throws SegmentCorruptException naming {@code file} when the magic or the version is not the expected one
     */
    static ByteBuffer header(ByteBuffer in, String file, int magic, String kind) {
        ByteBuffer b = in.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (b.remaining() < 8 || b.getInt() != magic) {
            throw new SegmentCorruptException(file, file + " is not " + kind + " (bad magic)");
        }
        int version = b.getInt();
        if (version != LAYOUT_VERSION) {
            throw new SegmentCorruptException(file, file + " has layout version " + version + "; expected "
                    + LAYOUT_VERSION);
        }
        return b;
    }

    static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
