package dev.strata.local.bench;

import dev.strata.api.Metric;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A texmex corpus: {@code base.fvecs}, {@code query.fvecs} and, when present, {@code groundtruth.ivecs}
 * (int32 little-endian count then that many row numbers, best first). Vectors are kept as read; under cosine the
 * benchmark normalises copies where a system needs it.
 */
public record BenchData(Path dir, float[][] base, float[][] queries, int[][] groundTruth, Metric metric) {

    public static BenchData load(BenchOptions options) throws IOException {
        Path dir = options.requireData();
        float[][] base = readFvecs(dir.resolve("base.fvecs"));
        float[][] queries = readFvecs(dir.resolve("query.fvecs"));
        if (queries.length > options.queries()) {
            queries = java.util.Arrays.copyOf(queries, options.queries());
        }
        if (base.length == 0 || queries.length == 0) {
            throw new IllegalArgumentException("--data " + dir + " has " + base.length + " base and "
                    + queries.length + " query vectors; both must be non-empty");
        }
        if (base[0].length != queries[0].length) {
            throw new IllegalArgumentException("base vectors have dimension " + base[0].length
                    + " but queries have " + queries[0].length);
        }
        Path gt = dir.resolve("groundtruth.ivecs");
        int[][] truth = Files.isRegularFile(gt) ? readIvecs(gt, queries.length) : null;
        return new BenchData(dir, base, queries, truth, Metric.parse(options.metric()));
    }

    public int dimension() {
        return base[0].length;
    }

    static float[][] readFvecs(Path file) throws IOException {
        ByteBuffer b = map(file);
        int dim = b.getInt(0);
        int record = 4 + 4 * dim;
        if (dim <= 0 || b.capacity() % record != 0) {
            throw new IllegalArgumentException(file + " is not an fvecs file of dimension " + dim);
        }
        int n = b.capacity() / record;
        float[][] out = new float[n][dim];
        for (int i = 0; i < n; i++) {
            int d = b.getInt(i * record);
            if (d != dim) {
                throw new IllegalArgumentException(file + ": vector " + i + " has dimension " + d + "; expected " + dim);
            }
            b.slice(i * record + 4, 4 * dim).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out[i]);
        }
        return out;
    }

    static int[][] readIvecs(Path file, int limit) throws IOException {
        ByteBuffer b = map(file);
        int[][] out = new int[limit][];
        int pos = 0;
        for (int i = 0; i < limit && pos < b.capacity(); i++) {
            int n = b.getInt(pos);
            out[i] = new int[n];
            b.slice(pos + 4, 4 * n).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(out[i]);
            pos += 4 + 4 * n;
        }
        return out;
    }

    private static ByteBuffer map(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size()).order(ByteOrder.LITTLE_ENDIAN);
        }
    }

    /** Mean recall@k of {@code found} against the first k of {@code truth}, per query. */
    public static double recall(int[][] truth, int[][] found, int k) {
        double sum = 0;
        for (int q = 0; q < found.length; q++) {
            int kk = Math.min(k, truth[q].length);
            if (kk == 0) {
                sum += 1;
                continue;
            }
            int hit = 0;
            for (int i = 0; i < kk; i++) {
                for (int f : found[q]) {
                    if (f == truth[q][i]) {
                        hit++;
                        break;
                    }
                }
            }
            sum += (double) hit / kk;
        }
        return sum / found.length;
    }
}
