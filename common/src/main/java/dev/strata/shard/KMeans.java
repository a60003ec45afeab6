package dev.strata.shard;

import dev.strata.api.VectorRules;
import dev.strata.api.Metric;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Trains the routing centroids of {@code centroid} and {@code hybrid} collections: greedy k-means++ seeding, then
 * Lloyd iterations until fewer than one point in a thousand changes cluster, or {@value #MAX_ITERATIONS} rounds
 * have run.
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
    public static final int MAX_ITERATIONS = 15;
    /** Sample points used per centroid at most (FAISS warns below 39; more buys little for routing). */
    public static final int MAX_POINTS_PER_CENTROID = 128;

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
            int changed = assign(points, centres, assignment);
            if (round > 0 && changed <= points.length / 1000) {
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
            points[i] = metric == Metric.L2 ? v : VectorRules.normalised(v);
        }
        return points;
    }

    /**
     * Greedy k-means++ (as in scikit-learn): the first centre uniformly; for each next one, draw
     * {@code 2 + ln k} candidates with probability proportional to D² and keep the one that lowers the total D²
     * most. The greedy step rarely leaves two centres in one true cluster, which plain k-means++ often does.
     */
    private static float[][] seed(float[][] points, int k, SplittableRandom random) {
        float[][] centres = new float[k][];
        centres[0] = points[random.nextInt(points.length)].clone();
        double[] d2 = new double[points.length];
        for (int i = 0; i < points.length; i++) {
            d2[i] = RoutingMath.squaredDistance(points[i], centres[0]);
        }
        int trials = 2 + (int) Math.log(k);
        double[] candidateD2 = new double[points.length];
        double[] bestD2 = new double[points.length];
        for (int c = 1; c < k; c++) {
            double total = 0;
            for (double d : d2) {
                total += d;
            }
            int best = -1;
            double bestPotential = Double.POSITIVE_INFINITY;
            for (int t = 0; t < trials; t++) {
                int pick = total <= 0 ? random.nextInt(points.length) : sample(d2, random.nextDouble() * total);
                double potential = 0;
                for (int i = 0; i < points.length; i++) {
                    candidateD2[i] = Math.min(d2[i], RoutingMath.squaredDistance(points[i], points[pick]));
                    potential += candidateD2[i];
                }
                if (potential < bestPotential) {
                    bestPotential = potential;
                    best = pick;
                    System.arraycopy(candidateD2, 0, bestD2, 0, points.length);
                }
            }
            centres[c] = points[best].clone();
            System.arraycopy(bestD2, 0, d2, 0, points.length);
        }
        return centres;
    }

    /** The index where the running sum of {@code weights} first exceeds {@code target}. */
    private static int sample(double[] weights, double target) {
        double acc = 0;
        for (int i = 0; i < weights.length; i++) {
            acc += weights[i];
            if (acc > target) {
                return i;
            }
        }
        return weights.length - 1;
    }

    /** Assigns each point its nearest centre (squared distance; lower index on ties); returns how many moved. */
    private static int assign(float[][] points, float[][] centres, int[] assignment) {
        int changed = 0;
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
                changed++;
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
            centres[c] = spherical ? VectorRules.normalised(centre) : centre;
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
