package dev.strata.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.api.Sharding;
import dev.strata.catalog.BatchStatus;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static dev.strata.ingest.IngestFixture.line;
import static dev.strata.ingest.IngestFixture.lines;
import static dev.strata.ingest.IngestFixture.vector;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IngestHandlerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static IngestFixture fx;
    private static IngestHandler handler;

    @BeforeAll
    static void start() {
        fx = IngestFixture.shared();
        handler = new IngestHandler(fx.pipeline(), fx.telemetry);
        fx.createCollection("acme", "docs", 8, 2, Sharding.HASH, null);
    }


    /** An S3 "ObjectCreated:Put" notification as S3 sends it (key URL-encoded). */
    static ObjectNode s3Event(String key, String etag) {
        ObjectNode event = JSON.createObjectNode();
        ObjectNode record = event.putArray("Records").addObject();
        record.put("eventVersion", "2.1").put("eventSource", "aws:s3").put("awsRegion", "us-east-1")
                .put("eventName", "ObjectCreated:Put");
        ObjectNode s3 = record.putObject("s3");
        s3.putObject("bucket").put("name", IngestFixture.BUCKET);
        s3.putObject("object").put("key", URLEncoder.encode(key, StandardCharsets.UTF_8).replace("%2F", "/"))
                .put("eTag", etag).put("size", 10);
        return event;
    }

    static ObjectNode sqsEvent(Map<String, String> bodiesById) {
        ObjectNode event = JSON.createObjectNode();
        var records = event.putArray("Records");
        bodiesById.forEach((id, body) -> records.addObject().put("messageId", id).put("eventSource", "aws:sqs")
                .put("body", body));
        return event;
    }

    private static JsonNode invoke(JsonNode event) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(JSON.writeValueAsBytes(event)), out, null);
        return JSON.readTree(out.toByteArray());
    }

    @Test
    void sqsWrappedEventIsIngestedAndBadMessagesAreReportedForRetry() throws Exception {
        // GIVEN an SQS event with one good S3 notification, one for a bad key and one unreadable body
        String key = "ingest/acme/docs/with space.jsonl";
        String etag = fx.put(key, lines(List.of(line("a", vector(8, 1), null), line("b", vector(8, 2), null))));
        Map<String, String> bodies = new java.util.LinkedHashMap<>();
        bodies.put("m-good", s3Event(key, etag).toString());
        bodies.put("m-badkey", s3Event("ingest/acme/nocollectionpart.jsonl", "e").toString());
        bodies.put("m-garbage", "{{{");
        // WHEN the handler runs
        JsonNode answer = invoke(sqsEvent(bodies));
        // THEN the good object is applied and only the two bad messages are returned as failures
        assertThat(answer.get("batchItemFailures")).extracting(n -> n.get("itemIdentifier").asText())
                .containsExactly("m-badkey", "m-garbage");
        String batchId = IngestObject.parse(IngestFixture.BUCKET, key, etag).batchId();
        assertThat(fx.catalog.findBatch("acme", "docs", batchId))
                .hasValueSatisfying(b -> assertThat(b.status()).isEqualTo(BatchStatus.APPLIED));
    }

    @Test
    void directS3EventIsIngested() throws Exception {
        String key = "ingest/acme/docs/direct.jsonl";
        String etag = fx.put(key, lines(List.of(line("z", vector(8, 9), null))));
        JsonNode answer = invoke(s3Event(key, etag));
        assertThat(answer.get("batches").get(0).get("status").asText()).isEqualTo("APPLIED");
    }

    @Test
    void directS3EventForABadKeyFailsTheInvocation() {
        assertThatThrownBy(() -> invoke(s3Event("ingest/acme/x.jsonl", "e")))
                .hasMessageContaining("does not match ingest/{tenant}/{collection}/{name}.jsonl[.gz]");
    }

    @Test
    void s3TestEventIsIgnored() throws Exception {
        JsonNode answer = invoke(sqsEvent(Map.of("m-test",
                "{\"Service\":\"Amazon S3\",\"Event\":\"s3:TestEvent\",\"Bucket\":\"b\"}")));
        assertThat(answer.get("batchItemFailures")).isEmpty();
    }
}
