package dev.strata.ingest;

import dev.strata.api.Sharding;
import dev.strata.api.StrataException;
import dev.strata.catalog.BatchRecord;
import dev.strata.catalog.BatchStatus;
import dev.strata.catalog.SegmentRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.strata.ingest.IngestFixture.line;
import static dev.strata.ingest.IngestFixture.lines;
import static dev.strata.ingest.IngestFixture.vector;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Injected S3 and DynamoDB failures in the middle of the pipeline: nothing half-visible, nothing lost. */
class IngestFaultsTest {

    private static IngestFixture fx;
    private static IngestPipeline pipeline;

    @BeforeAll
    static void start() {
        fx = IngestFixture.shared();
        pipeline = fx.pipeline();
    }


    @AfterEach
    void disarm() {
        fx.s3Faults.disarm();
        fx.dynamoFaults.disarm();
    }

    private static List<String> docs(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(line("d" + i, vector(8, i), Map.of("n", i)));
        }
        return out;
    }

    @Test
    void s3FailureDuringUploadLeavesNothingVisibleAndTheBatchReRunnable() {
        // GIVEN a collection and an object, and S3 failing the 3rd PutObject (inside the segment uploads)
        fx.createCollection("acme", "s3fail", 8, 2, Sharding.HASH, null);
        String key = "ingest/acme/s3fail/a.jsonl";
        String etag = fx.put(key, lines(docs(20)));
        fx.s3Faults.arm("PutObject", 3);
        // WHEN the object is ingested
        assertThatThrownBy(() -> pipeline.ingest(IngestFixture.BUCKET, key, etag))
                .isInstanceOfSatisfying(StrataException.Unavailable.class,
                        e -> assertThat(e.code()).isEqualTo("store_unavailable"))
                .hasMessageContaining("injected fault");
        // THEN nothing is visible and the batch is pending
        assertThat(fx.s3Faults.injected()).isEqualTo(1);
        assertThat(fx.catalog.getCollection("acme", "s3fail", true).version()).isZero();
        String batchId = IngestObject.parse(IngestFixture.BUCKET, key, etag).batchId();
        assertThat(fx.catalog.findBatch("acme", "s3fail", batchId))
                .hasValueSatisfying(b -> assertThat(b.status()).isEqualTo(BatchStatus.PENDING));
        // AND the redelivered event applies everything
        BatchRecord applied = pipeline.ingest(IngestFixture.BUCKET, key, etag);
        assertThat(applied.status()).isEqualTo(BatchStatus.APPLIED);
        assertThat(applied.version()).isEqualTo(1);
        assertThat(ShardContents.visible(fx, "acme", "s3fail")).hasSize(20);
        // AND the failed attempt's objects are orphans the sweeper deletes after the grace period only
        List<String> referenced = fx.catalog.getShards("acme", "s3fail", true).stream()
                .flatMap(s -> s.segments().stream()).map(SegmentRef::key).toList();
        List<String> orphans = fx.store.list("segments/acme/s3fail/").stream()
                .map(k -> k.substring(0, k.lastIndexOf('/') + 1)).distinct()
                .filter(p -> !referenced.contains(p)).toList();
        assertThat(orphans).isNotEmpty();
        OrphanSweeper sweeper = new OrphanSweeper(fx.catalog, fx.store, fx.telemetry, fx.clock, Duration.ofHours(1));
        assertThat(sweeper.sweep()).doesNotContainAnyElementsOf(orphans);
        fx.clock.advance(Duration.ofHours(2));
        List<String> swept = sweeper.sweep();
        assertThat(swept).containsAll(orphans).doesNotContainAnyElementsOf(referenced);
        for (String prefix : referenced) {
            assertThat(fx.store.list(prefix)).isNotEmpty();
        }
        assertThat(ShardContents.visible(fx, "acme", "s3fail")).hasSize(20);
    }

    @Test
    void dynamoFailureAtCommitLeavesNothingVisibleAndTheBatchReRunnable() {
        // GIVEN DynamoDB failing the commit transaction
        fx.createCollection("acme", "ddbfail", 8, 2, Sharding.HASH, null);
        String key = "ingest/acme/ddbfail/a.jsonl";
        String etag = fx.put(key, lines(docs(15)));
        fx.dynamoFaults.arm("TransactWriteItems", 1);
        // WHEN the object is ingested
        assertThatThrownBy(() -> pipeline.ingest(IngestFixture.BUCKET, key, etag))
                .isInstanceOfSatisfying(StrataException.Unavailable.class,
                        e -> assertThat(e.code()).isEqualTo("catalog_unavailable"));
        // THEN the collection is untouched and a redelivery applies the batch once
        assertThat(fx.catalog.getCollection("acme", "ddbfail", true).version()).isZero();
        assertThat(fx.catalog.getShards("acme", "ddbfail", true)).allSatisfy(s -> assertThat(s.segments()).isEmpty());
        BatchRecord applied = pipeline.ingest(IngestFixture.BUCKET, key, etag);
        assertThat(applied.status()).isEqualTo(BatchStatus.APPLIED);
        assertThat(ShardContents.visible(fx, "acme", "ddbfail")).hasSize(15);
        assertThat(pipeline.ingest(IngestFixture.BUCKET, key, etag).version()).isEqualTo(1);
    }

    @Test
    void dynamoFailureReadingTheCollectionLeavesTheBatchPending() {
        fx.createCollection("acme", "ddbread", 8, 1, Sharding.HASH, null);
        String key = "ingest/acme/ddbread/a.jsonl";
        String etag = fx.put(key, lines(docs(5)));
        fx.dynamoFaults.arm("GetItem", 1);
        assertThatThrownBy(() -> pipeline.ingest(IngestFixture.BUCKET, key, etag))
                .isInstanceOf(StrataException.Unavailable.class);
        fx.dynamoFaults.disarm();
        assertThat(pipeline.ingest(IngestFixture.BUCKET, key, etag).status()).isEqualTo(BatchStatus.APPLIED);
        assertThat(ShardContents.visible(fx, "acme", "ddbread")).hasSize(5);
    }
}
