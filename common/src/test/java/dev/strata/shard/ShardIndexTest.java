package dev.strata.shard;

import dev.strata.api.CollectionSpec;
import dev.strata.api.Document;
import dev.strata.api.Match;
import dev.strata.api.Metric;
import dev.strata.api.StrataException;
import dev.strata.filter.Filter;
import dev.strata.segment.SegmentReader;
import dev.strata.segment.SegmentWriter;
import dev.strata.segment.TestVectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntPredicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ShardIndexTest {

    @TempDir
    Path tmp;

    private final CollectionSpec spec = TestVectors.spec(8, Metric.COSINE);

    private SegmentReader segment(String id, List<Document> rows, List<String> tombstones) {
        SegmentWriter.write(tmp.resolve(id), id, spec, rows, tombstones);
        return SegmentReader.open(tmp.resolve(id));
    }

    private static Document doc(String id, float... v) {
        return new Document(id, v, "t-" + id, Map.of("k", id));
    }

    @Test
    void upsertInNewerSegmentMasksTheOlderRow() {
        // GIVEN "a" in the first segment, and "a" again with another vector in the second
        try (ShardIndex shard = ShardIndex.owning(List.of(
                segment("s1", List.of(doc("a", 1, 0, 0, 0, 0, 0, 0, 0), doc("b", 0, 1, 0, 0, 0, 0, 0, 0)), List.of()),
                segment("s2", List.of(doc("a", 0, 0, 1, 0, 0, 0, 0, 0)), List.of())))) {
            // WHEN searching near the old vector of "a"
            List<Match> hits = shard.search(new ShardQuery(new float[]{1, 0, 0, 0, 0, 0, 0, 0}, 10, 10, null,
                    true, true));
            // THEN "a" appears once, with its new vector's score, and the old copy is gone
            assertThat(shard.liveCount()).isEqualTo(2);
            assertThat(hits).extracting(Match::id).containsExactlyInAnyOrder("a", "b");
            Match a = hits.stream().filter(m -> m.id().equals("a")).findFirst().orElseThrow();
            assertThat(a.score()).isEqualTo(0f);
            assertThat(a.text()).isEqualTo("t-a");
            assertThat(a.metadata()).isEqualTo(Map.of("k", "a"));
        }
    }

    @Test
    void tombstoneInNewerSegmentHidesTheRow() {
        // GIVEN "a" and "b", then a segment that deletes "a"
        try (ShardIndex shard = ShardIndex.owning(List.of(
                segment("s1", List.of(doc("a", 1, 0, 0, 0, 0, 0, 0, 0), doc("b", 0, 1, 0, 0, 0, 0, 0, 0)), List.of()),
                segment("s2", List.of(), List.of("a"))))) {
            // WHEN searching right at "a"
            List<Match> hits = shard.search(ShardQuery.of(new float[]{1, 0, 0, 0, 0, 0, 0, 0}, 10, 10));
            // THEN only "b" is found
            assertThat(hits).extracting(Match::id).containsExactly("b");
            assertThat(shard.liveCount()).isEqualTo(1);
        }
    }

    @Test
    void reinsertAfterDeleteIsVisibleAgain() {
        try (ShardIndex shard = ShardIndex.owning(List.of(
                segment("s1", List.of(doc("a", 1, 0, 0, 0, 0, 0, 0, 0)), List.of()),
                segment("s2", List.of(), List.of("a")),
                segment("s3", List.of(doc("a", 0, 1, 0, 0, 0, 0, 0, 0)), List.of())))) {
            List<Match> hits = shard.search(ShardQuery.of(new float[]{0, 1, 0, 0, 0, 0, 0, 0}, 10, 10));
            assertThat(hits).extracting(Match::id).containsExactly("a");
            assertThat(hits.get(0).score()).isEqualTo(1f);
        }
    }

    private double filteredRecall(ShardIndex shard, float[][] base, float[][] queries, Filter filter,
                                  IntPredicate truthFilter) {
        double sum = 0;
        for (float[] q : queries) {
            int[] truth = TestVectors.exactTopK(Metric.COSINE, base, q, 10, truthFilter);
            List<Integer> found = new ArrayList<>();
            for (Match m : shard.search(new ShardQuery(q, 10, 64, filter, false, false))) {
                found.add(Integer.parseInt(m.id().substring(1)));
            }
            sum += TestVectors.recall(truth, found);
        }
        return sum / queries.length;
    }

    @Test
    void filteredSearchHoldsRecallFromRareToCommonMatches() {
        // GIVEN 3,000 rows whose "bucket" is i % 1000, in one segment
        float[][] base = TestVectors.clustered(3000, 8, 30, 21);
        float[][] queries = TestVectors.clustered(30, 8, 30, 22);
        try (ShardIndex shard = ShardIndex.owning(List.of(
                segment("f", TestVectors.documents(base, "d"), List.of())))) {
            // WHEN filtered at 0.3 %, 10 %, 50 % and 100 % selectivity
            for (int below : new int[]{3, 100, 500, 1000}) {
                Filter f = Filter.parse(Map.of("bucket", Map.of("$lt", below)));
                double recall = filteredRecall(shard, base, queries, f, i -> i % 1000 < below);
                // THEN recall@10 against exact search over the matching rows is at least 0.95
                assertThat(recall).as("bucket < " + below).isGreaterThanOrEqualTo(0.95);
            }
            // AND a filter on a string field with $in / $not combine as bitsets
            Filter odd = Filter.parse(Map.of("$not", Map.of("parity", Map.of("$in", List.of("even")))));
            for (Match m : shard.search(new ShardQuery(queries[0], 10, 64, odd, false, false))) {
                assertThat(Integer.parseInt(m.id().substring(1)) % 2).isEqualTo(1);
            }
        }
    }

    @Test
    void recallHoldsAfterDeletingHalfTheRows() {
        // GIVEN 3,000 rows, then a segment deleting every even row
        float[][] base = TestVectors.clustered(3000, 8, 30, 31);
        float[][] queries = TestVectors.clustered(30, 8, 30, 32);
        List<String> deleted = new ArrayList<>();
        for (int i = 0; i < base.length; i += 2) {
            deleted.add("d" + i);
        }
        try (ShardIndex shard = ShardIndex.owning(List.of(
                segment("base", TestVectors.documents(base, "d"), List.of()),
                segment("del", List.of(), deleted)))) {
            // WHEN searched
            double recall = filteredRecall(shard, base, queries, null, i -> i % 2 == 1);
            // THEN recall@10 over the survivors is at least 0.95 and no deleted row shows up
            assertThat(shard.liveCount()).isEqualTo(1500);
            assertThat(recall).isGreaterThanOrEqualTo(0.95);
        }
    }

    @Test
    void badQueriesAreRejectedWithFieldValueAndLimit() {
        try (ShardIndex shard = ShardIndex.owning(List.of(segment("v", List.of(doc("a", 1, 0, 0, 0, 0, 0, 0, 0)),
                List.of())))) {
            float[] ok = new float[8];
            ok[0] = 1;
            assertThatThrownBy(() -> shard.search(ShardQuery.of(new float[3], 10, 10)))
                    .isInstanceOf(StrataException.InvalidRequest.class)
                    .hasMessage("vector has 3 values; the shard's dimension is 8");
            float[] nan = ok.clone();
            nan[2] = Float.NaN;
            assertThatThrownBy(() -> shard.search(ShardQuery.of(nan, 10, 10)))
                    .hasMessage("vector[2] is NaN; values must be finite numbers");
            assertThatThrownBy(() -> shard.search(ShardQuery.of(ok, 0, 10)))
                    .hasMessage("k is 0; it must be between 1 and 1000");
            assertThatThrownBy(() -> shard.search(ShardQuery.of(ok, 10, 5000)))
                    .hasMessage("searchWidth is 5000; it must be between 0 and 4096");
        }
    }

    @Test
    void concurrentSearchesAgreeWithSerialOnes() throws Exception {
        // GIVEN one shard searched by 4 threads at once
        float[][] base = TestVectors.clustered(2000, 8, 20, 41);
        float[][] queries = TestVectors.clustered(40, 8, 20, 42);
        try (ShardIndex shard = ShardIndex.owning(List.of(segment("c", TestVectors.documents(base, "d"), List.of())))) {
            List<List<Match>> serial = new ArrayList<>();
            for (float[] q : queries) {
                serial.add(shard.search(ShardQuery.of(q, 10, 64)));
            }
            Set<Integer> mismatches = java.util.concurrent.ConcurrentHashMap.newKeySet();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                Thread th = new Thread(() -> {
                    for (int rep = 0; rep < 5; rep++) {
                        for (int i = 0; i < queries.length; i++) {
                            if (!shard.search(ShardQuery.of(queries[i], 10, 64)).equals(serial.get(i))) {
                                mismatches.add(i);
                            }
                        }
                    }
                });
                threads.add(th);
                th.start();
            }
            for (Thread th : threads) {
                th.join(60_000);
            }
            // THEN every concurrent answer equals the serial one
            assertThat(mismatches).isEqualTo(new HashSet<>());
        }
    }
}
