package dev.strata.segment;

import dev.strata.api.Metric;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SegmentMetricTest {

    @TempDir
    Path tmp;

    /** Every metric with both kinds of graph-walk codes: scalar (0) and PQ with one subspace per dimension. */
    static java.util.stream.Stream<Arguments> metricsAndCodes() {
        return java.util.Arrays.stream(Metric.values()).flatMap(m -> java.util.stream.Stream.of(
                Arguments.of(m, 0), Arguments.of(m, 16)));
    }

    @ParameterizedTest(name = "{0}, pqSubspaces {1}")
    @MethodSource("metricsAndCodes")
    void exactAndGraphPlansRankAndScoreByTheMetric(Metric metric, int pqSubspaces) {
        // GIVEN 1,500 vectors of varied norms under the metric
        float[][] base = TestVectors.clustered(1500, 16, 12, 7);
        for (int i = 0; i < base.length; i++) {
            float scale = 0.5f + (i % 7) * 0.4f;
            for (int j = 0; j < base[i].length; j++) {
                base[i][j] *= scale;
            }
        }
        float[] query = TestVectors.clustered(1, 16, 12, 8)[0];
        SegmentWriter.write(tmp.resolve("m"), "m", TestVectors.spec(16, metric, pqSubspaces),
                TestVectors.documents(base, "d"), List.of());
        try (SegmentReader reader = SegmentReader.open(tmp.resolve("m"))) {
            int[] truth = TestVectors.exactTopK(metric, base, query, 5, i -> true);
            for (SearchPlan plan : List.of(SearchPlan.EXACT, SearchPlan.GRAPH)) {
                // WHEN searched exactly and through the graph
                List<ScoredRow> rows = reader.search(query, 5, 200, null, plan);
                // THEN the order is the exact order and each score is the metric's similarity
                assertThat(rows).hasSize(5);
                for (int i = 0; i < 5; i++) {
                    assertThat(reader.id(rows.get(i).row())).as(plan + " rank " + i).isEqualTo("d" + truth[i]);
                    assertThat(rows.get(i).score()).isCloseTo(
                            TestVectors.similarity(metric, query, base[truth[i]]), within(1e-3f));
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}, pqSubspaces {1}")
    @MethodSource("metricsAndCodes")
    void graphSearchRanksVectorsOfExtremeMagnitude(Metric metric, int pqSubspaces) {
        // GIVEN vectors whose components reach 1e7, far beyond half precision (in which the PQ codebook is held)
        for (float magnitude : new float[] {1e7f}) {
            float[][] base = TestVectors.clustered(1500, 16, 12, 11);
            for (float[] v : base) {
                for (int j = 0; j < v.length; j++) {
                    v[j] *= magnitude;
                }
            }
            float[] query = TestVectors.clustered(1, 16, 12, 12)[0];
            for (int j = 0; j < query.length; j++) {
                query[j] *= magnitude;
            }
            Path dir = tmp.resolve("x" + metric + magnitude);
            SegmentWriter.write(dir, "x", TestVectors.spec(16, metric, pqSubspaces), TestVectors.documents(base, "d"),
                    List.of());
            try (SegmentReader reader = SegmentReader.open(dir)) {
                // WHEN searched through the graph, which is steered by the codes alone
                List<ScoredRow> rows = reader.search(query, 5, 100, null, SearchPlan.GRAPH);
                // THEN it finds the exact top 5, in order
                int[] truth = TestVectors.exactTopK(metric, base, query, 5, i -> true);
                for (int i = 0; i < 5; i++) {
                    assertThat(reader.id(rows.get(i).row())).as(magnitude + " rank " + i).isEqualTo("d" + truth[i]);
                }
            }
        }
    }
}
