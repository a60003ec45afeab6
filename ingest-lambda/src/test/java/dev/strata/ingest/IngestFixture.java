package dev.strata.ingest;

import dev.strata.api.CollectionSpec;
import dev.strata.api.Metric;
import dev.strata.api.Sharding;
import dev.strata.catalog.CatalogSchema;
import dev.strata.catalog.DynamoCatalog;
import dev.strata.embed.Embedder;
import dev.strata.emulator.EmbeddedDynamoDb;
import dev.strata.emulator.EmbeddedS3;
import dev.strata.store.S3SegmentStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.zip.GZIPOutputStream;

/**
 * DynamoDB Local and s3proxy in process, with catalog and store clients whose SDK calls can be failed on demand
 * ({@link FaultInjector}), a movable clock, and captured telemetry. The emulators take a while to start on a
 * busy machine, so the module's tests share one ({@link #shared()}, closed when the JVM exits); each test uses
 * its own collections.
 */
final class IngestFixture implements AutoCloseable {

    private static IngestFixture shared;

    /** The fixture shared by this module's tests. */
    static synchronized IngestFixture shared() {
        if (shared == null) {
            shared = new IngestFixture();
            IngestFixture fixture = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(fixture::close, "ingest-fixture-close"));
        }
        return shared;
    }

    static final String BUCKET = "strata-ingest-test";
    static final String TABLE = CatalogSchema.DEFAULT_TABLE_NAME;

    final EmbeddedDynamoDb dynamo = EmbeddedDynamoDb.start();
    final EmbeddedS3 s3 = EmbeddedS3.start();
    final FaultInjector dynamoFaults = new FaultInjector();
    final FaultInjector s3Faults = new FaultInjector();
    final MutableClock clock = new MutableClock(Instant.now());
    final ConcurrentLinkedQueue<String> telemetryLines = new ConcurrentLinkedQueue<>();
    final IngestTelemetry telemetry = new IngestTelemetry(telemetryLines::add, clock);
    final DynamoDbClient dynamoClient;
    final S3Client s3Client;
    final DynamoCatalog catalog;
    final S3SegmentStore store;
    final Path workDir;

    IngestFixture() {
        DynamoDbClient admin = dynamo.client();
        admin.createTable(CatalogSchema.createTableRequest(TABLE));
        s3.createBucket(BUCKET);
        dynamoClient = DynamoDbClient.builder()
                .endpointOverride(dynamo.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.addExecutionInterceptor(dynamoFaults))
                .build();
        s3Client = S3Client.builder()
                .endpointOverride(s3.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(EmbeddedS3.ACCESS_KEY, EmbeddedS3.SECRET_KEY)))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.addExecutionInterceptor(s3Faults))
                .build();
        catalog = new DynamoCatalog(DynamoDbEnhancedClient.builder().dynamoDbClient(dynamoClient).build(), TABLE,
                clock, Duration.ofDays(1));
        store = new S3SegmentStore(s3Client, BUCKET);
        try {
            workDir = Files.createTempDirectory("strata-ingest-work");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    IngestConfig config() {
        return IngestConfig.defaults(workDir).withCompaction(1000, 10_000, 0.99, false);
    }

    IngestPipeline pipeline(IngestConfig config, Embedder embedder) {
        return new IngestPipeline(catalog, store, embedder, telemetry, config, clock);
    }

    IngestPipeline pipeline() {
        return pipeline(config(), null);
    }

    void createCollection(String tenant, String name, int dimension, int shards, Sharding sharding, String embedding) {
        catalog.createCollection(tenant, name,
                new CollectionSpec(dimension, Metric.COSINE, shards, 1, sharding, embedding, null, 0), "local");
    }

    /** Puts an ingest object and returns its ETag (what the S3 event would carry). */
    String put(String key, String content) {
        byte[] bytes = key.endsWith(".gz") ? gzip(content) : content.getBytes(StandardCharsets.UTF_8);
        store.put(key, bytes, "application/x-ndjson", Map.of(IngestPipeline.KEY_ID_METADATA, "key-1"));
        return store.head(key).eTag();
    }

    static byte[] gzip(String content) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(content.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** A JSONL line of a vector document. */
    static String line(String id, float[] vector, Map<String, Object> metadata) {
        StringBuilder sb = new StringBuilder("{\"id\":\"").append(id).append("\",\"vector\":[");
        for (int i = 0; i < vector.length; i++) {
            sb.append(i == 0 ? "" : ",").append(vector[i]);
        }
        sb.append(']');
        if (metadata != null && !metadata.isEmpty()) {
            sb.append(",\"metadata\":{");
            boolean first = true;
            for (Map.Entry<String, Object> e : metadata.entrySet()) {
                sb.append(first ? "" : ",").append('"').append(e.getKey()).append("\":");
                sb.append(e.getValue() instanceof String s ? "\"" + s + "\"" : String.valueOf(e.getValue()));
                first = false;
            }
            sb.append('}');
        }
        return sb.append('}').toString();
    }

    /** A deterministic pseudo-random unit vector per seed. */
    static float[] vector(int dimension, long seed) {
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        float[] v = new float[dimension];
        double norm = 0;
        for (int i = 0; i < dimension; i++) {
            v[i] = (float) random.nextGaussian();
            norm += v[i] * v[i];
        }
        for (int i = 0; i < dimension; i++) {
            v[i] /= (float) Math.sqrt(norm);
        }
        return v;
    }

    static String lines(List<String> lines) {
        return String.join("\n", lines) + "\n";
    }

    @Override
    public void close() {
        dynamoClient.close();
        s3Client.close();
        s3.close();
        dynamo.close();
        SegmentBuilder.deleteTree(workDir);
    }
}
