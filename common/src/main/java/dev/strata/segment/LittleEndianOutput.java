package dev.strata.segment;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Buffered little-endian writer for the segment's own files; tracks its position to enforce the 2 GiB limit. */
final class LittleEndianOutput implements AutoCloseable {
    private final OutputStream out;
    private final String name;
    private final byte[] scratch = new byte[8];
    private long position;

    LittleEndianOutput(Path file) throws IOException {
        this.out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
        this.name = file.getFileName().toString();
    }

    long position() {
        return position;
    }

    void writeInt(int v) throws IOException {
        scratch[0] = (byte) v;
        scratch[1] = (byte) (v >>> 8);
        scratch[2] = (byte) (v >>> 16);
        scratch[3] = (byte) (v >>> 24);
        write(scratch, 0, 4);
    }

    void writeLong(long v) throws IOException {
        for (int i = 0; i < 8; i++) {
            scratch[i] = (byte) (v >>> (8 * i));
        }
        write(scratch, 0, 8);
    }

    void writeFloat(float v) throws IOException {
        writeInt(Float.floatToRawIntBits(v));
    }

    void write(byte[] bytes) throws IOException {
        write(bytes, 0, bytes.length);
    }

    void write(byte[] bytes, int off, int len) throws IOException {
        out.write(bytes, off, len);
        position += len;
        if (position > Integer.MAX_VALUE) {
            throw new IllegalStateException("segment file " + name + " exceeds 2 GiB (" + position
                    + " bytes); build smaller segments");
        }
    }

    /** Pads with zero bytes to a multiple of {@code alignment}. */
    void align(int alignment) throws IOException {
        while (position % alignment != 0) {
            out.write(0);
            position++;
        }
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
