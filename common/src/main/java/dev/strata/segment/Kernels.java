package dev.strata.segment;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Exact scores against vectors stored big-endian (jvector's on-disk order), read from a row's bytes with a
 * byte-swapping view (one load and swap per float) in eight independent sums.
 *
 * <p>Plain Java on purpose. A Vector API version scored a row in cache in 90 ns against about 240 ns here, but it
 * is only fast once C2 has compiled it: interpreted, a call took 225 µs, and a freshly started shard node paid that
 * on its first few thousand re-ranked rows (a chaos test's first searches timed out on every replica under CI
 * load). Its lane sum also needed care to round the same compiled and interpreted. Rows that come from memory cost
 * about the same either way, and a query re-ranks a few dozen rows.
 */
final class Kernels {
    private static final VarHandle FLOATS = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.BIG_ENDIAN);

    private Kernels() {
    }

    /** Inner product of {@code query} with the big-endian float32 vector in {@code bytes}. */
    static float dotBigEndian(byte[] bytes, float[] query) {
        int n = query.length;
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int i = 0;
        for (; i + 7 < n; i += 8) {
            int p = 4 * i;
            s0 += query[i] * (float) FLOATS.get(bytes, p);
            s1 += query[i + 1] * (float) FLOATS.get(bytes, p + 4);
            s2 += query[i + 2] * (float) FLOATS.get(bytes, p + 8);
            s3 += query[i + 3] * (float) FLOATS.get(bytes, p + 12);
            s4 += query[i + 4] * (float) FLOATS.get(bytes, p + 16);
            s5 += query[i + 5] * (float) FLOATS.get(bytes, p + 20);
            s6 += query[i + 6] * (float) FLOATS.get(bytes, p + 24);
            s7 += query[i + 7] * (float) FLOATS.get(bytes, p + 28);
        }
        for (; i < n; i++) {
            s0 += query[i] * (float) FLOATS.get(bytes, 4 * i);
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }

    /** Squared Euclidean distance between {@code query} and the big-endian float32 vector in {@code bytes}. */
    static float squareDistanceBigEndian(byte[] bytes, float[] query) {
        int n = query.length;
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            int p = 4 * i;
            float d0 = query[i] - (float) FLOATS.get(bytes, p);
            float d1 = query[i + 1] - (float) FLOATS.get(bytes, p + 4);
            float d2 = query[i + 2] - (float) FLOATS.get(bytes, p + 8);
            float d3 = query[i + 3] - (float) FLOATS.get(bytes, p + 12);
            s0 += d0 * d0;
            s1 += d1 * d1;
            s2 += d2 * d2;
            s3 += d3 * d3;
        }
        for (; i < n; i++) {
            float d = query[i] - (float) FLOATS.get(bytes, 4 * i);
            s0 += d * d;
        }
        return (s0 + s1) + (s2 + s3);
    }
}
