package dev.strata.local.notify;

import dev.strata.emulator.EmbeddedS3;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

class IngestNotifierTest {
    private static final AtomicInteger BUCKETS = new AtomicInteger();
    private static EmbeddedS3 s3;
    private static S3Client client;
    private String bucket;

    @BeforeAll
    static void start() {
        s3 = EmbeddedS3.start();
        client = s3.client();
    }

    @AfterAll
    static void stop() {
        s3.close();
    }

    @BeforeEach
    void freshBucket() {
        bucket = "notify-test-" + BUCKETS.incrementAndGet();
        s3.createBucket(bucket);
    }

    @Test
    void newObjectsUnderIngestAreDeliveredOnceEachAndOthersIgnored() throws Exception {
        // GIVEN a notifier over the bucket
        List<ObjectCreated> events = new CopyOnWriteArrayList<>();
        try (IngestNotifier notifier = IngestNotifier.start(client, bucket, Duration.ofMillis(20), events::add)) {
            // WHEN two ingest objects and one segment object are written
            put("ingest/t/c/a.jsonl", "{\"id\":\"a\"}");
            put("ingest/t/c/b.jsonl", "{\"id\":\"b\"}");
            put("segments/t/c/0/x/data", "zz");
            awaitTrue(() -> events.size() >= 2);
            Thread.sleep(100);
            // THEN exactly the ingest objects are delivered, once, with their ETag and size
            assertThat(events).extracting(ObjectCreated::key)
                    .containsExactlyInAnyOrder("ingest/t/c/a.jsonl", "ingest/t/c/b.jsonl");
            assertThat(events).allSatisfy(e -> {
                assertThat(e.bucket()).isEqualTo(bucket);
                assertThat(e.etag()).doesNotContain("\"").isNotBlank();
                assertThat(e.size()).isEqualTo(10);
            });
            assertThat(notifier.delivered()).isEqualTo(2);
        }
    }

    @Test
    void anOverwrittenKeyIsDeliveredAgain() throws Exception {
        List<ObjectCreated> events = new CopyOnWriteArrayList<>();
        try (IngestNotifier ignored = IngestNotifier.start(client, bucket, Duration.ofMillis(20), events::add)) {
            // GIVEN a delivered object
            put("ingest/t/c/a.jsonl", "{\"id\":\"a\"}");
            awaitTrue(() -> events.size() == 1);
            // WHEN the same key is written with other content
            put("ingest/t/c/a.jsonl", "{\"id\":\"a2\"}");
            awaitTrue(() -> events.size() == 2);
            // THEN it is delivered again with the new ETag
            assertThat(events.get(0).etag()).isNotEqualTo(events.get(1).etag());
        }
    }

    @Test
    void aFailingHandlerIsReceivedFiveTimesThenGivenUp() throws Exception {
        // GIVEN a handler that fails twice then succeeds for one object, and always fails for another
        AtomicInteger calls = new AtomicInteger();
        try (IngestNotifier notifier = IngestNotifier.start(client, bucket, Duration.ofMillis(20), e -> {
            calls.incrementAndGet();
            if (e.key().endsWith("bad.jsonl") || calls.get() <= 2) {
                throw new IllegalStateException("injected failure");
            }
        })) {
            // WHEN the good object arrives, then the bad one
            put("ingest/t/c/good.jsonl", "1");
            awaitTrue(() -> notifier.delivered() == 1);
            put("ingest/t/c/bad.jsonl", "2");
            awaitTrue(() -> notifier.failed().size() == 1);
            // THEN the good one succeeded on its third attempt and the bad one was given up after five, as SQS redrives
            assertThat(calls.get()).isEqualTo(8);
            assertThat(notifier.failed()).extracting(ObjectCreated::key).containsExactly("ingest/t/c/bad.jsonl");
        }
    }

    @Test
    void objectsPresentAtStartAreDelivered() throws Exception {
        // GIVEN an object uploaded while no notifier ran
        put("ingest/t/c/early.jsonl", "{}");
        List<ObjectCreated> events = new CopyOnWriteArrayList<>();
        // WHEN a notifier starts
        try (IngestNotifier ignored = IngestNotifier.start(client, bucket, Duration.ofMillis(20), events::add)) {
            awaitTrue(() -> events.size() == 1);
        }
        // THEN it was delivered
        assertThat(events.get(0).key()).isEqualTo("ingest/t/c/early.jsonl");
    }

    private void put(String key, String body) {
        client.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(body));
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 10 s").isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
