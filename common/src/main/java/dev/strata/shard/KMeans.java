package dev.strata.shard;

import dev.strata.api.Metric;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Trains the routing centroids of {@code centroid} and {@code hybrid} collections: k-means++ seeding, then
 * Lloyd iterations until no point changes cluster or {@value #MAX_ITERATIONS} rounds have run.
 *
 * <p>For {@code cosine} and {@code dot} the sample is L2-normalised first and the centroids are renormalised after
 * every update (spherical k-means), so clusters follow direction and the returned centroids are unit vectors; for
 * {@code l2} it is plain Euclidean k-means. A cluster left empty is reseeded with the point farthest from its
 * centroid. At most {@value #MAX_POINTS_PER_CENTROID}·k points of the sample are used (a seeded random subset),
 * which bounds training time; cost is O(points · k · dimension · iterations).
 *
 * <p>Deterministic: the same sample (same order), k, metric and seed give bit-identical centroids on any JVM.
 * Stateless and thread-safe.
 */
public final class KMeans {

    /** Most Lloyd rounds. */
    public static final int MAX_ITERATIONS = 20;
    /** Sample points used per centroid at most. */
    public static final int MAX_POINTS_PER_CENTROID = 256;

    private KMeans() {}

    /**
     * Trains {@code k} centroids on {@code sample}.
     *
     * @throws IllegalArgumentException when k &lt; 1, the sample has fewer than k vectors, or the vectors differ
     *                                  in dimension or hold NaN/infinite values
     */
    public static List<float[]> train(List<float[]> sample, int k, Metric metric, long seed) {
        if (k < 1) {
            throw new IllegalArgumentException("k is " + k + "; it must be at least 1");
        }
        if (sample.size() < k) {
            throw new IllegalArgumentException("k-means with k = " + k + " needs at least " + k
                    + " sample vectors, got " + sample.size());
        }
        SplittableRandom random = new SplittableRandom(seed);
        float[][] points = prepare(sample, k, metric, random);
        boolean spherical = metric != Metric.L2;
        float[][] centres = seed(points, k, random);
        int[] assignment = new int[points.length];
        Arrays.fill(assignment, -1);
        for (int round = 0; round < MAX_ITERATIONS; round++) {
            boolean changed = assign(points, centres, assignment);
            if (!changed && round > 0) {
                break;
            }
            update(points, centres, assignment, spherical);
        }
        List<float[]> out = new ArrayList<>(k);
        for (float[] c : centres) {
            out.add(c.clone());
        }
        return List.copyOf(out);
    }

    private static float[][] prepare(List<float[]> sample, int k, Metric metric, SplittableRandom random) {
        int dimension = sample.get(0).length;
        int[] order = new int[sample.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        int use = (int) Math.min(order.length, (long) MAX_POINTS_PER_CENTROID * k);
        if (use < order.length) {
            for (int i = 0; i < use; i++) { // partial Fisher-Yates: a seeded subset
                int j = i + random.nextInt(order.length - i);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            Arrays.sort(order, 0, use);
        }
        float[][] points = new float[use][];
        for (int i = 0; i < use; i++) {
            float[] v = sample.get(order[i]);
            if (v.length != dimension) {
                throw new IllegalArgumentException("sample vector " + order[i] + " has " + v.length
                        + " values; the first has " + dimension);
            }
            for (float x : v) {
                if (!Float.isFinite(x)) {
                    throw new IllegalArgumentException("sample vector " + order[i] + " holds " + x);
                }
            }
            points[i] = metric == Metric.L2 ? v : RoutingMath.normalised(v);
        }
        return points;
    }

    /** k-means++: the first centre uniformly, each next one with probability proportional to D². */
    private static float[][] seed(float[][] points, int k, SplittableRandom random) {
        float[][] centres = new float[k][];
        centres[0] = points[random.nextInt(points.length)].clone();
        double[] d2 = new double[points.length];
        for (int i = 0; i < points.length; i++) {
            d2[i] = RoutingMath.squaredDistance(points[i], centres[0]);
        }
        for (int c = 1; c < k; c++) {
            double total = 0;
            for (double d : d2) {
                total += d;
            }
            int pick;
            if (total <= 0) { // every point sits on a centre: duplicates; take any
                pick = random.nextInt(points.length);
            } else {
                double target = random.nextDouble() * total;
                pick = points.length - 1;
                double acc = 0;
                for (int i = 0; i < points.length; i++) {
                    acc += d2[i];
                    if (acc > target) {
                        pick = i;
                        break;
                    }
                }
            }
            centres[c] = points[pick].clone();
            for (int i = 0; i < points.length; i++) {
                d2[i] = Math.min(d2[i], RoutingMath.squaredDistance(points[i], centres[c]));
            }
        }
        return centres;
    }

    /** Assigns each point its nearest centre (squared distance; lower index on ties); true when any changed. */
    private static boolean assign(float[][] points, float[][] centres, int[] assignment) {
        boolean changed = false;
        for (int i = 0; i < points.length; i++) {
            int best = 0;
            double bestD = Double.POSITIVE_INFINITY;
            for (int c = 0; c < centres.length; c++) {
                double d = RoutingMath.squaredDistance(points[i], centres[c]);
                if (d < bestD) {
                    bestD = d;
                    best = c;
                }
            }
            if (assignment[i] != best) {
                assignment[i] = best;
                changed = true;
            }
        }
        return changed;
    }

    private static void update(float[][] points, float[][] centres, int[] assignment, boolean spherical) {
        int k = centres.length;
        int dimension = points[0].length;
        double[][] sums = new double[k][dimension];
        int[] counts = new int[k];
        for (int i = 0; i < points.length; i++) {
            int c = assignment[i];
            counts[c]++;
            double[] sum = sums[c];
            float[] p = points[i];
            for (int d = 0; d < dimension; d++) {
                sum[d] += p[d];
            }
        }
        boolean[] reseeded = new boolean[points.length];
        for (int c = 0; c < k; c++) {
            if (counts[c] == 0) {
                int far = farthestPoint(points, centres, assignment, reseeded);
                reseeded[far] = true;
                centres[c] = points[far].clone();
                continue;
            }
            float[] centre = new float[dimension];
            for (int d = 0; d < dimension; d++) {
                centre[d] = (float) (sums[c][d] / counts[c]);
            }
            centres[c] = spherical ? RoutingMath.normalised(centre) : centre;
        }
    }

    private static int farthestPoint(float[][] points, float[][] centres, int[] assignment, boolean[] skip) {
        int far = 0;
        double farD = -1;
        for (int i = 0; i < points.length; i++) {
            if (skip[i]) {
                continue;
            }
            double d = RoutingMath.squaredDistance(points[i], centres[assignment[i]]);
            if (d > farD) {
                farD = d;
                far = i;
            }
        }
        return far;
    }
}
