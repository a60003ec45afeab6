package dev.strata.api;

/** Checks shared by every entry point that accepts a vector. */
public final class VectorRules {
    private VectorRules() {}

    /**
     * Throws {@link StrataException.InvalidRequest} if {@code vector} is null, has the wrong length, or holds
     * NaN or infinite values. {@code field} names the vector in the message (e.g. "vector", "documents[3].vector").
     */
    public static void validate(String field, float[] vector, int dimension, String collection) {
        if (vector == null) {
            throw new StrataException.InvalidRequest(field + " is required");
        }
        if (vector.length != dimension) {
            throw new StrataException.InvalidRequest(field + " has " + vector.length + " values; collection '"
                    + collection + "' has dimension " + dimension);
        }
        for (int i = 0; i < vector.length; i++) {
            if (!Float.isFinite(vector[i])) {
                throw new StrataException.InvalidRequest(field + "[" + i + "] is " + vector[i]
                        + "; values must be finite numbers");
            }
        }
    }

    /** Throws {@link StrataException.InvalidRequest} when k is outside 1..{@link Limits#MAX_K}. */
    public static void validateK(int k) {
        if (k < 1 || k > Limits.MAX_K) {
            throw new StrataException.InvalidRequest("k is " + k + "; it must be between 1 and " + Limits.MAX_K);
        }
    }

    /** A unit-length copy (what cosine similarity compares); a zero vector stays zero. */
    public static float[] normalised(float[] v) {
        double norm = 0;
        for (float x : v) {
            norm += (double) x * x;
        }
        norm = Math.sqrt(norm);
        float[] out = v.clone();
        if (norm > 0) {
            for (int i = 0; i < out.length; i++) {
                out[i] = (float) (out[i] / norm);
            }
        }
        return out;
    }
}
