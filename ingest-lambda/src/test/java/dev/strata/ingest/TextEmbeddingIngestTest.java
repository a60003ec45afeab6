package dev.strata.ingest;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.strata.api.Sharding;
import dev.strata.api.StrataException;
import dev.strata.catalog.BatchRecord;
import dev.strata.catalog.BatchStatus;
import dev.strata.embed.Embedder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.strata.ingest.IngestFixture.lines;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Documents with text but no vector are embedded by the collection's model (the real all-MiniLM-L6-v2 here). */
class TextEmbeddingIngestTest {

    /** The in-process ONNX model behind the {@link Embedder} seam. */
    static final class MiniLm implements Embedder {
        private final AllMiniLmL6V2EmbeddingModel model = new AllMiniLmL6V2EmbeddingModel();

        @Override
        public String model() {
            return "all-minilm-l6-v2";
        }

        @Override
        public int dimension() {
            return 384;
        }

        @Override
        public List<float[]> embed(List<String> texts) {
            return model.embedAll(texts.stream().map(TextSegment::from).toList()).content().stream()
                    .map(e -> e.vector()).toList();
        }
    }

    private static IngestFixture fx;
    private static MiniLm miniLm;

    @BeforeAll
    static void start() {
        fx = IngestFixture.shared();
        miniLm = new MiniLm();
        fx.createCollection("acme", "texts", 384, 2, Sharding.HASH, "all-minilm-l6-v2");
    }


    @Test
    void textsAreEmbeddedAndFoundByTheirOwnEmbedding() {
        // GIVEN passages with text only
        String key = "ingest/acme/texts/a.jsonl";
        String etag = fx.put(key, lines(List.of(
                "{\"id\":\"ddb\",\"text\":\"DynamoDB transactions group writes across tables atomically.\"}",
                "{\"id\":\"s3\",\"text\":\"Amazon S3 stores objects in buckets with eleven nines of durability.\"}",
                "{\"id\":\"lambda\",\"text\":\"AWS Lambda runs code without provisioning servers.\"}")));
        // WHEN they are ingested with the model
        BatchRecord batch = fx.pipeline(fx.config(), miniLm).ingest(IngestFixture.BUCKET, key, etag);
        // THEN all apply, and a query about buckets finds the S3 passage
        assertThat(batch.status()).isEqualTo(BatchStatus.APPLIED);
        assertThat(ShardContents.visible(fx, "acme", "texts")).hasSize(3);
        assertThat(ShardContents.nearest(fx, "acme", "texts", miniLm.embed("where are S3 objects kept?")))
                .isEqualTo("s3");
    }

    @Test
    void textsWithoutAnEmbedderLeaveTheBatchPendingForRetry() {
        String key = "ingest/acme/texts/b.jsonl";
        String etag = fx.put(key, lines(List.of("{\"id\":\"x\",\"text\":\"hello\"}")));
        assertThatThrownBy(() -> fx.pipeline().ingest(IngestFixture.BUCKET, key, etag))
                .isInstanceOfSatisfying(StrataException.Unavailable.class,
                        e -> assertThat(e.code()).isEqualTo("embedder_unavailable"))
                .hasMessage("collection 'texts' embeds with model 'all-minilm-l6-v2' but this ingest has no embedder;"
                        + " 1 documents need embedding");
        assertThat(fx.catalog.findBatch("acme", "texts", IngestObject.parse(IngestFixture.BUCKET, key, etag).batchId()))
                .hasValueSatisfying(b -> assertThat(b.status()).isEqualTo(BatchStatus.PENDING));
    }
}
