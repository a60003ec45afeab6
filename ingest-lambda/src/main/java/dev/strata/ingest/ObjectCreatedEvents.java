package dev.strata.ingest;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads S3 "object created" notifications out of a Lambda event: a plain S3 event ({@code eventSource aws:s3})
 * or an SQS event whose message bodies are S3 events (S3 → SQS → Lambda). S3 URL-encodes keys in notifications
 * (space as '+'), so keys are decoded here. {@code s3:TestEvent} messages and non-create events yield nothing.
 * Stateless; thread-safe.
 */
final class ObjectCreatedEvents {

    /** One created object. */
    record Created(String bucket, String key, String versionOrEtag) {}

    /** One SQS message and the objects it announces. */
    record Message(String messageId, List<Created> objects, String unreadable) {}

    private ObjectCreatedEvents() {}

    static boolean isSqs(JsonNode event) {
        JsonNode records = event.path("Records");
        return records.isArray() && !records.isEmpty() && "aws:sqs".equals(records.get(0).path("eventSource").asText());
    }

    /** The objects of a plain S3 event. */
    static List<Created> fromS3(JsonNode event) {
        List<Created> out = new ArrayList<>();
        for (JsonNode record : event.path("Records")) {
            if (!"aws:s3".equals(record.path("eventSource").asText())
                    || !record.path("eventName").asText().startsWith("ObjectCreated")) {
                continue;
            }
            JsonNode s3 = record.path("s3");
            JsonNode object = s3.path("object");
            String version = object.hasNonNull("versionId") ? object.get("versionId").asText()
                    : object.path("eTag").asText("");
            out.add(new Created(s3.path("bucket").path("name").asText(),
                    URLDecoder.decode(object.path("key").asText(), StandardCharsets.UTF_8), version));
        }
        return out;
    }

    /** The messages of an SQS event, each with the objects its body announces. */
    static List<Message> fromSqs(JsonNode event, com.fasterxml.jackson.databind.ObjectMapper json) {
        List<Message> out = new ArrayList<>();
        for (JsonNode record : event.path("Records")) {
            String messageId = record.path("messageId").asText();
            try {
                JsonNode body = json.readTree(record.path("body").asText());
                out.add(new Message(messageId, fromS3(body), null));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                out.add(new Message(messageId, List.of(), "message body is not JSON: " + e.getOriginalMessage()));
            }
        }
        return out;
    }
}
