package dev.strata.segment;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * A column of variable-length byte strings, one per row ({@code ids.bin}, {@code metadata.bin},
 * {@code text.bin}, {@code tombstones.bin}). Layout, little-endian:
 * <pre>
 *   int32  magic 0x53424C42 ("SBLB")
 *   int32  layout version (1)
 *   int32  count
 *   int32  reserved (0)
 *   int64  offsets[count + 1]   start of entry i relative to the data area; entry i is [off[i], off[i+1])
 *   byte   data[off[count]]     the entries back to back
 * </pre>
 * An empty entry means "absent" for the metadata and text columns. Reading is over a memory-mapped buffer:
 * nothing but the mapping is resident. Immutable after open and thread-safe (absolute reads only).
 */
final class BlobColumn {
    private static final int HEADER = 16;
    private final ByteBuffer buffer;
    private final int count;
    private final long dataStart;

    private BlobColumn(ByteBuffer buffer, int count) {
        this.buffer = buffer;
        this.count = count;
        this.dataStart = HEADER + 8L * (count + 1);
    }

    static void write(Path file, List<byte[]> entries) throws IOException {
        try (LittleEndianOutput out = new LittleEndianOutput(file)) {
            out.writeInt(SegmentFiles.BLOB_MAGIC);
            out.writeInt(SegmentFiles.LAYOUT_VERSION);
            out.writeInt(entries.size());
            out.writeInt(0);
            long off = 0;
            out.writeLong(0);
            for (byte[] e : entries) {
                off += e == null ? 0 : e.length;
                out.writeLong(off);
            }
            for (byte[] e : entries) {
                if (e != null) {
                    out.write(e);
                }
            }
        }
    }

    static BlobColumn open(String name, ByteBuffer buffer, int expectedCount) {
        if (buffer.capacity() < HEADER || buffer.getInt(0) != SegmentFiles.BLOB_MAGIC) {
            throw new SegmentCorruptException(name, name + " is not a blob column (bad magic)");
        }
        int version = buffer.getInt(4);
        if (version != SegmentFiles.LAYOUT_VERSION) {
            throw new SegmentCorruptException(name, name + " has layout version " + version + "; expected "
                    + SegmentFiles.LAYOUT_VERSION);
        }
        int count = buffer.getInt(8);
        if (count != expectedCount) {
            throw new SegmentCorruptException(name, name + " holds " + count + " entries; the manifest says "
                    + expectedCount);
        }
        BlobColumn column = new BlobColumn(buffer, count);
        long end = column.dataStart + column.offset(count);
        if (end != buffer.capacity()) {
            throw new SegmentCorruptException(name, name + " is " + buffer.capacity() + " bytes; its offsets say "
                    + end);
        }
        return column;
    }

    int count() {
        return count;
    }

    private long offset(int i) {
        return buffer.getLong(HEADER + 8 * i);
    }

    /** Bytes of entry {@code i}, or null when empty. */
    byte[] bytes(int i) {
        long from = offset(i);
        int len = (int) (offset(i + 1) - from);
        if (len == 0) {
            return null;
        }
        byte[] out = new byte[len];
        buffer.get((int) (dataStart + from), out);
        return out;
    }

    /** Entry {@code i} as UTF-8 text, or null when empty. */
    String string(int i) {
        byte[] b = bytes(i);
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }
}
