package dev.strata.ingest;

import dev.strata.api.Sharding;
import dev.strata.catalog.BatchRecord;
import dev.strata.catalog.BatchStatus;
import dev.strata.catalog.CollectionRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.strata.ingest.IngestFixture.line;
import static dev.strata.ingest.IngestFixture.lines;
import static dev.strata.ingest.IngestFixture.vector;
import static org.assertj.core.api.Assertions.assertThat;

class CentroidIngestTest {

    private static IngestFixture fx;

    @BeforeAll
    static void start() {
        fx = IngestFixture.shared();
    }


    @Test
    void firstBatchTrainsCentroidsAndAMovedUpsertLeavesNoStaleRow() {
        // GIVEN a 4-shard centroid collection
        fx.createCollection("acme", "cen", 8, 4, Sharding.CENTROID, null);
        IngestPipeline pipeline = fx.pipeline();
        List<String> docs = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            docs.add(line("d" + i, vector(8, i), null));
        }
        // WHEN the first batch arrives, then d7 is upserted with a very different vector
        BatchRecord first = pipeline.ingest(IngestFixture.BUCKET, "ingest/acme/cen/1.jsonl",
                fx.put("ingest/acme/cen/1.jsonl", lines(docs)));
        float[] moved = vector(8, 5000);
        for (int i = 0; i < moved.length; i++) {
            moved[i] = -moved[i];
        }
        pipeline.ingest(IngestFixture.BUCKET, "ingest/acme/cen/2.jsonl",
                fx.put("ingest/acme/cen/2.jsonl", lines(List.of(line("d7", moved, Map.of("v", 2))))));
        // THEN the collection stores 4 centroids, and d7 is visible once with its new vector
        assertThat(first.status()).isEqualTo(BatchStatus.APPLIED);
        CollectionRecord c = fx.catalog.getCollection("acme", "cen", true);
        assertThat(c.centroids()).hasSize(4);
        Map<String, float[]> visible = ShardContents.visible(fx, "acme", "cen");
        assertThat(visible).hasSize(60);
        assertThat(visible.get("d7")).containsExactly(moved, org.assertj.core.data.Offset.offset(1e-6f));
    }

    @Test
    void firstBatchSmallerThanTheCentroidCountIsRejectedWhole() {
        fx.createCollection("acme", "cen2", 8, 4, Sharding.CENTROID, null);
        BatchRecord batch = fx.pipeline().ingest(IngestFixture.BUCKET, "ingest/acme/cen2/1.jsonl",
                fx.put("ingest/acme/cen2/1.jsonl", lines(List.of(line("a", vector(8, 1), null)))));
        assertThat(batch.status()).isEqualTo(BatchStatus.REJECTED);
        assertThat(batch.message()).isEqualTo("the first batch of centroid-sharded collection 'cen2' has 1 vectors; "
                + "at least 4 are needed to train its centroids");
    }
}
