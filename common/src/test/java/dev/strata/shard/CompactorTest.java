package dev.strata.shard;

import dev.strata.api.CollectionSpec;
import dev.strata.api.Document;
import dev.strata.api.Match;
import dev.strata.api.Metric;
import dev.strata.filter.Filter;
import dev.strata.segment.SegmentManifest;
import dev.strata.segment.SegmentReader;
import dev.strata.segment.SegmentWriter;
import dev.strata.segment.TestVectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CompactorTest {

    @TempDir
    Path tmp;

    private final CollectionSpec spec = TestVectors.spec(8, Metric.L2);

    private SegmentReader segment(String id, List<Document> rows, List<String> tombstones) {
        SegmentWriter.write(tmp.resolve(id), id, spec, rows, tombstones);
        return SegmentReader.open(tmp.resolve(id));
    }

    @Test
    void compactionKeepsAnswersIdenticalAndDropsMaskedRows() {
        // GIVEN three segments: 300 rows, 100 upserts of them plus 50 new rows, and 80 deletes
        float[][] v = TestVectors.clustered(450, 8, 10, 51);
        List<Document> first = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            first.add(new Document("d" + i, v[i], "t" + i, Map.of("n", i)));
        }
        List<Document> second = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            second.add(new Document("d" + (i * 3), v[300 + i], "u" + i, Map.of("n", -i)));
        }
        for (int i = 400; i < 450; i++) {
            second.add(new Document("d" + i, v[i], "t" + i, Map.of("n", i)));
        }
        List<String> deletes = new ArrayList<>();
        for (int i = 1; i < 240; i += 3) {
            deletes.add("d" + i);
        }
        List<SegmentReader> group = List.of(segment("s1", first, List.of()), segment("s2", second, List.of()),
                segment("s3", List.of(), deletes));
        float[][] queries = TestVectors.clustered(25, 8, 10, 52);
        Filter filter = Filter.parse(Map.of("n", Map.of("$gte", 0)));
        try (ShardIndex before = ShardIndex.owning(group)) {
            // WHEN the three are compacted into one
            SegmentManifest m = Compactor.compact(group, tmp.resolve("c"), "c", spec, true);
            try (ShardIndex after = ShardIndex.owning(List.of(SegmentReader.open(tmp.resolve("c"))))) {
                // THEN it holds only the live rows, no tombstones (whole shard), and every answer is identical
                assertThat(m.rows()).isEqualTo((int) before.liveCount());
                assertThat(m.tombstones()).isZero();
                for (float[] q : queries) {
                    for (Filter f : new Filter[]{null, filter}) {
                        List<Match> a = before.search(new ShardQuery(q, 10, 64, f, true, true));
                        List<Match> b = after.search(new ShardQuery(q, 10, 64, f, true, true));
                        assertThat(b).extracting(Match::id).containsExactlyElementsOf(
                                a.stream().map(Match::id).toList());
                        assertThat(b).extracting(Match::text).containsExactlyElementsOf(
                                a.stream().map(Match::text).toList());
                    }
                }
            }
        }
    }

    @Test
    void partialCompactionKeepsTombstonesForOlderSegments() {
        // GIVEN an old segment with "a" and "b", then two newer ones: one deletes "a", one adds "c"
        SegmentReader old = segment("old", List.of(new Document("a", new float[]{1, 0, 0, 0, 0, 0, 0, 0}, null, null),
                new Document("b", new float[]{0, 1, 0, 0, 0, 0, 0, 0}, null, null)), List.of());
        SegmentReader del = segment("del", List.of(), List.of("a"));
        SegmentReader add = segment("add", List.of(new Document("c", new float[]{0, 0, 1, 0, 0, 0, 0, 0}, null,
                null)), List.of());
        // WHEN only the two newer segments are compacted
        Compactor.compact(List.of(del, add), tmp.resolve("merged"), "merged", spec, false);
        try (ShardIndex shard = ShardIndex.owning(List.of(old, SegmentReader.open(tmp.resolve("merged"))))) {
            del.close();
            add.close();
            // THEN the tombstone still hides "a" in the old segment
            List<Match> hits = shard.search(ShardQuery.of(new float[]{1, 0, 0, 0, 0, 0, 0, 0}, 10, 10));
            assertThat(hits).extracting(Match::id).containsExactlyInAnyOrder("b", "c");
        }
    }
}
