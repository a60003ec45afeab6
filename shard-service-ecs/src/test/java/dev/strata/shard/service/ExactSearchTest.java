package dev.strata.shard.service;

import dev.strata.api.CollectionSpec;
import dev.strata.api.Document;
import dev.strata.api.Match;
import dev.strata.api.Metric;
import dev.strata.filter.Filter;
import dev.strata.segment.SegmentReader;
import dev.strata.segment.SegmentWriter;
import dev.strata.segment.TestVectors;
import dev.strata.shard.ShardIndex;
import dev.strata.shard.ShardQuery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The reference the recall estimate is measured against: exactly the rows a search may return, best first. */
class ExactSearchTest {

    private static final int DIMENSION = 16;

    @TempDir
    Path tmp;

    @Test
    void exactAnswerIsTheBruteForceTopKOfTheLiveRowsThatPassTheFilter() {
        // GIVEN 2,000 rows, then a newer segment that upserts 100 of them and deletes 300 others
        CollectionSpec spec = ShardServiceFixture.spec(DIMENSION, 1, 1);
        List<Document> first = ShardServiceFixture.documents("x", 2_000, DIMENSION, 31);
        List<Document> upserts = ShardServiceFixture.documents("x", 100, DIMENSION, 32);
        List<String> deletes = new ArrayList<>();
        for (int i = 500; i < 800; i++) {
            deletes.add("x-" + i);
        }
        Filter even = Filter.parse(Map.of("group", "even"));
        try (ShardIndex shard = ShardIndex.owning(List.of(segment(spec, "s1", first, List.of()),
                segment(spec, "s2", upserts, deletes)))) {
            // AND the live rows as a brute-force oracle sees them: newest version of each id, deletes removed
            Map<String, Document> live = new LinkedHashMap<>();
            first.forEach(d -> live.put(d.id(), d));
            upserts.forEach(d -> live.put(d.id(), d));
            deletes.forEach(live::remove);
            List<Document> candidates = live.values().stream()
                    .filter(d -> "even".equals(d.metadata().get("group"))).toList();
            float[][] base = candidates.stream().map(Document::vector).toArray(float[][]::new);
            Random random = new Random(33);
            for (int q = 0; q < 20; q++) {
                float[] query = new float[DIMENSION];
                for (int d = 0; d < DIMENSION; d++) {
                    query[d] = (float) random.nextGaussian();
                }
                // WHEN the exact answer is computed
                List<Match> exact = shard.searchExact(new ShardQuery(query, 10, 10, even, false, false));
                // THEN it is the oracle's top 10, in order, and never a masked or filtered-out row
                int[] truth = TestVectors.exactTopK(Metric.COSINE, base, query, 10, i -> true);
                List<String> expected = new ArrayList<>();
                for (int i : truth) {
                    expected.add(candidates.get(i).id());
                }
                assertThat(exact).extracting(Match::id).containsExactlyElementsOf(expected);
            }
        }
    }

    @Test
    void emptyShardHasAnEmptyExactAnswer() {
        // GIVEN a shard with no segment WHEN the exact answer is computed THEN it is empty (no recall is recorded)
        try (ShardIndex shard = ShardIndex.owning(List.of())) {
            assertThat(shard.searchExact(ShardQuery.of(new float[DIMENSION], 10, 10))).isEmpty();
        }
    }

    private SegmentReader segment(CollectionSpec spec, String id, List<Document> rows, List<String> tombstones) {
        SegmentWriter.write(tmp.resolve(id), id, spec, rows, tombstones);
        return SegmentReader.open(tmp.resolve(id));
    }
}
