package dev.strata.shard;

import dev.strata.api.CollectionSpec;
import dev.strata.api.Metric;
import dev.strata.api.Sharding;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HashShardingTest {

    private static ShardingFunction hash(int shards) {
        return ShardingFunction.of(new CollectionSpec(4, Metric.COSINE, shards, 1, Sharding.HASH, null, null, 0),
                List.of());
    }

    @Test
    void goldenShardsNeverChange() {
        // GIVEN fixed ids THEN their shards are pinned (cross-checked against libxxhash + reference jump hash)
        String[] ids = {"doc-1", "doc-42", "a", "passage/ünïcødé/€", "7f3c1e2a-0000-4000-8000-000000000001"};
        int[][] expected = {{0, 3, 3, 244}, {0, 3, 5, 90}, {0, 1, 8, 17}, {0, 3, 12, 66}, {0, 3, 14, 63}};
        int[] counts = {1, 4, 16, 256};
        for (int i = 0; i < ids.length; i++) {
            for (int c = 0; c < counts.length; c++) {
                assertThat(hash(counts[c]).shardOf(ids[i], null)).as(ids[i] + " over " + counts[c])
                        .isEqualTo(expected[i][c]);
            }
        }
    }

    @Test
    void sameIdSameShardWhateverTheVector() {
        ShardingFunction f = hash(8);
        assertThat(f.shardOf("x", new float[] {1, 0, 0, 0})).isEqualTo(f.shardOf("x", new float[] {0, 1, 0, 0}));
        assertThat(f.shardsForDelete("x")).containsExactly(f.shardOf("x", null));
    }

    @Test
    void hundredThousandIdsSpreadEvenly() {
        // GIVEN 100k ids over 16 shards
        int shards = 16;
        int n = 100_000;
        int[] counts = new int[shards];
        ShardingFunction f = hash(shards);
        for (int i = 0; i < n; i++) {
            counts[f.shardOf("tenant-a/doc-" + i, null)]++;
        }
        // THEN every shard holds its share within 5 % (the expected deviation is about 1.3 %)
        double mean = n / (double) shards;
        for (int c : counts) {
            assertThat(Math.abs(c - mean) / mean).isLessThan(0.05);
        }
    }

    @Test
    void queryVisitsEveryShard() {
        ShardingFunction f = hash(5);
        assertThat(f.shardsFor(new float[] {1, 2, 3, 4}, 1)).containsExactly(0, 1, 2, 3, 4);
        assertThat(f.kind()).isEqualTo(Sharding.HASH);
        assertThat(f.shardCount()).isEqualTo(5);
    }
}
