package dev.strata.ingest;

import dev.strata.api.Sharding;
import dev.strata.catalog.RetiredSegment;
import dev.strata.catalog.SegmentRef;
import dev.strata.catalog.ShardRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.strata.ingest.IngestFixture.line;
import static dev.strata.ingest.IngestFixture.lines;
import static dev.strata.ingest.IngestFixture.vector;
import static org.assertj.core.api.Assertions.assertThat;

class CompactionTest {

    private static IngestFixture fx;

    @BeforeAll
    static void start() {
        fx = IngestFixture.shared();
    }


    private static void ingest(IngestPipeline pipeline, String key, List<String> lines) {
        pipeline.ingest(IngestFixture.BUCKET, key, fx.put(key, lines(lines)));
    }

    @Test
    void explicitCompactionMergesDropsMaskedRowsAndSwapsAtomically() {
        // GIVEN a 1-shard collection with three small batches, including an upsert and a delete
        fx.createCollection("acme", "cmp", 8, 1, Sharding.HASH, null);
        IngestPipeline pipeline = fx.pipeline();
        ingest(pipeline, "ingest/acme/cmp/1.jsonl", List.of(line("a", vector(8, 1), null), line("b", vector(8, 2), null),
                line("c", vector(8, 3), null)));
        ingest(pipeline, "ingest/acme/cmp/2.jsonl", List.of(line("b", vector(8, 20), Map.of("v", 2)),
                line("d", vector(8, 4), null)));
        ingest(pipeline, "ingest/acme/cmp/3.jsonl", List.of("{\"id\":\"c\",\"delete\":true}"));
        List<SegmentRef> before = fx.catalog.getShards("acme", "cmp", true).get(0).segments();
        Map<String, float[]> visibleBefore = ShardContents.visible(fx, "acme", "cmp");
        // WHEN the shard is compacted
        SegmentRef merged = pipeline.compaction().compact("acme", "cmp", 0).orElseThrow();
        // THEN one segment holds exactly the visible rows, the inputs are retired, and the version moved by one
        ShardRecord after = fx.catalog.getShards("acme", "cmp", true).get(0);
        assertThat(after.segments()).extracting(SegmentRef::segmentId).containsExactly(merged.segmentId());
        assertThat(merged.rows()).isEqualTo(3);
        assertThat(fx.catalog.getCollection("acme", "cmp", true).version()).isEqualTo(4);
        Map<String, float[]> visibleAfter = ShardContents.visible(fx, "acme", "cmp");
        assertThat(visibleAfter.keySet()).containsExactlyInAnyOrder("a", "b", "d");
        assertThat(visibleAfter.get("b")).containsExactly(visibleBefore.get("b"), org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(fx.catalog.retiredSegments("acme", "cmp", 0)).extracting(RetiredSegment::segmentId)
                .containsExactlyInAnyOrderElementsOf(before.stream().map(SegmentRef::segmentId).toList());
        // AND the inputs' objects survive the grace period, then the sweeper deletes them
        OrphanSweeper sweeper = new OrphanSweeper(fx.catalog, fx.store, fx.telemetry, fx.clock, Duration.ofHours(1));
        List<String> inputs = before.stream().map(SegmentRef::key).toList();
        assertThat(sweeper.sweep()).doesNotContainAnyElementsOf(inputs);
        fx.clock.advance(Duration.ofHours(2));
        assertThat(sweeper.sweep()).containsAll(inputs).doesNotContain(merged.key());
        assertThat(fx.store.list(inputs.get(0))).isEmpty();
        assertThat(ShardContents.visible(fx, "acme", "cmp").keySet()).containsExactlyInAnyOrder("a", "b", "d");
    }

    @Test
    void commitTriggersCompactionWhenAShardHasTooManySmallSegments() {
        // GIVEN a pipeline that compacts a shard holding more than 2 small segments
        fx.createCollection("acme", "auto", 8, 1, Sharding.HASH, null);
        IngestPipeline pipeline = fx.pipeline(fx.config().withCompaction(2, 1000, 0.99, true), null);
        // WHEN four small batches arrive
        for (int i = 0; i < 4; i++) {
            ingest(pipeline, "ingest/acme/auto/" + i + ".jsonl", List.of(line("x" + i, vector(8, i), null)));
        }
        // THEN the shard never holds more than 3 segments and every row is visible
        assertThat(fx.catalog.getShards("acme", "auto", true).get(0).segments().size()).isLessThanOrEqualTo(3);
        assertThat(ShardContents.visible(fx, "acme", "auto")).containsOnlyKeys("x0", "x1", "x2", "x3");
        assertThat(fx.telemetryLines).anySatisfy(l -> assertThat(l).contains("\"type\":\"compaction\""));
    }
}
