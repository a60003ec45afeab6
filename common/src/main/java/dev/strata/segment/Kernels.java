package dev.strata.segment;

/**
 * The inner loops of search without the Java Vector API, and whether it is there: callers use
 * {@link VectorKernels} when the JVM was started with {@code --add-modules jdk.incubator.vector} (every Strata
 * launcher does), else these plain loops, which give the same results up to rounding. {@link VectorKernels} is
 * only loaded when the module is there.
 */
final class Kernels {
    /** Whether the Vector API module is present in this JVM. */
    static final boolean VECTOR_API = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    private Kernels() {
    }

    /** Floats of scratch that {@link VectorKernels#dotBigEndian} and its siblings need. */
    static int lanes() {
        return VECTOR_API ? VectorKernels.LANES : 1;
    }

    /** Inner product of {@code query} with the big-endian float32 vector in {@code bytes}, without the Vector API. */
    static float dotBigEndianScalar(byte[] bytes, float[] query) {
        float s = 0;
        for (int i = 0; i < query.length; i++) {
            s += query[i] * floatBigEndian(bytes, i);
        }
        return s;
    }

    /** As {@link #dotBigEndianScalar}, the squared Euclidean distance. */
    static float squareDistanceBigEndianScalar(byte[] bytes, float[] query) {
        float s = 0;
        for (int i = 0; i < query.length; i++) {
            float d = query[i] - floatBigEndian(bytes, i);
            s += d * d;
        }
        return s;
    }

    static float floatBigEndian(byte[] b, int i) {
        int p = 4 * i;
        return Float.intBitsToFloat((b[p] << 24) | ((b[p + 1] & 0xff) << 16) | ((b[p + 2] & 0xff) << 8)
                | (b[p + 3] & 0xff));
    }
}
