package dev.strata.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.api.Sharding;
import dev.strata.catalog.BatchRecord;
import dev.strata.catalog.BatchStatus;
import dev.strata.catalog.CollectionRecord;
import dev.strata.catalog.ShardRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.strata.ingest.IngestFixture.line;
import static dev.strata.ingest.IngestFixture.lines;
import static dev.strata.ingest.IngestFixture.vector;
import static org.assertj.core.api.Assertions.assertThat;

class IngestPipelineTest {

    private static IngestFixture fx;
    private static IngestPipeline pipeline;
    private static final AtomicInteger NAMES = new AtomicInteger();

    @BeforeAll
    static void start() {
        fx = IngestFixture.shared();
        pipeline = fx.pipeline();
    }


    private static String newCollection(int shards) {
        String name = "p" + NAMES.incrementAndGet();
        fx.createCollection("acme", name, 8, shards, Sharding.HASH, null);
        return name;
    }

    private static List<String> docs(int from, int to, long seedOffset) {
        List<String> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(line("d" + i, vector(8, i + seedOffset), Map.of("n", i)));
        }
        return out;
    }

    private static BatchRecord ingest(String key, String content) {
        String etag = fx.put(key, content);
        return pipeline.ingest(IngestFixture.BUCKET, key, etag);
    }

    @Test
    void batchIsCommittedAcrossShardsAndSearchable() {
        // GIVEN a 4-shard collection and an object of 40 documents
        String c = newCollection(4);
        // WHEN it is ingested
        BatchRecord batch = ingest("ingest/acme/" + c + "/a.jsonl", lines(docs(0, 40, 0)));
        // THEN the batch is applied at version 1, every document is visible once, and each is its own nearest
        assertThat(batch.status()).isEqualTo(BatchStatus.APPLIED);
        assertThat(batch.version()).isEqualTo(1);
        assertThat(batch.accepted()).isEqualTo(40);
        List<ShardRecord> shards = fx.catalog.getShards("acme", c, true);
        assertThat(shards.stream().filter(s -> !s.segments().isEmpty()).count()).isGreaterThan(1);
        Map<String, float[]> visible = ShardContents.visible(fx, "acme", c);
        assertThat(visible).hasSize(40);
        assertThat(ShardContents.nearest(fx, "acme", c, vector(8, 17))).isEqualTo("d17");
        assertThat(fx.catalog.getCollection("acme", c, true).documentCount()).isEqualTo(40);
    }

    @Test
    void redeliveredEventIsANoOp() {
        // GIVEN an applied batch
        String c = newCollection(2);
        String key = "ingest/acme/" + c + "/a.jsonl";
        String etag = fx.put(key, lines(docs(0, 10, 0)));
        BatchRecord first = pipeline.ingest(IngestFixture.BUCKET, key, etag);
        List<ShardRecord> before = fx.catalog.getShards("acme", c, true);
        // WHEN the same event is delivered again
        BatchRecord again = pipeline.ingest(IngestFixture.BUCKET, key, etag);
        // THEN nothing changes: same batch and version, same segments
        assertThat(again.batchId()).isEqualTo(first.batchId());
        assertThat(again.version()).isEqualTo(1);
        assertThat(fx.catalog.getCollection("acme", c, true).version()).isEqualTo(1);
        assertThat(fx.catalog.getShards("acme", c, true)).isEqualTo(before);
    }

    @Test
    void upsertMasksTheOlderRowAndDeleteHidesIt() {
        // GIVEN documents d0..d9 committed
        String c = newCollection(2);
        ingest("ingest/acme/" + c + "/1.jsonl", lines(docs(0, 10, 0)));
        // WHEN a later batch upserts d3 with the opposite vector and deletes d5
        float[] moved = vector(8, 3);
        for (int i = 0; i < moved.length; i++) {
            moved[i] = -moved[i];
        }
        ingest("ingest/acme/" + c + "/2.jsonl", lines(List.of(
                line("d3", moved, Map.of("n", 33)), "{\"id\":\"d5\",\"delete\":true}")));
        // THEN d3 has only its new vector, d5 is gone, the rest are intact
        Map<String, float[]> visible = ShardContents.visible(fx, "acme", c);
        assertThat(visible).hasSize(9).doesNotContainKey("d5");
        assertThat(visible.get("d3")).containsExactly(moved, org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(ShardContents.nearest(fx, "acme", c, vector(8, 3))).isNotEqualTo("d3");
        assertThat(ShardContents.nearest(fx, "acme", c, moved)).isEqualTo("d3");
        BatchRecord second = fx.catalog.findBatch("acme", c,
                IngestObject.parse(IngestFixture.BUCKET, "ingest/acme/" + c + "/2.jsonl",
                        fx.store.head("ingest/acme/" + c + "/2.jsonl").eTag()).batchId()).orElseThrow();
        assertThat(second.deleted()).isEqualTo(1);
        assertThat(second.accepted()).isEqualTo(2);
    }

    @Test
    void lastLineForAnIdWinsWithinABatch() {
        String c = newCollection(1);
        float[] last = vector(8, 77);
        ingest("ingest/acme/" + c + "/a.jsonl", lines(List.of(
                line("x", vector(8, 1), null), line("y", vector(8, 2), null),
                "{\"id\":\"y\",\"delete\":true}", line("x", last, null))));
        Map<String, float[]> visible = ShardContents.visible(fx, "acme", c);
        assertThat(visible).containsOnlyKeys("x");
        assertThat(visible.get("x")).containsExactly(last, org.assertj.core.data.Offset.offset(1e-6f));
    }

    @Test
    void malformedLinesAreReportedAndTheRestApplies() throws Exception {
        // GIVEN an object with two good lines and three bad ones
        String c = newCollection(1);
        String key = "ingest/acme/" + c + "/mixed.jsonl";
        BatchRecord batch = ingest(key, lines(List.of(
                line("ok1", vector(8, 1), null),
                "{not json",
                "{\"id\":\"short\",\"vector\":[1,2]}",
                line("ok2", vector(8, 2), null),
                "{\"id\":\"u\",\"vector\":[1,2,3,4,5,6,7,8],\"colour\":\"red\"}")));
        // THEN the good lines apply and each bad one is reported with its line, id and reason
        assertThat(batch.status()).isEqualTo(BatchStatus.APPLIED);
        assertThat(batch.accepted()).isEqualTo(2);
        assertThat(batch.rejectedCount()).isEqualTo(3);
        List<BatchRecord.Reject> expected = List.of(
                new BatchRecord.Reject(2, null, "line is not valid JSON (column 2)"),
                new BatchRecord.Reject(3, "short", "vector has 2 values; collection '" + c + "' has dimension 8"),
                new BatchRecord.Reject(5, "u", "unknown field 'colour'; allowed fields are id, vector, text, metadata, delete"));
        assertThat(batch.rejected()).isEqualTo(expected);
        assertThat(batch.rejectsKey()).isEqualTo("rejects/acme/" + c + "/" + batch.batchId() + ".jsonl");
        try (InputStream report = fx.store.open(batch.rejectsKey())) {
            List<String> reportLines = new String(report.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            assertThat(reportLines).hasSize(3);
            assertThat(new ObjectMapper().readTree(reportLines.get(1)).get("reason").asText())
                    .isEqualTo("vector has 2 values; collection '" + c + "' has dimension 8");
        }
        assertThat(ShardContents.visible(fx, "acme", c)).containsOnlyKeys("ok1", "ok2");
    }

    @Test
    void gzipObjectIsIngested() {
        String c = newCollection(2);
        BatchRecord batch = ingest("ingest/acme/" + c + "/a.jsonl.gz", lines(docs(0, 12, 0)));
        assertThat(batch.status()).isEqualTo(BatchStatus.APPLIED);
        assertThat(ShardContents.visible(fx, "acme", c)).hasSize(12);
    }

    @Test
    void unknownCollectionRejectsTheWholeBatchAndKeepsTheObject() {
        // GIVEN an object for a collection that does not exist
        String key = "ingest/acme/nosuch/a.jsonl";
        // WHEN it is ingested
        BatchRecord batch = ingest(key, lines(docs(0, 3, 0)));
        // THEN the batch is rejected with a message, recorded, reported, and the object is still there
        assertThat(batch.status()).isEqualTo(BatchStatus.REJECTED);
        assertThat(batch.message()).isEqualTo("collection 'nosuch' does not exist for tenant 'acme'");
        assertThat(fx.catalog.findBatch("acme", "nosuch", batch.batchId()))
                .hasValueSatisfying(b -> assertThat(b.status()).isEqualTo(BatchStatus.REJECTED));
        assertThat(fx.store.list(key)).containsExactly(key);
        assertThat(fx.store.list(batch.rejectsKey())).containsExactly(batch.rejectsKey());
        assertThat(fx.telemetryLines).anySatisfy(l -> assertThat(l)
                .contains("\"type\":\"audit\"", "\"batch\":\"" + batch.batchId() + "\"", "\"status\":\"rejected\""));
    }

    @Test
    void objectOverTheLineLimitIsRejectedWhole() {
        String c = newCollection(1);
        IngestPipeline limited = fx.pipeline(fx.config().withLimits(5, 1 << 20), null);
        String key = "ingest/acme/" + c + "/big.jsonl";
        String etag = fx.put(key, lines(docs(0, 6, 0)));
        BatchRecord batch = limited.ingest(IngestFixture.BUCKET, key, etag);
        assertThat(batch.status()).isEqualTo(BatchStatus.REJECTED);
        assertThat(batch.message()).isEqualTo("object has more than 5 lines; at most 5 are allowed per ingest object");
        assertThat(fx.catalog.getCollection("acme", c, true).version()).isZero();
    }

    @Test
    void auditRecordAndBuildMetricAreEmitted() {
        String c = newCollection(1);
        BatchRecord batch = ingest("ingest/acme/" + c + "/a.jsonl",
                lines(List.of(line("a", vector(8, 1), null), "{\"id\":\"b\",\"delete\":true}", "oops")));
        assertThat(fx.telemetryLines).anySatisfy(l -> assertThat(l).contains(
                "\"type\":\"audit\"", "\"tenant\":\"acme\"", "\"collection\":\"" + c + "\"", "\"keyId\":\"key-1\"",
                "\"batch\":\"" + batch.batchId() + "\"", "\"accepted\":2", "\"rejected\":1", "\"deleted\":1",
                "\"version\":1"));
        assertThat(fx.telemetryLines).anySatisfy(l -> assertThat(l).contains(
                "\"Namespace\":\"Strata\"", "\"Name\":\"index_build_duration_seconds\"", "\"shard\":\"acme/" + c + "/0\""));
    }

    @Test
    void twoConcurrentBatchesAreBothVisible() throws Exception {
        // GIVEN two objects for the same collection
        String c = newCollection(2);
        String k1 = "ingest/acme/" + c + "/1.jsonl";
        String k2 = "ingest/acme/" + c + "/2.jsonl";
        String e1 = fx.put(k1, lines(docs(0, 30, 0)));
        String e2 = fx.put(k2, lines(docs(30, 60, 0)));
        // WHEN they are ingested at the same time
        CompletableFuture<BatchRecord> first = CompletableFuture.supplyAsync(
                () -> pipeline.ingest(IngestFixture.BUCKET, k1, e1));
        BatchRecord b2 = pipeline.ingest(IngestFixture.BUCKET, k2, e2);
        BatchRecord b1 = first.get(60, TimeUnit.SECONDS);
        // THEN both are applied with distinct versions and all 60 documents are visible
        CollectionRecord after = fx.catalog.getCollection("acme", c, true);
        assertThat(after.version()).isEqualTo(2);
        assertThat(List.of(b1.status(), b2.status())).containsOnly(BatchStatus.APPLIED);
        assertThat(ShardContents.visible(fx, "acme", c)).hasSize(60);
    }
}
