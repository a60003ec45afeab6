package dev.strata.shard;

import dev.strata.api.CollectionSpec;
import dev.strata.api.Metric;
import dev.strata.api.Sharding;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CentroidShardingTest {

    static ShardingFunction train(List<float[]> base, int dimension, int shards, Sharding sharding, int everyNth) {
        CollectionSpec spec = new CollectionSpec(dimension, Metric.COSINE, shards, 1, sharding, null, null, 0);
        List<float[]> sample = new ArrayList<>();
        for (int i = 0; i < base.size(); i += everyNth) {
            sample.add(base.get(i));
        }
        return ShardingFunction.of(spec, KMeans.train(sample, ShardingFunction.centroidCount(spec), Metric.COSINE, 17));
    }

    /** Fraction of the queries' true top-k neighbours that live in the shards the query probes. */
    static double neighbourCoverage(ShardingFunction f, List<float[]> base, List<float[]> queries,
                                    List<int[]> truth, int k, int nprobe) {
        int[] shardOfRow = new int[base.size()];
        for (int i = 0; i < base.size(); i++) {
            shardOfRow[i] = f.shardOf("row-" + i, base.get(i));
        }
        long found = 0;
        long total = 0;
        for (int q = 0; q < queries.size(); q++) {
            int[] probed = f.shardsFor(queries.get(q), nprobe);
            for (int j = 0; j < k; j++) {
                int shard = shardOfRow[truth.get(q)[j]];
                total++;
                if (Arrays.stream(probed).anyMatch(s -> s == shard)) {
                    found++;
                }
            }
        }
        return found / (double) total;
    }

    @Test
    void queriesFindTheirTrueNeighboursInTheProbedShards() {
        // GIVEN 20k clustered vectors over 8 centroid shards, and 200 queries from the same distribution
        // (noise of 0.15 per coordinate: a norm of about 0.85 around unit centres, so clusters overlap a little)
        List<float[]> generated = RoutingTestData.clustered(20_200, 32, 24, 0.15, 11);
        List<float[]> base = generated.subList(0, 20_000);
        List<float[]> queries = generated.subList(20_000, 20_200);
        List<int[]> truth = new ArrayList<>();
        for (float[] q : queries) {
            truth.add(RoutingTestData.exactTopK(base, q, 10));
        }
        ShardingFunction f = train(base, 32, 8, Sharding.CENTROID, 10);
        // WHEN each query probes its nearest shards
        double one = neighbourCoverage(f, base, queries, truth, 10, 1);
        double two = neighbourCoverage(f, base, queries, truth, 10, 2);
        double all = neighbourCoverage(f, base, queries, truth, 10, 8);
        // THEN most true neighbours are in the nearest shard, nearly all within two, all when probing every shard
        System.out.printf("synthetic centroid coverage@10: nprobe1=%.3f nprobe2=%.3f nprobe8=%.3f%n", one, two, all);
        assertThat(one).isGreaterThan(0.8);
        assertThat(two).isGreaterThan(0.95);
        assertThat(two).isGreaterThanOrEqualTo(one);
        assertThat(all).isEqualTo(1.0);
    }

    @Test
    void realCorpusNeighboursAreMostlyInTheProbedShards() throws IOException {
        Path dir = RoutingTestData.dataDir();
        Assumptions.assumeTrue(Files.exists(dir.resolve("base.fvecs")),
                "skipped: no corpus at " + dir + " (set STRATA_DATA_DIR to a texmex directory to run it)");
        // GIVEN the real corpus, 8 centroid shards trained on every 10th vector, and 300 queries with truth
        List<float[]> base = RoutingTestData.readFvecs(dir.resolve("base.fvecs"), Integer.MAX_VALUE);
        List<float[]> queries = RoutingTestData.readFvecs(dir.resolve("query.fvecs"), 300);
        List<int[]> truth = RoutingTestData.readIvecs(dir.resolve("groundtruth.ivecs"), 300);
        ShardingFunction f = train(base, base.get(0).length, 8, Sharding.CENTROID, 10);
        // WHEN queries probe 1, 2, 4 of the 8 shards
        double one = neighbourCoverage(f, base, queries, truth, 10, 1);
        double two = neighbourCoverage(f, base, queries, truth, 10, 2);
        double four = neighbourCoverage(f, base, queries, truth, 10, 4);
        System.out.printf("techdocs centroid coverage@10 (8 shards): nprobe1=%.3f nprobe2=%.3f nprobe4=%.3f%n",
                one, two, four);
        // THEN coverage grows with nprobe and half the shards hold nearly all true neighbours
        assertThat(one).isGreaterThan(0.5);
        assertThat(two).isGreaterThan(one);
        assertThat(four).isGreaterThan(0.85);
    }

    @Test
    void aDocumentsShardIsTheNearestProbeOfItsOwnVector() {
        List<float[]> base = RoutingTestData.clustered(3000, 16, 6, 0.4, 5);
        ShardingFunction f = train(base, 16, 6, Sharding.CENTROID, 3);
        for (int i = 0; i < base.size(); i++) {
            assertThat(f.shardsFor(base.get(i), 1)).containsExactly(f.shardOf("any", base.get(i)));
        }
    }

    @Test
    void probesAreDistinctNearestFirstAndClamped() {
        // GIVEN four axis-aligned centroids
        CollectionSpec spec = new CollectionSpec(2, Metric.L2, 4, 1, Sharding.CENTROID, null, null, 0);
        ShardingFunction f = ShardingFunction.of(spec, List.of(new float[] {0, 0}, new float[] {10, 0},
                new float[] {0, 10}, new float[] {10, 10}));
        // WHEN a query near (9, 1) probes
        float[] q = {9, 1};
        // THEN the shards come nearest first, and nprobe is clamped to [1, 4]
        assertThat(f.shardOf("x", q)).isEqualTo(1);
        assertThat(f.shardsFor(q, 2)).containsExactly(1, 0);
        assertThat(f.shardsFor(q, 0)).containsExactly(1);
        assertThat(f.shardsFor(q, 99)).containsExactly(1, 0, 3, 2);
        assertThat(f.shardsForDelete("x")).containsExactly(0, 1, 2, 3);
        assertThat(f.kind()).isEqualTo(Sharding.CENTROID);
    }
}
