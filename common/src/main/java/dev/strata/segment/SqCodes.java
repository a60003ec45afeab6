package dev.strata.segment;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.stream.IntStream;

/**
 * Two-bit scalar codes for graph traversal ({@code sq.bin}), the default since they were measured against
 * {@link PqCodes} on techdocs-dev (25k x 384): the 30 best rows by code score hold 0.997 of the true top 10 (PQ with
 * 96 one-byte subspaces: 0.995), a score costs 48 AND + POPCNT pairs instead of 96 table lookups, and a query
 * needs no lookup table (PQ: about a tenth of a query).
 *
 * <p><b>Encoding.</b> A row's vector minus the segment's mean is rotated ({@link BlockRotation}; orthonormal, so
 * inner products and distances are kept) so that every dimension carries a similar share of the vector. Each rotated
 * component is then rounded to one of four levels {@code lo + step * c}, c in 0..3, with {@code lo} and
 * {@code step} chosen per row to minimise the squared error. The query is rotated the same way and rounded to
 * 16 levels {@code qlo + qstep * u}; then
 * <pre>
 *   sum_i q_i * (lo + step * c_i) = lo * sum(q) + step * (qlo * sum(c) + qstep * sum(u_i * c_i))
 * </pre>
 * and {@code sum(u_i * c_i)} is computed from bit planes: {@code sum over a in 0..3, b in 0..1 of
 * 2^(a+b) * popcount(U_a & C_b)}. Cosine and dot score {@code <q, mean> + <Rq, R(x - mean)>}; l2 scores
 * {@code 2 <R(q - mean), R(x - mean)> - |x - mean|^2}, the negated squared distance up to a per-query constant.
 *
 * <p><b>Layout</b> of {@code sq.bin}, little-endian:
 * <pre>
 *   int32   magic 0x53535132 ("SSQ2")
 *   int32   layout version (1)
 *   int32   dimension d
 *   rotation  (layout in {@link BlockRotation})
 *   float32 mean[d]
 *   int32   rows
 *   int64   codes[rows][2W], W = ceil(d / 64): bit plane 0 (W words), bit plane 1 (W words), where bit i % 64 of
 *           word i / 64 is bit 0 / bit 1 of component i's level c_i
 *   float32 terms[rows][3]: lo, step, step * sum(c)
 *   float32 norms[rows]: |x - mean|^2
 * </pre>
 * The terms are kept apart from the codes so that a row's codes fill exactly two cache lines when d = 384: the
 * walk's memory stalls grew by half with the terms inline (112-byte rows, mostly three lines), while the terms of
 * all rows (12 bytes each) mostly stay in the core's cache.
 * Immutable after load; {@link #prepare} writes only into the caller's {@link Query}, so it is thread-safe.
 */
final class SqCodes {
    final int dimension;
    final int words;
    final int stride;
    final BlockRotation rotation;
    final float[] mean;
    final long[] codes;
    final float[] terms;
    final float[] norms;
    final int rows;

    private SqCodes(int dimension, BlockRotation rotation, float[] mean, long[] codes, float[] terms, float[] norms,
                    int rows) {
        this.dimension = dimension;
        this.words = (dimension + 63) / 64;
        this.stride = 2 * words;
        this.rotation = rotation;
        this.mean = mean;
        this.codes = codes;
        this.terms = terms;
        this.norms = norms;
        this.rows = rows;
    }

    /** Per-query state for {@link #score}: the query's bit planes and the terms shared by every row. */
    static final class Query {
        final long[] planes;
        final float[] rotated;
        final float[] scratch;
        float base;
        float sum;
        float low;
        float step;
        boolean euclidean;

        Query(SqCodes codes) {
            planes = new long[4 * codes.words];
            rotated = new float[codes.dimension];
            scratch = new float[codes.dimension];
        }
    }

    /** Encodes {@code vectors} (as stored: normalised under cosine) and writes {@code sq.bin}. */
    static void write(Path file, float[][] vectors, int dimension) throws IOException {
        int n = vectors.length;
        double[] sum = new double[dimension];
        for (float[] v : vectors) {
            for (int i = 0; i < dimension; i++) {
                sum[i] += v[i];
            }
        }
        float[] mean = new float[dimension];
        for (int i = 0; i < dimension; i++) {
            mean[i] = (float) (sum[i] / n);
        }
        SqCodes codes = new SqCodes(dimension, BlockRotation.seeded(dimension), mean,
                new long[n * 2 * ((dimension + 63) / 64)], new float[3 * n], new float[n], n);
        IntStream.range(0, n).parallel().forEach(r -> codes.encode(r, vectors[r]));
        try (LittleEndianOutput out = new LittleEndianOutput(file)) {
            out.writeInt(SegmentFiles.SQ_MAGIC);
            out.writeInt(SegmentFiles.LAYOUT_VERSION);
            out.writeInt(dimension);
            codes.rotation.write(out);
            for (float m : mean) {
                out.writeFloat(m);
            }
            out.writeInt(n);
            for (long word : codes.codes) {
                out.writeLong(word);
            }
            for (float t : codes.terms) {
                out.writeFloat(t);
            }
            for (float t : codes.norms) {
                out.writeFloat(t);
            }
        }
    }

    private void encode(int row, float[] vector) {
        float[] x = new float[dimension];
        double norm2 = 0;
        for (int i = 0; i < dimension; i++) {
            x[i] = vector[i] - mean[i];
            norm2 += (double) x[i] * x[i];
        }
        rotation.rotate(x, new float[dimension]);
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float v : x) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        // the four levels: lo and lo + 3 * step, searched between 0.3 and 1 times the extreme components
        float lo = min;
        float step = 0;
        double best = Double.MAX_VALUE;
        for (int a = 0; a <= 10; a++) {
            for (int b = 0; b <= 10; b++) {
                float l = min * (0.3f + 0.07f * a);
                float s = (max * (0.3f + 0.07f * b) - l) / 3;
                if (!(s > 0)) {
                    continue;
                }
                double error = 0;
                for (float v : x) {
                    float d = v - (l + s * level(v, l, s));
                    error += d * d;
                }
                if (error < best) {
                    best = error;
                    lo = l;
                    step = s;
                }
            }
        }
        int p = row * stride;
        int levels = 0;
        for (int i = 0; i < dimension; i++) {
            int c = step > 0 ? level(x[i], lo, step) : 0;
            levels += c;
            codes[p + (i >>> 6)] |= (long) (c & 1) << i;
            codes[p + words + (i >>> 6)] |= (long) (c >>> 1) << i;
        }
        terms[3 * row] = lo;
        terms[3 * row + 1] = step;
        terms[3 * row + 2] = step * levels;
        norms[row] = (float) norm2;
    }

    private static int level(float v, float lo, float step) {
        return Math.max(0, Math.min(3, Math.round((v - lo) / step)));
    }

    static SqCodes read(ByteBuffer in, int expectedRows, int expectedDimension) {
        String f = SegmentFiles.SQ;
        ByteBuffer b = SegmentFiles.header(in, f, SegmentFiles.SQ_MAGIC, "a scalar-code file");
        if (b.remaining() < 4) {
            throw new SegmentCorruptException(f, f + " ends inside its header");
        }
        int dimension = b.getInt();
        if (dimension != expectedDimension) {
            throw new SegmentCorruptException(f, f + " has dimension " + dimension + "; the manifest says "
                    + expectedDimension);
        }
        BlockRotation rotation = BlockRotation.read(b, dimension, f);
        if (b.remaining() < 4L * dimension + 4) {
            throw new SegmentCorruptException(f, f + " ends inside its mean");
        }
        float[] mean = new float[dimension];
        b.asFloatBuffer().get(mean);
        b.position(b.position() + 4 * dimension);
        int rows = b.getInt();
        int stride = 2 * ((dimension + 63) / 64);
        long rowBytes = 8L * stride + 16;
        if (rows != expectedRows || b.remaining() != rowBytes * rows) {
            throw new SegmentCorruptException(f, f + " holds " + rows + " rows and " + b.remaining()
                    + " code bytes; the manifest says " + expectedRows + " rows of " + rowBytes + " bytes");
        }
        long[] codes = new long[rows * stride];
        b.asLongBuffer().get(codes);
        b.position(b.position() + 8 * codes.length);
        float[] terms = new float[3 * rows];
        b.asFloatBuffer().get(terms);
        b.position(b.position() + 4 * terms.length);
        float[] norms = new float[rows];
        b.asFloatBuffer().get(norms);
        return new SqCodes(dimension, rotation, mean, codes, terms, norms, rows);
    }

    /** Prepares {@code out} so that {@link #score} approximates the query's similarity to a row. */
    void prepare(float[] query, boolean euclidean, Query out) {
        float[] q = out.rotated;
        double base = 0;
        for (int i = 0; i < dimension; i++) {
            if (euclidean) {
                q[i] = query[i] - mean[i];
            } else {
                q[i] = query[i];
                base += (double) query[i] * mean[i];
            }
        }
        rotation.rotate(q, out.scratch);
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        double sum = 0;
        for (float v : q) {
            min = Math.min(min, v);
            max = Math.max(max, v);
            sum += v;
        }
        float step = (max - min) / 15;
        long[] planes = out.planes;
        float inverse = step > 0 ? 1 / step : 0;
        for (int w = 0; w < words; w++) {
            // branch-free: a query's bits are as good as random, and a mispredicted branch per bit cost more than
            // the rest of the preparation
            long p0 = 0, p1 = 0, p2 = 0, p3 = 0;
            int end = Math.min(dimension, (w + 1) << 6);
            for (int i = w << 6; i < end; i++) {
                long u = Math.max(0, Math.min(15, Math.round((q[i] - min) * inverse)));
                p0 |= (u & 1) << i;
                p1 |= (u >>> 1 & 1) << i;
                p2 |= (u >>> 2 & 1) << i;
                p3 |= (u >>> 3) << i;
            }
            planes[w] = p0;
            planes[words + w] = p1;
            planes[2 * words + w] = p2;
            planes[3 * words + w] = p3;
        }
        out.base = (float) base;
        out.sum = (float) sum;
        out.low = min;
        out.step = step;
        out.euclidean = euclidean;
    }

    /** Approximate similarity of row {@code row} to the query prepared in {@code q}: higher is nearer. */
    float score(Query q, int row) {
        final long[] c = codes;
        final long[] u = q.planes;
        final int w = words;
        int p = row * stride;
        int a0 = 0, a1 = 0, a2 = 0, a3 = 0, b0 = 0, b1 = 0, b2 = 0, b3 = 0;
        for (int i = 0; i < w; i++) {
            long c0 = c[p + i];
            long c1 = c[p + w + i];
            long u0 = u[i];
            long u1 = u[w + i];
            long u2 = u[2 * w + i];
            long u3 = u[3 * w + i];
            a0 += Long.bitCount(u0 & c0);
            a1 += Long.bitCount(u1 & c0);
            a2 += Long.bitCount(u2 & c0);
            a3 += Long.bitCount(u3 & c0);
            b0 += Long.bitCount(u0 & c1);
            b1 += Long.bitCount(u1 & c1);
            b2 += Long.bitCount(u2 & c1);
            b3 += Long.bitCount(u3 & c1);
        }
        int products = (a0 + 2 * a1 + 4 * a2 + 8 * a3) + 2 * (b0 + 2 * b1 + 4 * b2 + 8 * b3);
        final float[] t = terms;
        int r = 3 * row;
        float dot = t[r] * q.sum + q.low * t[r + 2] + q.step * t[r + 1] * products;
        return q.euclidean ? 2 * dot - norms[row] : q.base + dot;
    }

    /**
     * As {@link PqCodes#touch}: one read per cache line of each listed row's codes, and of its terms, so that all
     * their fetches overlap.
     */
    int touch(int[] rowList, int count) {
        int acc = 0;
        final long[] c = codes;
        final float[] t = terms;
        final int s = stride;
        for (int i = 0; i < count; i++) {
            int row = rowList[i];
            int p = row * s;
            int last = p + s - 1;
            for (int q = p; q < last; q += 8) {
                acc += (int) c[q];
            }
            acc += (int) c[last] + Float.floatToRawIntBits(t[3 * row]);
        }
        return acc;
    }

    /** Resident bytes: the rows' codes and terms, the mean and the rotation. */
    long ramBytes() {
        return 8L * codes.length + 4L * terms.length + 4L * norms.length + 4L * dimension + rotation.ramBytes();
    }
}
