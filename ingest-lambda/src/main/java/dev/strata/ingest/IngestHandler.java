package dev.strata.ingest;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.catalog.BatchRecord;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The ingest Lambda's handler ({@code dev.strata.ingest.IngestHandler::handleRequest}). Accepts S3 "object
 * created" notifications directly or wrapped in SQS messages (the CDK stack puts a queue with a dead-letter
 * queue between the bucket and the function), and calls {@link IngestPipeline#ingest} for each object.
 *
 * <p>SQS: answers {@code {"batchItemFailures":[{"itemIdentifier": messageId}]}} naming the messages to retry
 * (the function's event source mapping reports batch item failures), so one bad object does not redeliver the
 * others. Direct S3: a failure is thrown, and Lambda's asynchronous retries apply.
 *
 * <p>Thin by design: the no-argument constructor (run once per execution environment, before the SnapStart
 * snapshot) builds the clients from the environment through {@link IngestRuntime}; the other constructor takes
 * a ready pipeline (tests, local emulation). Thread-safe.
 */
public final class IngestHandler implements RequestStreamHandler {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final IngestPipeline pipeline;
    private final IngestTelemetry telemetry;

    /** Lambda entry: reads {@code STRATA_TABLE}, {@code STRATA_BUCKET}, region and model settings once. */
    public IngestHandler() {
        this(IngestRuntime.fromEnvironment(System.getenv()));
    }

    private IngestHandler(IngestRuntime runtime) {
        this(runtime.pipeline(), runtime.telemetry());
    }

    public IngestHandler(IngestPipeline pipeline, IngestTelemetry telemetry) {
        this.pipeline = pipeline;
        this.telemetry = telemetry;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode event = JSON.readTree(input);
        Object answer = ObjectCreatedEvents.isSqs(event) ? handleSqs(event) : handleS3(event);
        JSON.writeValue(output, answer);
    }

    private SQSBatchResponse handleSqs(JsonNode event) {
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        for (ObjectCreatedEvents.Message message : ObjectCreatedEvents.fromSqs(event, JSON)) {
            boolean failed = message.unreadable() != null;
            if (failed) {
                telemetry.event("ingest_failed", "SQS message " + message.messageId() + ": " + message.unreadable());
            }
            for (ObjectCreatedEvents.Created object : message.objects()) {
                try {
                    pipeline.ingest(object.bucket(), object.key(), object.versionOrEtag());
                } catch (RuntimeException e) {
                    failed = true;
                    telemetry.event("ingest_failed", "object " + object.key() + " (message " + message.messageId()
                            + "): " + e.getMessage());
                }
            }
            if (failed) {
                failures.add(new SQSBatchResponse.BatchItemFailure(message.messageId()));
            }
        }
        return new SQSBatchResponse(failures);
    }

    private ObjectNode handleS3(JsonNode event) {
        ObjectNode answer = JSON.createObjectNode();
        ArrayNode batches = answer.putArray("batches");
        for (ObjectCreatedEvents.Created object : ObjectCreatedEvents.fromS3(event)) {
            BatchRecord batch = pipeline.ingest(object.bucket(), object.key(), object.versionOrEtag());
            batches.addObject().put("batch", batch.batchId()).put("status", batch.status().name())
                    .put("version", batch.version());
        }
        return answer;
    }
}
