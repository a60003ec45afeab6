package dev.strata.api;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CollectionSpecTest {

    private static CollectionSpec spec(int dimension, int shards, int replicas) {
        return new CollectionSpec(dimension, Metric.COSINE, shards, replicas, Sharding.HASH, null, null, 0);
    }

    @Test
    void defaultsAreFilledIn() {
        // GIVEN a spec with only a dimension
        CollectionSpec given = new CollectionSpec(384, null, 0, 0, null, null, null, 0);
        // WHEN defaults are applied
        CollectionSpec spec = given.withDefaults().validate();
        // THEN every field has its documented default
        assertThat(spec.metric()).isEqualTo(Metric.COSINE);
        assertThat(spec.shards()).isEqualTo(1);
        assertThat(spec.replicas()).isEqualTo(1);
        assertThat(spec.sharding()).isEqualTo(Sharding.HASH);
        assertThat(spec.index()).isEqualTo(IndexParams.DEFAULTS);
        assertThat(spec.nprobe()).isEqualTo(1);
    }

    @Test
    void defaultNprobeIsHalfTheShardsOrHalfTheHybridGroups() {
        CollectionSpec centroid = new CollectionSpec(8, null, 8, 1, Sharding.CENTROID, null, null, 0);
        CollectionSpec hybrid = new CollectionSpec(8, null, 16, 1, Sharding.HYBRID, null, null, 0);
        assertThat(centroid.withDefaults().nprobe()).isEqualTo(4);
        assertThat(hybrid.withDefaults().nprobe()).as("16 shards form 4 groups").isEqualTo(2);
    }

    @Test
    void dimensionOutOfRangeNamesFieldValueAndLimit() {
        assertThatThrownBy(() -> spec(5000, 1, 1).withDefaults().validate())
                .isInstanceOf(StrataException.InvalidRequest.class)
                .hasMessage("dimension is 5000; it must be between 1 and 4096");
        assertThatThrownBy(() -> spec(0, 1, 1).withDefaults().validate())
                .hasMessage("dimension is 0; it must be between 1 and 4096");
    }

    @Test
    void shardsAndReplicasOutOfRangeAreRejected() {
        assertThatThrownBy(() -> spec(8, 257, 1).withDefaults().validate())
                .hasMessage("shards is 257; it must be between 1 and 256");
        assertThatThrownBy(() -> spec(8, 2, 6).withDefaults().validate())
                .hasMessage("replicas is 6; it must be between 1 and 5");
    }

    @Test
    void unknownMetricAndShardingAreRejected() {
        assertThatThrownBy(() -> Metric.parse("hamming"))
                .hasMessage("metric 'hamming' is not supported; one of cosine, dot, l2");
        assertThatThrownBy(() -> Sharding.parse("range"))
                .hasMessage("sharding 'range' is not supported; one of hash, centroid, hybrid");
    }

    @Test
    void indexParamsAreChecked() {
        CollectionSpec bad = new CollectionSpec(16, Metric.L2, 1, 1, Sharding.HASH, null,
                new IndexParams(64, 32, 0, 10), 0);
        assertThatThrownBy(() -> bad.withDefaults().validate())
                .hasMessage("index.constructionBeam is 32; it must be at least index.maxDegree (64)");
    }

    @Test
    void collectionNamesAreChecked() {
        assertThat(CollectionSpec.validateName("docs-2")).isEqualTo("docs-2");
        assertThatThrownBy(() -> CollectionSpec.validateName("Docs!"))
                .hasMessageContaining("collection name 'Docs!' is invalid");
    }

    @Test
    void vectorRulesNameTheProblem() {
        assertThatThrownBy(() -> VectorRules.validate("vector", new float[3], 4, "docs"))
                .hasMessage("vector has 3 values; collection 'docs' has dimension 4");
        assertThatThrownBy(() -> VectorRules.validate("vector", new float[] {1, Float.NaN}, 2, "docs"))
                .hasMessage("vector[1] is NaN; values must be finite numbers");
        assertThatThrownBy(() -> VectorRules.validateK(1001))
                .hasMessage("k is 1001; it must be between 1 and 1000");
    }
}
