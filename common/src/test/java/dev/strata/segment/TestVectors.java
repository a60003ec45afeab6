package dev.strata.segment;

import dev.strata.api.CollectionSpec;
import dev.strata.api.Document;
import dev.strata.api.IndexParams;
import dev.strata.api.Metric;
import dev.strata.api.Sharding;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntPredicate;

/** Vectors, documents and exact search for segment and shard tests. */
public final class TestVectors {
    private TestVectors() {}

    public static CollectionSpec spec(int dimension, Metric metric) {
        return spec(dimension, metric, 0);
    }

    /** As {@link #spec(int, Metric)} with the graph walk's codes: 0 = two-bit scalar codes, N = PQ subspaces. */
    public static CollectionSpec spec(int dimension, Metric metric, int pqSubspaces) {
        return new CollectionSpec(dimension, metric, 1, 1, Sharding.HASH, null,
                new IndexParams(16, 64, pqSubspaces, 64), 0).withDefaults().validate();
    }

    /** Clustered Gaussian vectors: realistic neighbourhoods, deterministic for a seed. */
    public static float[][] clustered(int n, int dimension, int clusters, long seed) {
        Random rnd = new Random(seed);
        float[][] centres = new float[clusters][dimension];
        for (float[] c : centres) {
            for (int j = 0; j < dimension; j++) {
                c[j] = (float) rnd.nextGaussian();
            }
        }
        float[][] out = new float[n][dimension];
        for (int i = 0; i < n; i++) {
            float[] c = centres[rnd.nextInt(clusters)];
            for (int j = 0; j < dimension; j++) {
                out[i][j] = c[j] + 0.6f * (float) rnd.nextGaussian();
            }
        }
        return out;
    }

    public static List<Document> documents(float[][] vectors, String prefix) {
        List<Document> docs = new ArrayList<>(vectors.length);
        for (int i = 0; i < vectors.length; i++) {
            docs.add(new Document(prefix + i, vectors[i], "text of " + prefix + i,
                    Map.of("bucket", (double) (i % 1000), "parity", i % 2 == 0 ? "even" : "odd")));
        }
        return docs;
    }

    public static float similarity(Metric metric, float[] a, float[] b) {
        double dot = 0, na = 0, nb = 0, d2 = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
            double d = a[i] - b[i];
            d2 += d * d;
        }
        return switch (metric) {
            case COSINE -> (float) (dot / Math.sqrt(na * nb));
            case DOT -> (float) dot;
            case L2 -> (float) (1 / (1 + d2));
        };
    }

    /** Indexes of the k most similar vectors among those {@code accept} allows, best first. */
    public static int[] exactTopK(Metric metric, float[][] base, float[] query, int k, IntPredicate accept) {
        Integer[] idx = new Integer[base.length];
        float[] score = new float[base.length];
        int m = 0;
        for (int i = 0; i < base.length; i++) {
            if (accept.test(i)) {
                idx[m++] = i;
                score[i] = similarity(metric, query, base[i]);
            }
        }
        Integer[] sorted = Arrays.copyOf(idx, m);
        Arrays.sort(sorted, (x, y) -> Float.compare(score[y], score[x]));
        int out = Math.min(k, m);
        int[] top = new int[out];
        for (int i = 0; i < out; i++) {
            top[i] = sorted[i];
        }
        return top;
    }

    /** The shared real-data directory, or null when it is not on this machine. */
    public static Path realData() {
        String env = System.getenv("STRATA_DATA_DIR");
        List<Path> candidates = new ArrayList<>();
        if (env != null && !env.isBlank()) {
            candidates.add(Path.of(env));
        }
        Path dir = Path.of("").toAbsolutePath();
        for (int i = 0; i < 4 && dir != null; i++, dir = dir.getParent()) {
            candidates.add(dir.resolve("../shared/data/techdocs-dev").normalize());
        }
        for (Path p : candidates) {
            if (Files.isRegularFile(p.resolve("base.fvecs")) && Files.isRegularFile(p.resolve("query.fvecs"))) {
                return p;
            }
        }
        return null;
    }

    /** Reads up to {@code limit} vectors of a texmex .fvecs file. */
    public static float[][] readFvecs(Path file, int limit) throws IOException {
        List<float[]> out = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = new byte[4];
            while (out.size() < limit && in.readNBytes(head, 0, 4) == 4) {
                int dim = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN).getInt();
                byte[] body = in.readNBytes(4 * dim);
                float[] v = new float[dim];
                ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
                out.add(v);
            }
        }
        return out.toArray(new float[0][]);
    }

    /** Fraction of {@code truth} found in {@code found}. */
    public static double recall(int[] truth, List<Integer> found) {
        int hit = 0;
        for (int t : truth) {
            if (found.contains(t)) {
                hit++;
            }
        }
        return truth.length == 0 ? 1.0 : (double) hit / truth.length;
    }
}
