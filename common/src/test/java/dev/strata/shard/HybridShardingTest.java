package dev.strata.shard;

import dev.strata.api.CollectionSpec;
import dev.strata.api.Metric;
import dev.strata.api.Sharding;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class HybridShardingTest {

    private static CollectionSpec spec(int shards) {
        return new CollectionSpec(2, Metric.COSINE, shards, 1, Sharding.HYBRID, null, null, 0);
    }

    /** Unit centroids spread around the circle, one per group. */
    private static List<float[]> circle(int n) {
        List<float[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double a = 2 * Math.PI * i / n;
            out.add(new float[] {(float) Math.cos(a), (float) Math.sin(a)});
        }
        return out;
    }

    @Test
    void groupRuleIsOneGroupPerFourShards() {
        assertThat(HybridSharding.groupCount(1)).isEqualTo(1);
        assertThat(HybridSharding.groupCount(7)).isEqualTo(1);
        assertThat(HybridSharding.groupCount(8)).isEqualTo(2);
        assertThat(HybridSharding.groupCount(11)).isEqualTo(2);
        assertThat(HybridSharding.groupCount(16)).isEqualTo(4);
        assertThat(HybridSharding.groupCount(256)).isEqualTo(64);
        assertThat(ShardingFunction.centroidCount(spec(16))).isEqualTo(4);
    }

    @Test
    void queryProbesEveryShardOfItsNearestGroups() {
        // GIVEN 16 shards in 4 groups; group g = {g, g+4, g+8, g+12}; centroid g at angle g·90°
        ShardingFunction f = ShardingFunction.of(spec(16), circle(4));
        // WHEN a query near centroid 1 (0, 1), slightly towards centroid 0, probes one and two groups
        float[] q = {0.2f, 1f};
        // THEN it visits the shards of group 1, then group 0
        assertThat(f.shardsFor(q, 1)).containsExactly(1, 5, 9, 13);
        assertThat(f.shardsFor(q, 2)).containsExactly(1, 5, 9, 13, 0, 4, 8, 12);
    }

    @Test
    void hotRegionIsSpreadOverItsGroupsShards() {
        // GIVEN 10k documents all near one centroid (a hot region)
        ShardingFunction f = ShardingFunction.of(spec(16), circle(4));
        int[] counts = new int[16];
        Random random = new Random(3);
        for (int i = 0; i < 10_000; i++) {
            float[] v = {1f, (float) (random.nextGaussian() * 0.1)};
            int shard = f.shardOf("doc-" + i, v);
            counts[shard]++;
            // THEN each lands in a shard that a query for its own vector probes
            assertThat(f.shardsFor(v, 1)).contains(shard);
        }
        // AND the four shards of group 0 share them evenly; no other shard gets any
        for (int s = 0; s < 16; s++) {
            if (s % 4 == 0) {
                assertThat(counts[s]).isBetween(2250, 2750);
            } else {
                assertThat(counts[s]).isZero();
            }
        }
    }

    @Test
    void unevenGroupsStillCoverEveryShardOnce() {
        // GIVEN 11 shards: 2 groups, {0,2,4,6,8,10} and {1,3,5,7,9}
        ShardingFunction f = ShardingFunction.of(spec(11), circle(2));
        assertThat(f.shardsFor(new float[] {1, 0}, 1)).containsExactly(0, 2, 4, 6, 8, 10);
        assertThat(f.shardsFor(new float[] {-1, 0}, 1)).containsExactly(1, 3, 5, 7, 9);
        assertThat(f.shardsFor(new float[] {-1, 0}, 2)).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        // AND the id picks the same slot when the vector moves within a group
        assertThat(f.shardOf("doc-7", new float[] {1, 0.1f})).isEqualTo(f.shardOf("doc-7", new float[] {1, -0.1f}));
    }

    @Test
    void deleteTargetsTheIdsShardInEveryGroup() {
        ShardingFunction f = ShardingFunction.of(spec(16), circle(4));
        int[] targets = f.shardsForDelete("doc-9");
        assertThat(targets).hasSize(4);
        for (int g = 0; g < 4; g++) {
            assertThat(targets[g] % 4).isEqualTo(g);
        }
        for (float[] c : circle(4)) {
            assertThat(targets).contains(f.shardOf("doc-9", c));
        }
    }

    @Test
    void fewerThanEightShardsIsOneGroupLikeHash() {
        ShardingFunction f = ShardingFunction.of(spec(4), circle(1));
        assertThat(f.shardsFor(new float[] {0, 1}, 1)).containsExactly(0, 1, 2, 3);
        assertThat(f.shardOf("doc-42", new float[] {0, 1})).isEqualTo(HashSharding.shardOfId("doc-42", 4));
    }

    @Test
    void realCorpusHybridCoverage() throws java.io.IOException {
        java.nio.file.Path dir = RoutingTestData.dataDir();
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.exists(dir.resolve("base.fvecs")),
                "skipped: no corpus at " + dir + " (set STRATA_DATA_DIR to a texmex directory to run it)");
        // GIVEN the real corpus over 16 hybrid shards (4 groups)
        List<float[]> base = RoutingTestData.readFvecs(dir.resolve("base.fvecs"), Integer.MAX_VALUE);
        List<float[]> queries = RoutingTestData.readFvecs(dir.resolve("query.fvecs"), 300);
        List<int[]> truth = RoutingTestData.readIvecs(dir.resolve("groundtruth.ivecs"), 300);
        ShardingFunction f = CentroidShardingTest.train(base, base.get(0).length, 16, Sharding.HYBRID, 10);
        // WHEN queries probe 1 and 2 of the 4 groups
        double one = CentroidShardingTest.neighbourCoverage(f, base, queries, truth, 10, 1);
        double two = CentroidShardingTest.neighbourCoverage(f, base, queries, truth, 10, 2);
        System.out.printf("techdocs hybrid coverage@10 (16 shards, 4 groups): nprobe1=%.3f nprobe2=%.3f%n", one, two);
        // THEN two of four groups hold nearly all true neighbours
        assertThat(two).isGreaterThan(one);
        assertThat(two).isGreaterThan(0.85);
    }
}
