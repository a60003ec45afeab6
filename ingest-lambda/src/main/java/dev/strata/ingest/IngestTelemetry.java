package dev.strata.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.catalog.BatchRecord;
import dev.strata.metrics.MetricNames;

import java.time.Clock;
import java.util.function.Consumer;

/**
 * The ingest Lambda's structured output, one JSON object per line (CloudWatch Logs keeps each as an event):
 * <ul>
 *   <li>an audit record per batch: {@code {"type":"audit","tenant","collection","keyId","batch","object",
 *       "status","accepted","rejected","deleted","version","message"}};</li>
 *   <li>{@value MetricNames#INDEX_BUILD_DURATION} per built segment as a CloudWatch Embedded Metric Format line
 *       in namespace {@value MetricNames#CLOUDWATCH_NAMESPACE}, dimension {@code shard} ({@code tenant/collection/i}).</li>
 * </ul>
 * Thread-safe when the sink is (the default writes whole lines to standard output).
 */
public final class IngestTelemetry {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Consumer<String> sink;
    private final Clock clock;

    public IngestTelemetry(Consumer<String> sink, Clock clock) {
        this.sink = sink;
        this.clock = clock;
    }

    /** Telemetry to standard output (the Lambda runtime ships it to CloudWatch Logs). */
    public static IngestTelemetry stdout(Clock clock) {
        return new IngestTelemetry(System.out::println, clock);
    }

    /** Writes the audit record of a batch; {@code keyId} is null when the object does not name its API key. */
    public void audit(BatchRecord batch, String keyId) {
        ObjectNode line = JSON.createObjectNode()
                .put("type", "audit")
                .put("time", clock.instant().toString())
                .put("tenant", batch.tenant())
                .put("collection", batch.collection())
                .put("keyId", keyId)
                .put("batch", batch.batchId())
                .put("object", batch.objectKey())
                .put("status", batch.status().name().toLowerCase(java.util.Locale.ROOT))
                .put("accepted", batch.accepted())
                .put("rejected", batch.rejectedCount())
                .put("deleted", batch.deleted())
                .put("version", batch.version());
        if (batch.message() != null) {
            line.put("message", batch.message());
        }
        sink.accept(line.toString());
    }

    /** Writes an event that is not a batch (an unparseable key, a sweep, a compaction). */
    public void event(String type, String message) {
        sink.accept(JSON.createObjectNode()
                .put("type", type)
                .put("time", clock.instant().toString())
                .put("message", message)
                .toString());
    }

    /** Emits {@value MetricNames#INDEX_BUILD_DURATION} for one segment build, in Embedded Metric Format. */
    public void buildDuration(String tenant, String collection, int shard, double seconds, int rows) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode aws = root.putObject("_aws");
        aws.put("Timestamp", clock.millis());
        ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
        directive.put("Namespace", MetricNames.CLOUDWATCH_NAMESPACE);
        directive.putArray("Dimensions").addArray().add("shard");
        directive.putArray("Metrics").addObject()
                .put("Name", MetricNames.INDEX_BUILD_DURATION)
                .put("Unit", "Seconds");
        root.put("shard", tenant + "/" + collection + "/" + shard);
        root.put(MetricNames.INDEX_BUILD_DURATION, seconds);
        root.put("rows", rows);
        sink.accept(root.toString());
    }
}
