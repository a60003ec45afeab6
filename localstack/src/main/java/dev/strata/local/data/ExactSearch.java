package dev.strata.local.data;

import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Exact top-k by inner product (= cosine on unit vectors) over a list of vectors, and recall against it: the
 * reference the end-to-end tests and benchmark compare the whole system with. Stateless, thread-safe.
 */
public final class ExactSearch {
    private ExactSearch() {}

    /** Row numbers of the {@code k} largest inner products, best first (ties by lower row). */
    public static int[] topK(List<float[]> base, float[] query, int k) {
        PriorityQueue<double[]> heap = new PriorityQueue<>((a, b) -> a[0] != b[0]
                ? Double.compare(a[0], b[0]) : Double.compare(b[1], a[1]));
        for (int i = 0; i < base.size(); i++) {
            double s = dot(base.get(i), query);
            if (heap.size() < k) {
                heap.add(new double[]{s, i});
            } else if (s > heap.peek()[0]) {
                heap.poll();
                heap.add(new double[]{s, i});
            }
        }
        int[] out = new int[heap.size()];
        for (int i = out.length - 1; i >= 0; i--) {
            out[i] = (int) heap.poll()[1];
        }
        return out;
    }

    /** Fraction of {@code expected} found in {@code actual} (recall@|expected|). */
    public static double recall(Set<String> actual, List<String> expected) {
        if (expected.isEmpty()) {
            return 1.0;
        }
        return expected.stream().filter(actual::contains).count() / (double) expected.size();
    }

    public static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }
}
