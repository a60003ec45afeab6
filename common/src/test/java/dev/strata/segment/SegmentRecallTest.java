package dev.strata.segment;

import dev.strata.api.CollectionSpec;
import dev.strata.api.Document;
import dev.strata.api.Metric;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SegmentRecallTest {

    @TempDir
    Path tmp;

    private static double meanRecall(SegmentReader reader, Metric metric, float[][] base, float[][] queries,
                                     int width, SearchPlan plan) {
        double sum = 0;
        for (float[] q : queries) {
            int[] truth = TestVectors.exactTopK(metric, base, q, 10, i -> true);
            List<Integer> found = new ArrayList<>();
            for (ScoredRow r : reader.search(q, 10, width, null, plan)) {
                found.add(Integer.parseInt(reader.id(r.row()).substring(1)));
            }
            sum += TestVectors.recall(truth, found);
        }
        return sum / queries.length;
    }

    @ParameterizedTest(name = "pqSubspaces {0}")
    @ValueSource(ints = {0, 16})
    void graphSearchOnSyntheticDataFindsTheExactNeighbours(int pqSubspaces) {
        // GIVEN a segment of 2,500 clustered 32-dimensional vectors
        float[][] base = TestVectors.clustered(2500, 32, 40, 1);
        float[][] queries = TestVectors.clustered(50, 32, 40, 2);
        CollectionSpec spec = TestVectors.spec(32, Metric.COSINE, pqSubspaces);
        SegmentWriter.write(tmp.resolve("s"), "s", spec, TestVectors.documents(base, "d"), List.of());
        try (SegmentReader reader = SegmentReader.open(tmp.resolve("s"))) {
            // WHEN it is searched through the graph with width 128 (isotropic noise makes code ranking hard here)
            double recall = meanRecall(reader, Metric.COSINE, base, queries, 128, SearchPlan.GRAPH);
            // THEN recall@10 against exact search is at least 0.95
            assertThat(recall).isGreaterThanOrEqualTo(0.95);
            // AND the work is counted: code scores for the walk, full-vector scores for the re-rank
            SegmentReader.SearchCounters c = reader.counters();
            assertThat(c.searches()).isEqualTo(queries.length);
            assertThat(c.exactPerSearch()).isEqualTo(128.0);
            assertThat(c.approximatePerSearch()).isBetween(128.0, 2500.0);
        }
    }

    @ParameterizedTest(name = "pqSubspaces {0}")
    @ValueSource(ints = {0, 16})
    void pqScanOnSyntheticDataFindsTheExactNeighbours(int pqSubspaces) {
        // GIVEN a segment of 2,500 clustered vectors
        float[][] base = TestVectors.clustered(2500, 32, 40, 3);
        float[][] queries = TestVectors.clustered(40, 32, 40, 4);
        SegmentWriter.write(tmp.resolve("s"), "s", TestVectors.spec(32, Metric.DOT, pqSubspaces),
                TestVectors.documents(base, "d"), List.of());
        try (SegmentReader reader = SegmentReader.open(tmp.resolve("s"))) {
            // WHEN it is scanned on its codes and re-ranked
            double recall = meanRecall(reader, Metric.DOT, base, queries, 64, SearchPlan.PQ_SCAN);
            // THEN recall@10 is at least 0.95
            assertThat(recall).isGreaterThanOrEqualTo(0.95);
        }
    }

    @ParameterizedTest(name = "pqSubspaces {0}")
    @ValueSource(ints = {0, 96})
    void graphSearchOnRealEmbeddingsFindsTheExactNeighbours(int pqSubspaces) throws Exception {
        Path data = TestVectors.realData();
        Assumptions.assumeTrue(data != null, "skipped: real data not found; set STRATA_DATA_DIR or place "
                + "techdocs-dev at <repo root>/../shared/data/techdocs-dev");
        // GIVEN the first 2,500 real passage embeddings (384 dimensions) in one segment
        float[][] base = TestVectors.readFvecs(data.resolve("base.fvecs"), 2500);
        float[][] queries = TestVectors.readFvecs(data.resolve("query.fvecs"), 100);
        CollectionSpec spec = TestVectors.spec(384, Metric.COSINE, pqSubspaces);
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < base.length; i++) {
            docs.add(new Document("d" + i, base[i], null, null));
        }
        SegmentWriter.write(tmp.resolve("real"), "real", spec, docs, List.of());
        try (SegmentReader reader = SegmentReader.open(tmp.resolve("real"))) {
            // WHEN the 100 first real queries are searched through the graph with width 64
            double recall = meanRecall(reader, Metric.COSINE, base, queries, 64, SearchPlan.GRAPH);
            // THEN recall@10 against exact search over the same rows is at least 0.95
            assertThat(recall).isGreaterThanOrEqualTo(0.95);
        }
    }
}
