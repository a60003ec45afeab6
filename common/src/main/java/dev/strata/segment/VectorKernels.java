package dev.strata.segment;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Kernels}' loops on the Java Vector API. Loaded only when {@code jdk.incubator.vector} is present
 * ({@link Kernels#VECTOR_API}).
 *
 * <p>Lanes are summed in a fixed tree (fold the upper half onto the lower, repeat) and read back through a
 * scratch array, not with {@code reduceLanes(ADD)}: its order of additions is left to the implementation, and the
 * JIT's and the interpreter's round differently, so a row's score changed once the kernel was compiled
 * ({@code KernelsTest} catches that).
 */
final class VectorKernels {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Byte> B = VectorSpecies.of(byte.class, F.vectorShape());
    /** Reverses the bytes of every 4-byte lane: big-endian float32 to the machine's order. */
    private static final VectorShuffle<Byte> SWAP = VectorShuffle.fromOp(B, i -> (i & ~3) + 3 - (i & 3));

    /** Per halving step, the shuffle that brings lane {@code i + half} to lane {@code i}. */
    @SuppressWarnings("unchecked")
    private static final VectorShuffle<Float>[] FOLDS = java.util.stream.IntStream
            .iterate(F.length() / 2, h -> h >= 1, h -> h / 2)
            .mapToObj(h -> VectorShuffle.fromOp(F, i -> (i + h) % F.length()))
            .toArray(VectorShuffle[]::new);

    /** Lanes of the float vectors used here: the size of the {@code lanes} scratch the kernels take. */
    static final int LANES = F.length();

    private VectorKernels() {
    }

    /** The lanes of {@code v} added in a fixed tree (see the class comment), read back through {@code lanes}. */
    private static float sum(FloatVector v, float[] lanes) {
        for (VectorShuffle<Float> fold : FOLDS) {
            v = v.add(v.rearrange(fold));
        }
        v.intoArray(lanes, 0);
        return lanes[0];
    }

    private static FloatVector loadBigEndian(byte[] bytes, int i) {
        return ByteVector.fromArray(B, bytes, 4 * i).rearrange(SWAP).reinterpretAsFloats();
    }

    static float dotBigEndian(byte[] bytes, float[] query, float[] lanes) {
        int n = query.length;
        int step = F.length();
        if (n < step) {
            return Kernels.dotBigEndianScalar(bytes, query);
        }
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
        float tail = 0;
        for (int j = i; j < n; j++) {
            tail += query[j] * Kernels.floatBigEndian(bytes, j);
        }
        return sum(a0.add(a1), lanes) + tail;
    }

    static float squareDistanceBigEndian(byte[] bytes, float[] query, float[] lanes) {
        int n = query.length;
        int step = F.length();
        if (n < step) {
            return Kernels.squareDistanceBigEndianScalar(bytes, query);
        }
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
        float tail = 0;
        for (int j = i; j < n; j++) {
            float d = query[j] - Kernels.floatBigEndian(bytes, j);
            tail += d * d;
        }
        return sum(a0.add(a1), lanes) + tail;
    }
}
