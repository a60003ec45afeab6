package dev.strata.shard;

import dev.strata.api.VectorRules;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Synthetic clustered vectors, exact nearest neighbours, and the texmex reader for the real corpus. */
final class RoutingTestData {

    private RoutingTestData() {}

    /** {@code n} vectors around {@code clusters} random unit centres, with Gaussian noise of {@code spread}. */
    static List<float[]> clustered(int n, int dimension, int clusters, double spread, long seed) {
        Random random = new Random(seed);
        float[][] centres = new float[clusters][];
        for (int c = 0; c < clusters; c++) {
            centres[c] = VectorRules.normalised(gaussian(dimension, 1.0, random));
        }
        List<float[]> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            float[] v = gaussian(dimension, spread, random);
            float[] c = centres[random.nextInt(clusters)];
            for (int d = 0; d < dimension; d++) {
                v[d] += c[d];
            }
            out.add(VectorRules.normalised(v));
        }
        return out;
    }

    static float[] gaussian(int dimension, double sigma, Random random) {
        float[] v = new float[dimension];
        for (int d = 0; d < dimension; d++) {
            v[d] = (float) (random.nextGaussian() * sigma);
        }
        return v;
    }

    /** Indexes of the {@code k} base vectors with the largest inner product with {@code q}. */
    static int[] exactTopK(List<float[]> base, float[] q, int k) {
        int[] best = new int[k];
        double[] scores = new double[k];
        java.util.Arrays.fill(scores, Double.NEGATIVE_INFINITY);
        for (int i = 0; i < base.size(); i++) {
            double s = RoutingMath.dot(base.get(i), q);
            if (s > scores[k - 1]) {
                int j = k - 1;
                while (j > 0 && scores[j - 1] < s) {
                    scores[j] = scores[j - 1];
                    best[j] = best[j - 1];
                    j--;
                }
                scores[j] = s;
                best[j] = i;
            }
        }
        return best;
    }

    /** The corpus directory: {@code $STRATA_DATA_DIR}, else {@code <repo root>/../shared/data/techdocs-dev}. */
    static Path dataDir() {
        String env = System.getenv("STRATA_DATA_DIR");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("mvnw"))) {
            dir = dir.getParent();
        }
        Path root = dir == null ? Path.of("").toAbsolutePath() : dir;
        return root.resolve("../shared/data/techdocs-dev").normalize();
    }

    /** Reads up to {@code limit} vectors of a texmex {@code .fvecs} file. */
    static List<float[]> readFvecs(Path file, int limit) throws IOException {
        try (FileChannel ch = FileChannel.open(file)) {
            ByteBuffer buf = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size()).order(ByteOrder.LITTLE_ENDIAN);
            List<float[]> out = new ArrayList<>();
            while (buf.remaining() >= 4 && out.size() < limit) {
                int dimension = buf.getInt();
                float[] v = new float[dimension];
                buf.asFloatBuffer().get(v);
                buf.position(buf.position() + 4 * dimension);
                out.add(v);
            }
            return out;
        }
    }

    /** Reads up to {@code limit} rows of a texmex {@code .ivecs} file. */
    static List<int[]> readIvecs(Path file, int limit) throws IOException {
        try (FileChannel ch = FileChannel.open(file)) {
            ByteBuffer buf = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size()).order(ByteOrder.LITTLE_ENDIAN);
            List<int[]> out = new ArrayList<>();
            while (buf.remaining() >= 4 && out.size() < limit) {
                int n = buf.getInt();
                int[] v = new int[n];
                buf.asIntBuffer().get(v);
                buf.position(buf.position() + 4 * n);
                out.add(v);
            }
            return out;
        }
    }
}
