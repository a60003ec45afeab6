package dev.strata.segment;

/**
 * The inner loops of search, with the Java Vector API ({@link VectorKernels}) when the JVM was started with
 * {@code --add-modules jdk.incubator.vector} (every Strata launcher does), else plain loops giving the same
 * results. {@link VectorKernels} is only loaded when the module is there.
 */
final class Kernels {
    /** Whether the Vector API module is present in this JVM. */
    static final boolean VECTOR_API = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    private Kernels() {
    }

    /** Inner product of {@code query} with the big-endian float32 vector in {@code bytes}. */
    static float dotBigEndian(byte[] bytes, float[] query) {
        if (VECTOR_API) {
            return VectorKernels.dotBigEndian(bytes, query);
        }
        float s = 0;
        for (int i = 0; i < query.length; i++) {
            s += query[i] * floatBigEndian(bytes, i);
        }
        return s;
    }

    /** Squared Euclidean distance between {@code query} and the big-endian float32 vector in {@code bytes}. */
    static float squareDistanceBigEndian(byte[] bytes, float[] query) {
        if (VECTOR_API) {
            return VectorKernels.squareDistanceBigEndian(bytes, query);
        }
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
