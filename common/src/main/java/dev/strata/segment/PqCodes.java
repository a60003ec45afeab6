package dev.strata.segment;

import io.github.jbellis.jvector.quantization.ProductQuantization;
import io.github.jbellis.jvector.vector.VectorUtil;
import io.github.jbellis.jvector.vector.VectorizationProvider;
import io.github.jbellis.jvector.vector.types.ByteSequence;
import io.github.jbellis.jvector.vector.types.VectorFloat;
import io.github.jbellis.jvector.vector.types.VectorTypeSupport;

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
    private static final VectorTypeSupport VTS = VectorizationProvider.getInstance().getVectorTypeSupport();
    /** jvector's gather kernel measured ~25 % faster than the scalar loop here; the loop stays as the reference. */
    static final boolean SIMD = true;

    final int dimension;
    final int subspaces;
    final int clusters;
    final float[] centroid;     // null when not centred
    final int[] offsets;        // first dimension of each subspace
    final int[] widths;
    final float[][] transposed; // per subspace: [w_m][K], dimension-major so table building vectorises
    final byte[] codes;
    final int rows;
    /** {@link #codes} seen by jvector's SIMD kernels (wraps the same array). */
    final ByteSequence<?> codeSequence;

    private PqCodes(int dimension, int subspaces, int clusters, float[] centroid, int[] widths,
                    float[][] transposed, byte[] codes, int rows) {
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
        this.codes = codes;
        this.rows = rows;
        this.codeSequence = VTS.createByteSequence(codes);
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
        ByteBuffer b = in.duplicate().order(java.nio.ByteOrder.LITTLE_ENDIAN);
        if (b.getInt() != SegmentFiles.PQ_MAGIC) {
            throw new SegmentCorruptException(f, f + " is not a PQ file (bad magic)");
        }
        int version = b.getInt();
        if (version != SegmentFiles.LAYOUT_VERSION) {
            throw new SegmentCorruptException(f, f + " has layout version " + version + "; expected "
                    + SegmentFiles.LAYOUT_VERSION);
        }
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
        float[][] transposed = new float[m][];
        int total = 0;
        for (int s = 0; s < m; s++) {
            int w = b.getInt();
            widths[s] = w;
            total += w;
            float[] book = new float[k * w];
            b.asFloatBuffer().get(book);
            b.position(b.position() + 4 * book.length);
            float[] t = new float[w * k];
            for (int c = 0; c < k; c++) {
                for (int j = 0; j < w; j++) {
                    t[j * k + c] = book[c * w + j];
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
        return new PqCodes(dimension, m, k, centroid, widths, transposed, codes, rows);
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
            float[] t = transposed[s];
            int base = s * TABLE_STRIDE;
            int off = offsets[s];
            if (widths[s] == 4 && !euclidean) {
                // the common case (dimension / 4 subspaces): one pass, one store per cluster; vectorised by C2
                float q0 = q[off], q1 = q[off + 1], q2 = q[off + 2], q3 = q[off + 3];
                for (int c = 0; c < k; c++) {
                    table[base + c] = q0 * t[c] + q1 * t[k + c] + q2 * t[2 * k + c] + q3 * t[3 * k + c];
                }
                continue;
            }
            java.util.Arrays.fill(table, base, base + k, 0f);
            for (int j = 0; j < widths[s]; j++) {
                float qj = q[off + j];
                int row = j * k;
                if (euclidean) {
                    for (int c = 0; c < k; c++) {
                        float d = qj - t[row + c];
                        table[base + c] -= d * d;
                    }
                } else {
                    for (int c = 0; c < k; c++) {
                        table[base + c] += qj * t[row + c];
                    }
                }
            }
        }
    }

    /** A jvector view of {@code table} (same array) for {@link #score(VectorFloat, float[], int)}. */
    static VectorFloat<?> tableVector(float[] table) {
        return VTS.createFloatVector(table);
    }

    /**
     * Approximate similarity of row {@code row}: the sum of one table entry per subspace, summed by jvector's
     * SIMD gather kernel ({@code assembleAndSum}) over {@code tableVector}, a view of {@code table}.
     */
    float score(VectorFloat<?> tableVector, float[] table, int row) {
        if (SIMD) {
            return VectorUtil.assembleAndSum(tableVector, TABLE_STRIDE, codeSequence, row * subspaces, subspaces);
        }
        return score(table, row);
    }

    /** Approximate similarity of row {@code row} under the table filled by {@link #fillTable}. */
    float score(float[] table, int row) {
        final byte[] c = codes;
        final int m = subspaces;
        int p = row * m;
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int s = 0;
        for (; s + 3 < m; s += 4, p += 4) {
            s0 += table[(s << 8) + (c[p] & 0xff)];
            s1 += table[((s + 1) << 8) + (c[p + 1] & 0xff)];
            s2 += table[((s + 2) << 8) + (c[p + 2] & 0xff)];
            s3 += table[((s + 3) << 8) + (c[p + 3] & 0xff)];
        }
        for (; s < m; s++, p++) {
            s0 += table[(s << 8) + (c[p] & 0xff)];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** Resident bytes: codes, codebooks and the centroid. */
    long ramBytes() {
        long b = codes.length + (centroid == null ? 0 : 4L * centroid.length);
        for (float[] t : transposed) {
            b += 4L * t.length;
        }
        return b;
    }
}
