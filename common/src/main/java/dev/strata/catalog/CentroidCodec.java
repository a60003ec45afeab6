package dev.strata.catalog;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Compact binary form of a collection's centroids, stored in its catalog item (DynamoDB items hold at most 400 KB).
 *
 * <p>Format, little-endian: {@code int32 count}, {@code int32 dimension}, then {@code count × dimension} float32
 * values, centroid after centroid. Stateless; thread-safe.
 */
public final class CentroidCodec {

    /** Largest encoded size accepted, leaving room for the rest of the collection item. */
    public static final int MAX_BYTES = 320 * 1024;

    private CentroidCodec() {}

    /** Encodes centroids of equal dimension; throws InvalidRequest when they would not fit in an item. */
    public static byte[] encode(List<float[]> centroids) {
        int dimension = centroids.isEmpty() ? 0 : centroids.get(0).length;
        long size = 8L + 4L * centroids.size() * dimension;
        if (size > MAX_BYTES) {
            throw new dev.strata.api.StrataException.InvalidRequest("centroids are " + centroids.size() + " × "
                    + dimension + " floats (" + size + " bytes); at most " + MAX_BYTES + " bytes fit in the catalog");
        }
        ByteBuffer buffer = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(centroids.size()).putInt(dimension);
        for (float[] c : centroids) {
            if (c.length != dimension) {
                throw new IllegalArgumentException("centroid has " + c.length + " values; expected " + dimension);
            }
            for (float v : c) {
                buffer.putFloat(v);
            }
        }
        return buffer.array();
    }

    /** Decodes what {@link #encode} wrote. */
    public static List<float[]> decode(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int count = buffer.getInt();
        int dimension = buffer.getInt();
        if (bytes.length != 8L + 4L * count * dimension) {
            throw new IllegalArgumentException("centroid blob has " + bytes.length + " bytes; header says "
                    + count + " × " + dimension);
        }
        List<float[]> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            float[] c = new float[dimension];
            buffer.asFloatBuffer().get(c);
            buffer.position(buffer.position() + 4 * dimension);
            out.add(c);
        }
        return out;
    }
}
