package dev.strata.shard;

import dev.strata.api.CollectionSpec;
import dev.strata.api.Metric;
import dev.strata.api.Sharding;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ShardingFunctionTest {

    private static CollectionSpec spec(int shards, Sharding sharding) {
        return new CollectionSpec(2, Metric.L2, shards, 1, sharding, null, null, 0);
    }

    @Test
    void centroidCountFollowsTheScheme() {
        assertThat(ShardingFunction.centroidCount(spec(8, Sharding.HASH))).isZero();
        assertThat(ShardingFunction.centroidCount(spec(8, Sharding.CENTROID))).isEqualTo(8);
        assertThat(ShardingFunction.centroidCount(spec(8, Sharding.HYBRID))).isEqualTo(2);
        // defaults: unset sharding is hash
        assertThat(ShardingFunction.centroidCount(new CollectionSpec(2, null, 4, 0, null, null, null, 0))).isZero();
    }

    @Test
    void wrongNumberOfCentroidsIsRejected() {
        assertThatThrownBy(() -> ShardingFunction.of(spec(3, Sharding.CENTROID), List.of(new float[] {0, 0})))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("centroid sharding of 3 shards needs 3 centroids, got 1");
        assertThatThrownBy(() -> ShardingFunction.of(spec(8, Sharding.HYBRID), List.of(new float[] {0, 0})))
                .hasMessage("hybrid sharding of 8 shards needs 2 centroids, got 1");
        assertThatThrownBy(() -> ShardingFunction.of(spec(2, Sharding.HASH), List.of(new float[] {0, 0})))
                .hasMessage("hash sharding takes no centroids; got 1");
    }

    @Test
    void centroidOfWrongDimensionIsRejected() {
        assertThatThrownBy(() -> ShardingFunction.of(spec(2, Sharding.CENTROID),
                List.of(new float[] {0, 0}, new float[] {0, 0, 0})))
                .hasMessage("centroid 1 has 3 values; the collection has dimension 2");
    }

    @Test
    void centroidsAreCopiedSoLaterChangesDoNotReroute() {
        float[] a = {0, 0};
        float[] b = {10, 10};
        ShardingFunction f = ShardingFunction.of(spec(2, Sharding.CENTROID), List.of(a, b));
        b[0] = -100;
        assertThat(f.shardOf("x", new float[] {9, 9})).isEqualTo(1);
    }

    @Test
    void catalogRecordBuildsTheSameFunction() {
        // GIVEN a centroid collection as the catalog stores it
        List<float[]> centroids = List.of(new float[] {0, 0}, new float[] {10, 10});
        dev.strata.catalog.CollectionRecord record = new dev.strata.catalog.CollectionRecord("t", "c",
                spec(2, Sharding.CENTROID), 3, "local", null, null, null, 0, centroids);
        // WHEN built from the record THEN it routes like the spec + centroids form
        ShardingFunction f = ShardingFunction.of(record);
        assertThat(f.kind()).isEqualTo(Sharding.CENTROID);
        assertThat(f.shardOf("x", new float[] {9, 9})).isEqualTo(1);
        assertThat(f.shardOf("x", new float[] {1, 1})).isEqualTo(0);
    }
}
