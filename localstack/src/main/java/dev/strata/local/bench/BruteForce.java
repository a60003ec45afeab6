package dev.strata.local.bench;

import dev.strata.api.VectorRules;
import dev.strata.api.Metric;
import io.github.jbellis.jvector.vector.VectorUtil;
import io.github.jbellis.jvector.vector.VectorizationProvider;
import io.github.jbellis.jvector.vector.types.VectorFloat;
import io.github.jbellis.jvector.vector.types.VectorTypeSupport;

import java.util.function.IntPredicate;
import java.util.stream.IntStream;

/**
 * Exact k-NN by scanning every vector with jvector's SIMD {@link VectorUtil} (the Vector API / native kernels):
 * the brute-force line of the benchmark and the source of ground truth over subsets (filters, deletes).
 * Vectors are kept in heap (normalised under cosine). Thread-safe after construction.
 */
final class BruteForce {
    private static final VectorTypeSupport VTS = VectorizationProvider.getInstance().getVectorTypeSupport();
    private final VectorFloat<?>[] vectors;
    private final Metric metric;

    BruteForce(float[][] base, Metric metric) {
        this.metric = metric;
        this.vectors = new VectorFloat<?>[base.length];
        for (int i = 0; i < base.length; i++) {
            vectors[i] = VTS.createFloatVector(prepare(base[i]));
        }
    }

    private float[] prepare(float[] v) {
        return metric == Metric.COSINE ? VectorRules.normalised(v) : v.clone();
    }

    int size() {
        return vectors.length;
    }

    long ramBytesPerVector() {
        return 4L * vectors[0].length();
    }

    /** Row numbers of the k nearest rows that {@code accept} allows (every row when null), best first. */
    int[] topK(float[] query, int k, IntPredicate accept) {
        VectorFloat<?> q = VTS.createFloatVector(prepare(query));
        int[] rows = new int[k];
        float[] scores = new float[k];
        int size = 0;
        for (int i = 0; i < vectors.length; i++) {
            if (accept != null && !accept.test(i)) {
                continue;
            }
            float s = metric == Metric.L2 ? -VectorUtil.squareL2Distance(q, vectors[i])
                    : VectorUtil.dotProduct(q, vectors[i]);
            if (size < k || s > scores[size - 1]) {
                int p = size < k ? size++ : k - 1;
                while (p > 0 && scores[p - 1] < s) {
                    scores[p] = scores[p - 1];
                    rows[p] = rows[p - 1];
                    p--;
                }
                scores[p] = s;
                rows[p] = i;
            }
        }
        return java.util.Arrays.copyOf(rows, size);
    }

    /** Ground truth for every query, computed on all cores. */
    int[][] groundTruth(float[][] queries, int k, IntPredicate accept) {
        return IntStream.range(0, queries.length).parallel()
                .mapToObj(q -> topK(queries[q], k, accept)).toArray(int[][]::new);
    }
}
