package dev.strata.segment;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Kernels}' loops on the Java Vector API. Loaded only when {@code jdk.incubator.vector} is present
 * ({@link Kernels#VECTOR_API}); callers go through {@link Kernels}.
 */
final class VectorKernels {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Byte> B = VectorSpecies.of(byte.class, F.vectorShape());
    /** Reverses the bytes of every 4-byte lane: big-endian float32 to the machine's order. */
    private static final VectorShuffle<Byte> SWAP = VectorShuffle.fromOp(B, i -> (i & ~3) + 3 - (i & 3));

    private VectorKernels() {
    }

    /**
     * The lanes of {@code v} added in lane order. Not {@code reduceLanes(ADD)}: its order of additions is left to
     * the implementation, and the JIT's tree and the interpreter's loop round differently, so the same query could
     * score a row differently before and after compilation.
     */
    private static float sum(FloatVector v) {
        float s = 0;
        for (int i = 0; i < F.length(); i++) {
            s += v.lane(i);
        }
        return s;
    }

    private static FloatVector loadBigEndian(byte[] bytes, int i) {
        return ByteVector.fromArray(B, bytes, 4 * i).rearrange(SWAP).reinterpretAsFloats();
    }

    static float dotBigEndian(byte[] bytes, float[] query) {
        int n = query.length;
        int step = F.length();
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = FloatVector.zero(F);
        int i = 0;
        for (; i + 2 * step <= n; i += 2 * step) {
            a0 = FloatVector.fromArray(F, query, i).fma(loadBigEndian(bytes, i), a0);
            a1 = FloatVector.fromArray(F, query, i + step).fma(loadBigEndian(bytes, i + step), a1);
        }
        for (; i + step <= n; i += step) {
            a0 = FloatVector.fromArray(F, query, i).fma(loadBigEndian(bytes, i), a0);
        }
        float s = sum(a0.add(a1));
        for (; i < n; i++) {
            s += query[i] * Kernels.floatBigEndian(bytes, i);
        }
        return s;
    }

    static float squareDistanceBigEndian(byte[] bytes, float[] query) {
        int n = query.length;
        int step = F.length();
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = FloatVector.zero(F);
        int i = 0;
        for (; i + 2 * step <= n; i += 2 * step) {
            FloatVector d0 = FloatVector.fromArray(F, query, i).sub(loadBigEndian(bytes, i));
            FloatVector d1 = FloatVector.fromArray(F, query, i + step).sub(loadBigEndian(bytes, i + step));
            a0 = d0.fma(d0, a0);
            a1 = d1.fma(d1, a1);
        }
        for (; i + step <= n; i += step) {
            FloatVector d = FloatVector.fromArray(F, query, i).sub(loadBigEndian(bytes, i));
            a0 = d.fma(d, a0);
        }
        float s = sum(a0.add(a1));
        for (; i < n; i++) {
            float d = query[i] - Kernels.floatBigEndian(bytes, i);
            s += d * d;
        }
        return s;
    }
}
