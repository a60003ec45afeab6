package dev.strata.local;

import dev.strata.catalog.ApiKeyRecord;
import dev.strata.catalog.Catalog;
import dev.strata.catalog.CatalogSchema;
import dev.strata.catalog.DynamoCatalog;
import dev.strata.emulator.EmbeddedDynamoDb;
import dev.strata.emulator.EmbeddedS3;
import dev.strata.local.chaos.FaultInjector;
import dev.strata.local.client.StrataHttpClient;
import dev.strata.local.embed.OnnxEmbedder;
import dev.strata.local.notify.IngestNotifier;
import dev.strata.local.notify.ObjectCreated;
import dev.strata.local.isolation.AppClassLoader;
import dev.strata.local.isolation.LocalRouter;
import dev.strata.local.isolation.LocalShardNode;
import dev.strata.store.S3SegmentStore;
import dev.strata.store.SegmentStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The whole Strata system in this JVM, wired as in AWS but on loopback ports: DynamoDB Local and s3proxy over a
 * data directory, the ingest pipeline fired by new objects under {@code ingest/} ({@link IngestNotifier}),
 * {@code nodes} shard-service nodes (each its own port and cache directory) and the router as a Netty server,
 * with the in-process ONNX embedder. Used by {@code strata-local up}, the end-to-end and chaos tests and the
 * end-to-end benchmark.
 *
 * <p>The ingest pipeline gets its own SDK clients whose HTTP layer goes through {@link #faults()}, so chaos tests
 * can make S3 and DynamoDB fail under ingest only, with the SDK's retries in play. Thread-safe; the creator closes it, which stops everything in reverse order.
 */
public final class LocalSystem implements AutoCloseable {
    public static final String TENANT = "local";
    public static final String REGION = "local";
    public static final String BUCKET = "strata-local";
    public static final String TABLE = CatalogSchema.DEFAULT_TABLE_NAME;

    /**
     * How to start.
     *
     * @param dataDir          kept across restarts
     * @param nodes            shard nodes
     * @param routerPort       0 = free port
     * @param apiKey           admin key of tenant {@link #TENANT}
     * @param routerProperties extra router properties (e.g. rate limits for load tests)
     * @param nodeHeartbeat    heartbeat interval and TTL of the nodes (how fast a dead node's shards move)
     * @param pollInterval     how often {@code ingest/} is listed
     */
    public record Config(Path dataDir, int nodes, int routerPort, String apiKey, Map<String, Object> routerProperties,
                         Duration nodeHeartbeat, Duration nodeTtl, Duration pollInterval) {
        public Config {
            routerProperties = Map.copyOf(routerProperties);
        }

        public static Config of(LocalOptions options) {
            // A laptop shares its cores with everything else: a shard call gets 1 s before it counts as failed.
            return new Config(options.dataDir(), options.nodes(), options.port(), options.apiKey(),
                    Map.of("strata.router.shard-timeout", "1s"),
                    Duration.ofMillis(500), Duration.ofSeconds(3), Duration.ofMillis(100));
        }

        /**
         * A throw-away system for tests: a fresh temporary directory, free ports, no rate limit to speak of, and
         * a 2 s shard-call timeout (CI machines run other builds beside the tests).
         */
        public static Config forTests(int nodes) {
            try {
                return new Config(Files.createTempDirectory("strata-local-test-"), nodes, 0, "test-admin-key-0001",
                        Map.of("strata.router.rate-limit-per-second", 100_000, "strata.router.rate-limit-burst", 100_000,
                                "strata.router.shard-timeout", "2s"),
                        Duration.ofMillis(300), Duration.ofMillis(1_500), Duration.ofMillis(50));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public Config withRouterProperties(Map<String, Object> extra) {
            Map<String, Object> merged = new HashMap<>(routerProperties);
            merged.putAll(extra);
            return new Config(dataDir, nodes, routerPort, apiKey, merged, nodeHeartbeat, nodeTtl, pollInterval);
        }
    }

    private final Config config;
    private final EmbeddedDynamoDb dynamo;
    private final EmbeddedS3 s3;
    private final Catalog catalog;
    private final SegmentStore store;
    private final OnnxEmbedder embedder;
    private final FaultInjector faults = new FaultInjector();
    private final IngestNotifier notifier;
    private final List<LocalShardNode> nodes = new ArrayList<>();
    private int nextNode;
    private LocalRouter router;
    private final AppClassLoader routerLoader;
    private final AppClassLoader nodeLoader;
    private final S3Client userS3;
    private DynamoDbClient ingestDynamo;
    private S3Client ingestS3;

    private LocalSystem(Config config) {
        this.config = config;
        Path dir = config.dataDir().toAbsolutePath();
        dynamo = EmbeddedDynamoDb.start(dir.resolve("dynamodb"), 0);
        s3 = EmbeddedS3.start(dir.resolve("s3"), 0);
        try {
            s3.createBucket(BUCKET);
            createTableIfAbsent(dynamo.client());
            catalog = DynamoCatalog.of(dynamo.client(), TABLE);
            store = new S3SegmentStore(s3.client(), BUCKET);
            embedder = new OnnxEmbedder();
            userS3 = s3.client();
            ingestDynamo = DynamoDbClient.builder().endpointOverride(dynamo.endpoint()).region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                    .httpClient(faults.wrap(UrlConnectionHttpClient.create(), FaultInjector.Service.DYNAMODB))
                    .build();
            ingestS3 = S3Client.builder().endpointOverride(s3.endpoint()).region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(
                            AwsBasicCredentials.create(EmbeddedS3.ACCESS_KEY, EmbeddedS3.SECRET_KEY)))
                    .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                    .httpClient(faults.wrap(UrlConnectionHttpClient.create(), FaultInjector.Service.S3))
                    .build();
            Consumer<ObjectCreated> ingest = IngestWiring.handler(DynamoCatalog.of(ingestDynamo, TABLE),
                    new S3SegmentStore(ingestS3, BUCKET), embedder, dir.resolve("ingest-work"));
            notifier = IngestNotifier.start(s3.client(), BUCKET, config.pollInterval(), ingest);
            List<Path> classPath = AppClassLoader.jvmClassPath();
            Path routerModule = AppClassLoader.moduleOf("dev/strata/router/RouterApp.class");
            Path nodeModule = AppClassLoader.moduleOf("dev/strata/shard/service/ShardNode.class");
            routerLoader = AppClassLoader.over("strata-router", classPath, List.of(nodeModule),
                    LocalSystem.class.getClassLoader());
            nodeLoader = AppClassLoader.over("strata-shard-service", classPath, List.of(routerModule),
                    LocalSystem.class.getClassLoader());
        } catch (RuntimeException e) {
            s3.close();
            dynamo.close();
            throw e;
        }
    }

    /** Starts everything; returns once the router listens (shards load in the background: see {@link #awaitReady}). */
    public static LocalSystem start(Config config) {
        LocalSystem system = new LocalSystem(config);
        try {
            for (int i = 0; i < config.nodes(); i++) {
                system.startNode();
            }
            system.startRouter(config.routerPort());
            return system;
        } catch (RuntimeException e) {
            system.close();
            throw e;
        }
    }

    /** Starts one more shard node (its cache under {@code <data dir>/nodes/node-N}). */
    public synchronized LocalShardNode startNode() {
        return startNode(Map.of());
    }

    /** Starts one more shard node with extra Micronaut properties (e.g. an advertised endpoint). */
    public synchronized LocalShardNode startNode(Map<String, Object> properties) {
        return startNode(REGION, properties);
    }

    /**
     * Starts one more shard node that heartbeats as a node of {@code region}: placement is computed per region,
     * so the nodes of another region hold their own replicas of every shard, as a second region's fleet does over
     * the global table (segments come from the same bucket, as after S3 replication).
     */
    public synchronized LocalShardNode startNode(String region, Map<String, Object> properties) {
        String id = "node-" + (nextNode++);
        LocalShardNode node = LocalShardNode.start(nodeLoader, region, id,
                config.dataDir().toAbsolutePath().resolve("nodes").resolve(id), config.nodeHeartbeat(),
                config.nodeTtl(), properties, catalog, store);
        nodes.add(node);
        return node;
    }

    /** Stops a node like a crash (no goodbye; its heartbeat expires), and forgets it. */
    public synchronized void killNode(LocalShardNode node) {
        nodes.remove(node);
        node.kill();
    }

    public synchronized List<LocalShardNode> nodes() {
        return List.copyOf(nodes);
    }

    private synchronized void startRouter(int port) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("micronaut.server.host", "127.0.0.1");
        properties.put("micronaut.server.port", port);
        properties.put("strata.router.region", REGION);
        properties.put("strata.bootstrap.api-key", config.apiKey());
        properties.put("strata.bootstrap.tenant", TENANT);
        properties.put("strata.bootstrap.role", "admin");
        properties.putAll(config.routerProperties());
        router = LocalRouter.start(routerLoader, properties, catalog, store, embedder);
    }

    /** Stops the router and starts a new one on the same port (it holds only caches). */
    public synchronized void restartRouter() {
        int port = router.port();
        router.close();
        startRouter(port);
    }

    /**
     * Waits until every node has loaded the shards placed on it and the router answers: {@code GET /health} 200
     * (or 404 where the router has no health endpoint; readiness then rests on the nodes' own).
     */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        StrataHttpClient client = client();
        while (System.nanoTime() < deadline) {
            boolean nodesReady = nodes().stream().allMatch(LocalShardNode::ready);
            if (nodesReady) {
                int health = client.send("GET", "/health", null).status();
                if (health == 200 || health == 404) {
                    return true;
                }
            }
            Thread.sleep(50);
        }
        return false;
    }

    public synchronized URI routerUri() {
        return URI.create("http://127.0.0.1:" + router.port());
    }

    /** A client of the public API with the admin key. */
    public StrataHttpClient client() {
        return new StrataHttpClient(routerUri(), config.apiKey());
    }

    /** An S3 client as a user holds one (no injected faults). */
    public S3Client s3() {
        return userS3;
    }

    public URI s3Endpoint() {
        return s3.endpoint();
    }

    public String bucket() {
        return BUCKET;
    }

    public String apiKey() {
        return config.apiKey();
    }

    public Config config() {
        return config;
    }

    /** The catalog, for provisioning keys in tests (tests query only through HTTP and S3). */
    public Catalog catalog() {
        return catalog;
    }

    public FaultInjector faults() {
        return faults;
    }

    public IngestNotifier notifier() {
        return notifier;
    }

    /** Creates an API key for {@code tenant} with {@code role} and returns it (only its hash is stored). */
    public String createApiKey(String tenant, ApiKeyRecord.Role role) {
        byte[] random = new byte[18];
        new SecureRandom().nextBytes(random);
        String key = "sk-" + HexFormat.of().formatHex(random);
        putApiKey(key, tenant, role);
        return key;
    }

    /** Stores {@code key} (hashed) for {@code tenant} with {@code role}. */
    public void putApiKey(String key, String tenant, ApiKeyRecord.Role role) {
        String hash = sha256(key);
        catalog.putApiKey(new ApiKeyRecord(hash, hash.substring(0, 12), tenant, role, Instant.now()));
    }

    @Override
    public synchronized void close() {
        List<RuntimeException> errors = new ArrayList<>();
        runQuietly(errors, () -> { if (router != null) router.close(); });
        runQuietly(errors, () -> { if (notifier != null) notifier.close(); });
        for (LocalShardNode node : nodes) {
            runQuietly(errors, node::close);
        }
        nodes.clear();
        runQuietly(errors, () -> { if (embedder != null) embedder.close(); });
        runQuietly(errors, () -> { if (ingestS3 != null) ingestS3.close(); });
        runQuietly(errors, () -> { if (ingestDynamo != null) ingestDynamo.close(); });
        runQuietly(errors, s3::close);
        runQuietly(errors, dynamo::close);
        runQuietly(errors, () -> closeLoader(routerLoader));
        runQuietly(errors, () -> closeLoader(nodeLoader));
        if (!errors.isEmpty()) {
            RuntimeException first = errors.get(0);
            errors.subList(1, errors.size()).forEach(first::addSuppressed);
            throw first;
        }
    }

    private static void closeLoader(AppClassLoader loader) {
        if (loader != null) {
            try {
                loader.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static void runQuietly(List<RuntimeException> errors, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            errors.add(e);
        }
    }

    private static void createTableIfAbsent(DynamoDbClient client) {
        try {
            client.describeTable(b -> b.tableName(TABLE));
        } catch (ResourceNotFoundException e) {
            client.createTable(CatalogSchema.createTableRequest(TABLE));
            client.waiter().waitUntilTableExists(b -> b.tableName(TABLE));
            client.updateTimeToLive(CatalogSchema.timeToLiveRequest(TABLE));
        }
    }

    static String sha256(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
