package dev.strata.shard;

import dev.strata.api.VectorRules;
import dev.strata.api.CollectionSpec;
import dev.strata.api.Metric;

import java.util.List;

/**
 * A collection's routing centroids and the nearness rule between a vector and them. For {@code cosine} and
 * {@code dot} the centroids are unit vectors and nearness is the inner product (the centroids were trained on
 * normalised vectors, so routing follows direction); for {@code l2} it is the smallest squared distance. Ties go
 * to the lower index. Immutable (holds private copies) and thread-safe.
 */
final class Centroids {

    private final float[][] vectors;
    private final Metric metric;

    private Centroids(float[][] vectors, Metric metric) {
        this.vectors = vectors;
        this.metric = metric;
    }

    static Centroids of(List<float[]> centroids, CollectionSpec spec, int expected) {
        if (centroids.size() != expected) {
            throw new IllegalArgumentException(spec.sharding().wireName() + " sharding of " + spec.shards()
                    + " shards needs " + expected + " centroids, got " + centroids.size());
        }
        float[][] copy = new float[expected][];
        for (int i = 0; i < expected; i++) {
            float[] c = centroids.get(i);
            if (c == null || c.length != spec.dimension()) {
                throw new IllegalArgumentException("centroid " + i + " has " + (c == null ? 0 : c.length)
                        + " values; the collection has dimension " + spec.dimension());
            }
            copy[i] = spec.metric() == Metric.L2 ? c.clone() : VectorRules.normalised(c);
        }
        return new Centroids(copy, spec.metric());
    }

    int count() {
        return vectors.length;
    }

    /** Index of the nearest centroid. */
    int nearest(float[] v) {
        int best = 0;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < vectors.length; i++) {
            double s = score(v, vectors[i]);
            if (s > bestScore) {
                bestScore = s;
                best = i;
            }
        }
        return best;
    }

    /** Indexes of the {@code n} nearest centroids, nearest first ({@code n} clamped to {@code [1, count]}). */
    int[] nearest(float[] v, int n) {
        int want = Math.max(1, Math.min(n, vectors.length));
        double[] scores = new double[vectors.length];
        for (int i = 0; i < vectors.length; i++) {
            scores[i] = score(v, vectors[i]);
        }
        int[] out = new int[want];
        boolean[] taken = new boolean[vectors.length];
        for (int r = 0; r < want; r++) {
            int best = -1;
            for (int i = 0; i < vectors.length; i++) {
                if (!taken[i] && (best < 0 || scores[i] > scores[best])) {
                    best = i;
                }
            }
            taken[best] = true;
            out[r] = best;
        }
        return out;
    }

    private double score(float[] v, float[] c) {
        if (v.length != c.length) {
            throw new IllegalArgumentException("vector has " + v.length + " values; centroids have " + c.length);
        }
        return metric == Metric.L2 ? -RoutingMath.squaredDistance(v, c) : RoutingMath.dot(v, c);
    }
}
