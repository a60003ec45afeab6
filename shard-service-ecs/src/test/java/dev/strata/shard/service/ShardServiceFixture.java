package dev.strata.shard.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.api.CollectionSpec;
import dev.strata.api.Document;
import dev.strata.api.Metric;
import dev.strata.api.Sharding;
import dev.strata.catalog.Catalog;
import dev.strata.catalog.CatalogSchema;
import dev.strata.catalog.CollectionRecord;
import dev.strata.catalog.Commit;
import dev.strata.catalog.DynamoCatalog;
import dev.strata.catalog.SegmentRef;
import dev.strata.emulator.EmbeddedDynamoDb;
import dev.strata.emulator.EmbeddedS3;
import dev.strata.segment.SegmentManifest;
import dev.strata.segment.SegmentWriter;
import dev.strata.store.S3SegmentStore;
import dev.strata.store.SegmentStore;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * DynamoDB Local and an in-process S3 server for one test class, a fresh catalog table per {@link #newCatalog()},
 * segments written with the real segment writer, and an HTTP client. Closes everything it started.
 */
final class ShardServiceFixture implements AutoCloseable {

    static final String BUCKET = "strata-segments";
    static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger TABLES = new AtomicInteger();

    final EmbeddedDynamoDb dynamo = EmbeddedDynamoDb.start();
    final EmbeddedS3 s3 = EmbeddedS3.start();
    final SegmentStore store;
    final Path root;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final DynamoDbClient dynamoClient = dynamo.client();
    private final List<ShardNode> nodes = new ArrayList<>();

    private static ShardServiceFixture shared;

    /**
     * The emulators shared by every test class of this JVM (started once: they take seconds on a busy machine);
     * each test works in its own catalog table. Closed when the JVM exits.
     */
    static synchronized ShardServiceFixture shared() {
        if (shared == null) {
            shared = new ShardServiceFixture();
            ShardServiceFixture started = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "shard-test-fixture-close"));
        }
        return shared;
    }

    private ShardServiceFixture() {
        s3.createBucket(BUCKET);
        store = new S3SegmentStore(s3.client(), BUCKET);
        try {
            root = Files.createTempDirectory("strata-shard-test-");

        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A catalog over a new, empty table, so tests do not see each other's collections and nodes. */
    Catalog newCatalog() {
        String table = "catalog-" + TABLES.incrementAndGet();
        dynamoClient.createTable(CatalogSchema.createTableRequest(table));
        return DynamoCatalog.of(dynamoClient, table);
    }

    ShardNode startNode(String nodeId, Catalog catalog, SegmentStore segmentStore) {
        return startNode(ShardNodeConfig.local("test", nodeId, root.resolve(nodeId + "-" + UUID.randomUUID()))
                .withHeartbeat(Duration.ofMillis(250), Duration.ofSeconds(2)), catalog, segmentStore);
    }

    ShardNode startNode(ShardNodeConfig config, Catalog catalog, SegmentStore segmentStore) {
        return startNode(config, catalog, segmentStore, null);
    }

    /** A node that falls back to {@code home} for segment files its store does not hold (null: none). */
    ShardNode startNode(ShardNodeConfig config, Catalog catalog, SegmentStore segmentStore, HomeBucket home) {
        ShardNode node = ShardNode.start(config, catalog, segmentStore, home);
        synchronized (nodes) {
            nodes.add(node);
        }
        return node;
    }

    static CollectionSpec spec(int dimension, int shards, int replicas) {
        return new CollectionSpec(dimension, Metric.COSINE, shards, replicas, Sharding.HASH, null, null, 0)
                .withDefaults();
    }

    /** Random unit-ish vectors with ids {@code prefix-i} and metadata {@code {"n": i, "group": i % 2}}. */
    static List<Document> documents(String prefix, int count, int dimension, long seed) {
        Random random = new Random(seed);
        List<Document> docs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            float[] v = new float[dimension];
            for (int d = 0; d < dimension; d++) {
                v[d] = (float) random.nextGaussian();
            }
            docs.add(new Document(prefix + "-" + i, v, "text of " + prefix + "-" + i,
                    Map.of("n", i, "group", i % 2 == 0 ? "even" : "odd")));
        }
        return docs;
    }

    /** Writes a segment, uploads it, and returns its catalog entry (version filled in by the commit). */
    SegmentRef writeSegment(SegmentStore target, CollectionRecord collection, int shard, List<Document> rows,
                            List<String> tombstones) {
        String segmentId = "seg-" + UUID.randomUUID().toString().substring(0, 12);
        Path dir = root.resolve("build-" + segmentId);
        SegmentManifest manifest = SegmentWriter.write(dir, segmentId, collection.spec(), rows, tombstones);
        String key = "segments/" + collection.tenant() + "/" + collection.name() + "/" + shard + "/" + segmentId + "/";
        target.uploadDirectory(dir, key);
        return new SegmentRef(segmentId, key, 0, manifest.rows(), manifest.tombstones(), manifest.bytes(),
                manifest.checksum());
    }

    /** Commits segments to shards in one transaction and returns the collection at its new version. */
    static CollectionRecord commit(Catalog catalog, CollectionRecord collection, Map<Integer, List<SegmentRef>> added) {
        return catalog.commit(new Commit(collection.tenant(), collection.name(), collection.version(), added,
                Map.of(), null, added.values().stream().mapToLong(l -> l.stream().mapToLong(SegmentRef::rows).sum()).sum(),
                null));
    }

    HttpResponse<String> post(URI base, String path, Object body, String... headers) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : JSON.writeValueAsString(body)));
            for (int i = 0; i + 1 < headers.length; i += 2) {
                request.header(headers[i], headers[i + 1]);
            }
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<String> get(URI base, String path) {
        try {
            return http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String searchPath(CollectionRecord collection, int shard) {
        return "/internal/v1/shards/" + collection.tenant() + "/" + collection.name() + "/" + shard + "/search";
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + response.body(), e);
        }
    }

    /** Polls until the condition holds or the timeout passes; returns whether it held. */
    static boolean eventually(Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return condition.getAsBoolean();
    }

    void stopNodes() {
        synchronized (nodes) {
            for (ShardNode node : nodes) {
                try {
                    node.close();
                } catch (RuntimeException ignored) {
                    // already stopped by the test
                }
            }
            nodes.clear();
        }
    }

    @Override
    public void close() {
        stopNodes();
        http.close();
        s3.close();
        dynamo.close();
    }
}
