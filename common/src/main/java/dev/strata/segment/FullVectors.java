package dev.strata.segment;

import io.github.jbellis.jvector.graph.disk.OnDiskGraphIndex;
import io.github.jbellis.jvector.graph.disk.feature.FeatureId;
import io.github.jbellis.jvector.vector.types.VectorFloat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The full-precision vectors of a segment, read in place from the memory-mapped graph file for exact re-ranking.
 *
 * <p>jvector's {@code OnDiskGraphIndex} keeps each node's vector inline in its layer-0 record: {@code dimension}
 * big-endian float32 at {@code base + row * stride}. Reading them through jvector copied every vector element by
 * element with a byte swap (about a quarter of a query's time); here the bytes are copied in bulk into the
 * caller's scratch array and scored in place ({@link Kernels}). The record position and size are
 * taken from jvector itself when the segment opens ({@link #locate}) and checked against a vector read through
 * jvector, so a layout this class does not understand is a {@link SegmentCorruptException}, never wrong scores.
 *
 * <p>Files of any size: the records are mapped in chunks of whole records, each under 2 GiB. Immutable and
 * thread-safe; callers pass their own scratch.
 */
final class FullVectors {
    private static final long CHUNK_BYTES = 1L << 30;

    private final ByteBuffer[] chunks;
    private final int rowsPerChunk;
    private final int stride;
    final int dimension;

    private FullVectors(ByteBuffer[] chunks, int rowsPerChunk, int stride, int dimension) {
        this.chunks = chunks;
        this.rowsPerChunk = rowsPerChunk;
        this.stride = stride;
        this.dimension = dimension;
    }

    /**
     * Finds the vector records of {@code graph} (loaded from {@code file}) and maps them.
     *
     * @throws SegmentCorruptException when the records are not where jvector says or do not hold its vectors
     */
    static FullVectors locate(Path file, OnDiskGraphIndex graph, int rows) throws IOException {
        int dimension = graph.getDimension();
        long base;
        long stride;
        float[] expected;
        try (OnDiskGraphIndex.View view = graph.getView()) {
            base = view.featureReaderForNode(0, FeatureId.INLINE_VECTORS).getPosition();
            stride = rows == 1 ? 4L * dimension
                    : view.featureReaderForNode(1, FeatureId.INLINE_VECTORS).getPosition() - base;
            long last = view.featureReaderForNode(rows - 1, FeatureId.INLINE_VECTORS).getPosition();
            if (stride < 4L * dimension || stride > Integer.MAX_VALUE || last != base + (rows - 1) * stride) {
                throw new SegmentCorruptException(SegmentFiles.GRAPH, SegmentFiles.GRAPH + ": vector records at "
                        + base + " every " + stride + " bytes do not reach row " + (rows - 1) + " at " + last);
            }
            VectorFloat<?> v = view.getVector(rows - 1);
            expected = new float[dimension];
            for (int i = 0; i < dimension; i++) {
                expected[i] = v.get(i);
            }
        }
        int rowsPerChunk = (int) Math.max(1, Math.min(rows, CHUNK_BYTES / stride));
        ByteBuffer[] chunks = new ByteBuffer[(rows + rowsPerChunk - 1) / rowsPerChunk];
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            for (int c = 0; c < chunks.length; c++) {
                long first = (long) c * rowsPerChunk;
                long count = Math.min(rowsPerChunk, rows - first);
                long start = base + first * stride;
                long length = (count - 1) * stride + 4L * dimension;
                if (start + length > ch.size()) {
                    throw new SegmentCorruptException(SegmentFiles.GRAPH, SegmentFiles.GRAPH + " ends at "
                            + ch.size() + " bytes, inside the vector of row " + (first + count - 1));
                }
                chunks[c] = ch.map(FileChannel.MapMode.READ_ONLY, start, length).order(ByteOrder.BIG_ENDIAN);
            }
        }
        FullVectors vectors = new FullVectors(chunks, rowsPerChunk, (int) stride, dimension);
        if (!java.util.Arrays.equals(vectors.read(rows - 1, new float[dimension]), expected)) {
            throw new SegmentCorruptException(SegmentFiles.GRAPH, SegmentFiles.GRAPH
                    + ": the vector record of row " + (rows - 1) + " does not hold jvector's vector of that row");
        }
        return vectors;
    }

    /** Per-thread scratch of {@link #dot} and {@link #squareDistance}: one row's bytes. */
    static final class Scratch {
        final byte[] row;

        Scratch(int dimension) {
            row = new byte[4 * dimension];
        }
    }

    /** Inner product of {@code query} with row {@code row}'s stored vector. */
    float dot(float[] query, int row, Scratch scratch) {
        copy(row, scratch.row);
        return Kernels.dotBigEndian(scratch.row, query);
    }

    /** Squared Euclidean distance between {@code query} and row {@code row}'s stored vector. */
    float squareDistance(float[] query, int row, Scratch scratch) {
        copy(row, scratch.row);
        return Kernels.squareDistanceBigEndian(scratch.row, query);
    }

    /** Row {@code row}'s stored vector into {@code out}, which it returns. */
    float[] read(int row, float[] out) {
        ByteBuffer chunk = chunks[row / rowsPerChunk];
        int at = (row % rowsPerChunk) * stride;
        for (int i = 0; i < dimension; i++) {
            out[i] = chunk.getFloat(at + 4 * i);
        }
        return out;
    }

    /**
     * Reads one byte of every cache line of the listed rows' vectors, so that their fetches from memory overlap
     * (see {@link PqCodes#touch}).
     *
     * @return a value derived from the bytes read, for the caller to keep so the loads are not optimised away
     */
    int touch(int[] rows, int count) {
        int acc = 0;
        int last = 4 * dimension - 1;
        for (int i = 0; i < count; i++) {
            int row = rows[i];
            ByteBuffer chunk = chunks[row / rowsPerChunk];
            int at = (row % rowsPerChunk) * stride;
            for (int b = 0; b < last; b += 64) {
                acc += chunk.get(at + b);
            }
            acc += chunk.get(at + last);
        }
        return acc;
    }

    private void copy(int row, byte[] scratch) {
        chunks[row / rowsPerChunk].get((row % rowsPerChunk) * stride, scratch, 0, scratch.length);
    }
}
