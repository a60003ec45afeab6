package dev.strata.local.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Readers of the texmex vector formats: {@code .fvecs} (per vector an int32 little-endian dimension, then that
 * many float32 little-endian) and {@code .ivecs} (the same with int32 values). Stateless and thread-safe.
 */
public final class Texmex {
    private Texmex() {}

    /** The first {@code limit} vectors of an fvecs file (all when {@code limit} is negative). */
    public static List<float[]> readFvecs(Path file, int limit) {
        List<float[]> out = new ArrayList<>();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buf = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size()).order(ByteOrder.LITTLE_ENDIAN);
            while (buf.remaining() >= 4 && (limit < 0 || out.size() < limit)) {
                int dim = buf.getInt();
                if (dim <= 0 || dim > 65_536 || buf.remaining() < dim * 4L) {
                    throw new IllegalArgumentException(file + ": vector " + out.size() + " has dimension " + dim
                            + " with " + buf.remaining() + " bytes left; not an fvecs file");
                }
                float[] v = new float[dim];
                buf.asFloatBuffer().get(v);
                buf.position(buf.position() + dim * 4);
                out.add(v);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** The first {@code limit} rows of an ivecs file (all when {@code limit} is negative). */
    public static List<int[]> readIvecs(Path file, int limit) {
        List<int[]> out = new ArrayList<>();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buf = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size()).order(ByteOrder.LITTLE_ENDIAN);
            while (buf.remaining() >= 4 && (limit < 0 || out.size() < limit)) {
                int n = buf.getInt();
                if (n < 0 || buf.remaining() < n * 4L) {
                    throw new IllegalArgumentException(file + ": row " + out.size() + " has length " + n
                            + " with " + buf.remaining() + " bytes left; not an ivecs file");
                }
                int[] row = new int[n];
                buf.asIntBuffer().get(row);
                buf.position(buf.position() + n * 4);
                out.add(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
