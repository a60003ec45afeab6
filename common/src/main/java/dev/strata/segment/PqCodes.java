package dev.strata.segment;

import io.github.jbellis.jvector.quantization.ProductQuantization;
import io.github.jbellis.jvector.vector.types.VectorFloat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Product-quantization codebooks and the codes of every row, held in heap for graph traversal
 * ({@code pq.bin}). Trained and encoded with jvector's {@link ProductQuantization}; scored here with an
 * asymmetric-distance lookup table built once per query ({@link #fillTable}). Layout, little-endian:
 * <pre>
 *   int32   magic 0x53505143 ("SPQC")
 *   int32   layout version (1)
 *   int32   dimension
 *   int32   subspaces M
 *   int32   clusters K (1..256)
 *   int32   centered: 1 when vectors were centred on a global centroid before quantization, else 0
 *   float32 centroid[dimension]                       only when centered
 *   per subspace m = 0..M-1:
 *     int32   width w_m (subspaces are consecutive, widths sum to dimension)
 *     float32 codebook[K][w_m]                        cluster-major
 *   int32   rows
 *   uint8   codes[rows][M]                            row-major; code m of row r is its cluster in subspace m
 * </pre>
 * Immutable after load; {@link #fillTable} and {@link #score} only read shared state and are thread-safe.
 */
final class PqCodes {
    static final int TABLE_STRIDE = 256;

    final int dimension;
    final int subspaces;
    final int clusters;
    final float[] centroid;     // null when not centred
    final int[] offsets;        // first dimension of each subspace
    final int[] widths;
    /**
     * Per subspace, the codebook as [w_m][K] half-precision floats: dimension-major so that table building
     * vectorises, and half width because that loop streams the whole codebook (dimension x K values) once per
     * query: in float32 it outgrew the core's L2 cache and the table took a fifth of a query. The file keeps
     * float32; half precision (11 significant bits) is far finer than the quantization itself.
     */
    final short[][] transposed;
    /** What {@link #transposed}'s values are multiplied by to give the codebook's values. */
    final float halfScale;
    final byte[] codes;
    final int rows;

    private PqCodes(int dimension, int subspaces, int clusters, float[] centroid, int[] widths,
                    short[][] transposed, float halfScale, byte[] codes, int rows) {
        this.dimension = dimension;
        this.subspaces = subspaces;
        this.clusters = clusters;
        this.centroid = centroid;
        this.widths = widths;
        this.offsets = new int[subspaces];
        for (int m = 1; m < subspaces; m++) {
            offsets[m] = offsets[m - 1] + widths[m - 1];
        }
        this.transposed = transposed;
        this.halfScale = halfScale;
        this.codes = codes;
        this.rows = rows;
    }

    static void write(Path file, ProductQuantization pq, byte[] codes, int rows) throws IOException {
        int m = pq.getSubspaceCount();
        int k = pq.getClusterCount();
        VectorFloat<?> centroid = pq.getGlobalCentroid();
        try (LittleEndianOutput out = new LittleEndianOutput(file)) {
            out.writeInt(SegmentFiles.PQ_MAGIC);
            out.writeInt(SegmentFiles.LAYOUT_VERSION);
            out.writeInt(pq.getOriginalDimension());
            out.writeInt(m);
            out.writeInt(k);
            out.writeInt(centroid == null ? 0 : 1);
            if (centroid != null) {
                for (int i = 0; i < centroid.length(); i++) {
                    out.writeFloat(centroid.get(i));
                }
            }
            for (int s = 0; s < m; s++) {
                int w = pq.getSubvectorSize(s);
                out.writeInt(w);
                VectorFloat<?> book = pq.getCodebookVector(s);
                for (int i = 0; i < k * w; i++) {
                    out.writeFloat(book.get(i));
                }
            }
            out.writeInt(rows);
            out.write(codes);
        }
    }

    static PqCodes read(ByteBuffer in, int expectedRows, int expectedDimension) {
        String f = SegmentFiles.PQ;
        ByteBuffer b = SegmentFiles.header(in, f, SegmentFiles.PQ_MAGIC, "a PQ file");
        int dimension = b.getInt();
        int m = b.getInt();
        int k = b.getInt();
        boolean centered = b.getInt() == 1;
        if (dimension != expectedDimension || m < 1 || m > dimension || k < 1 || k > 256) {
            throw new SegmentCorruptException(f, f + " has dimension " + dimension + ", " + m + " subspaces, "
                    + k + " clusters; the manifest says dimension " + expectedDimension);
        }
        float[] centroid = null;
        if (centered) {
            centroid = new float[dimension];
            b.asFloatBuffer().get(centroid);
            b.position(b.position() + 4 * dimension);
        }
        int[] widths = new int[m];
        float[][] books = new float[m][];
        float largest = 0;
        int total = 0;
        for (int s = 0; s < m; s++) {
            int w = b.getInt();
            widths[s] = w;
            total += w;
            float[] book = new float[k * w];
            b.asFloatBuffer().get(book);
            b.position(b.position() + 4 * book.length);
            for (float v : book) {
                largest = Math.max(largest, Math.abs(v));
            }
            books[s] = book;
        }
        if (!Float.isFinite(largest)) {
            throw new SegmentCorruptException(f, f + " holds a codebook value that is not finite");
        }
        // half precision tops out at 65504: values are stored divided by a scale that maps the largest to 2^14
        float scale = largest == 0 ? 1f : largest / 16384f;
        short[][] transposed = new short[m][];
        for (int s = 0; s < m; s++) {
            int w = widths[s];
            float[] book = books[s];
            short[] t = new short[w * k];
            for (int c = 0; c < k; c++) {
                for (int j = 0; j < w; j++) {
                    t[j * k + c] = Float.floatToFloat16(book[c * w + j] / scale);
                }
            }
            transposed[s] = t;
        }
        if (total != dimension) {
            throw new SegmentCorruptException(f, f + " subspace widths sum to " + total + "; expected " + dimension);
        }
        int rows = b.getInt();
        if (rows != expectedRows || b.remaining() != (long) rows * m) {
            throw new SegmentCorruptException(f, f + " holds " + rows + " rows and " + b.remaining()
                    + " code bytes; the manifest says " + expectedRows + " rows of " + m + " codes");
        }
        byte[] codes = new byte[rows * m];
        b.get(codes);
        return new PqCodes(dimension, m, k, centroid, widths, transposed, scale, codes, rows);
    }

    /** A table of {@code subspaces * 256} floats to pass to {@link #fillTable}. */
    float[] newTable() {
        return new float[subspaces * TABLE_STRIDE];
    }

    /**
     * Fills {@code table} so that {@link #score} approximates the query's similarity to a row: partial inner
     * products for dot/cosine, negated partial squared distances for l2 (higher is nearer in both cases).
     */
    void fillTable(float[] query, boolean euclidean, float[] table) {
        int k = clusters;
        float[] q = query;
        if (euclidean && centroid != null) {
            q = new float[dimension];
            for (int i = 0; i < dimension; i++) {
                q[i] = query[i] - centroid[i];
            }
        }
        for (int s = 0; s < subspaces; s++) {
            short[] t = transposed[s];
            int base = s * TABLE_STRIDE;
            int off = offsets[s];
            if (widths[s] == 4 && !euclidean) {
                // the common case (dimension / 4 subspaces): one pass, one store per cluster; vectorised by C2
                float q0 = q[off] * halfScale, q1 = q[off + 1] * halfScale;
                float q2 = q[off + 2] * halfScale, q3 = q[off + 3] * halfScale;
                for (int c = 0; c < k; c++) {
                    table[base + c] = q0 * Float.float16ToFloat(t[c]) + q1 * Float.float16ToFloat(t[k + c])
                            + q2 * Float.float16ToFloat(t[2 * k + c]) + q3 * Float.float16ToFloat(t[3 * k + c]);
                }
                continue;
            }
            java.util.Arrays.fill(table, base, base + k, 0f);
            for (int j = 0; j < widths[s]; j++) {
                float qj = q[off + j];
                float qs = qj * halfScale;
                int row = j * k;
                if (euclidean) {
                    for (int c = 0; c < k; c++) {
                        float d = qj - halfScale * Float.float16ToFloat(t[row + c]);
                        table[base + c] -= d * d;
                    }
                } else {
                    for (int c = 0; c < k; c++) {
                        table[base + c] += qs * Float.float16ToFloat(t[row + c]);
                    }
                }
            }
        }
    }

    /**
     * Approximate similarity of row {@code row} under the table filled by {@link #fillTable}: one table entry per
     * subspace, summed in eight independent chains. A plain loop: on AVX2 it measured faster than jvector's native
     * gather kernel ({@code assembleAndSum}), whose per-call cost exceeds the work of 96 lookups.
     */
    float score(float[] table, int row) {
        final byte[] c = codes;
        final int m = subspaces;
        int p = row * m;
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int s = 0;
        for (; s + 7 < m; s += 8, p += 8) {
            s0 += table[(s << 8) + (c[p] & 0xff)];
            s1 += table[((s + 1) << 8) + (c[p + 1] & 0xff)];
            s2 += table[((s + 2) << 8) + (c[p + 2] & 0xff)];
            s3 += table[((s + 3) << 8) + (c[p + 3] & 0xff)];
            s4 += table[((s + 4) << 8) + (c[p + 4] & 0xff)];
            s5 += table[((s + 5) << 8) + (c[p + 5] & 0xff)];
            s6 += table[((s + 6) << 8) + (c[p + 6] & 0xff)];
            s7 += table[((s + 7) << 8) + (c[p + 7] & 0xff)];
        }
        for (; s < m; s++, p++) {
            s0 += table[(s << 8) + (c[p] & 0xff)];
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }

    /**
     * Reads one byte of every cache line of each listed row's codes, so that the lines of all of them are
     * fetched from memory in parallel before {@link #score} needs them one after another (Java has no prefetch
     * instruction; independent loads are the portable equivalent). A graph step's neighbours are scattered over
     * the code array, and without this every score waited for its own cache miss: about a third of a query.
     *
     * @return a value derived from the bytes read, for the caller to keep so the loads are not optimised away
     */
    int touch(int[] rows, int count) {
        int acc = 0;
        final byte[] c = codes;
        final int m = subspaces;
        for (int i = 0; i < count; i++) {
            int p = rows[i] * m;
            int last = p + m - 1;
            for (int q = p; q < last; q += 64) {
                acc += c[q];
            }
            acc += c[last];
        }
        return acc;
    }

    /** Resident bytes: codes, codebooks and the centroid. */
    long ramBytes() {
        long b = codes.length + (centroid == null ? 0 : 4L * centroid.length);
        for (short[] t : transposed) {
            b += 2L * t.length;
        }
        return b;
    }
}
