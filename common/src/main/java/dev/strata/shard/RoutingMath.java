package dev.strata.shard;

/** The few float-vector operations routing and k-means need (named apart from the segment engine's own). Stateless. */
final class RoutingMath {

    private RoutingMath() {}

    static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    static double squaredDistance(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            s += d * d;
        }
        return s;
    }

    /** A unit-length copy; a zero vector stays zero. */
    static float[] normalised(float[] v) {
        double norm = Math.sqrt(dot(v, v));
        float[] out = v.clone();
        if (norm > 0) {
            for (int i = 0; i < out.length; i++) {
                out[i] = (float) (out[i] / norm);
            }
        }
        return out;
    }
}
