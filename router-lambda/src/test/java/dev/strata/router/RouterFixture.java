package dev.strata.router;

import dev.strata.catalog.CatalogSchema;
import dev.strata.catalog.DynamoCatalog;
import dev.strata.embed.Embedder;
import dev.strata.emulator.EmbeddedDynamoDb;
import dev.strata.emulator.EmbeddedS3;
import dev.strata.store.S3SegmentStore;
import io.micronaut.context.ApplicationContext;
import io.micronaut.function.aws.proxy.payload2.APIGatewayV2HTTPEventFunction;
import io.micronaut.runtime.server.EmbeddedServer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A router over real parts for tests: DynamoDB Local (catalog), the in-process S3 server (store), a fleet of
 * in-process shard nodes, and the application context behind both entry points: the Lambda handler
 * ({@link #lambda()}) and, when asked, the Netty server ({@link #http()}). Closed after the test class.
 */
final class RouterFixture implements AutoCloseable {

    static final String ADMIN_KEY = "sk_test_admin_acme";
    static final String TENANT = "acme";
    static final String BUCKET = "strata-test";
    private static final AtomicInteger TABLES = new AtomicInteger();

    final EmbeddedDynamoDb dynamo;
    final EmbeddedS3 s3;
    final DynamoCatalog catalog;
    final S3SegmentStore store;
    final ShardFleet fleet;
    /** The catalog table's name in DynamoDB Local (for shard services in other processes). */
    final String table;
    final ApplicationContext context;
    private final APIGatewayV2HTTPEventFunction function;
    private EmbeddedServer server;

    private RouterFixture(Map<String, Object> overrides, Embedder embedder, boolean lambdaEnvironment) {
        this(overrides, embedder, lambdaEnvironment, false);
    }

    private RouterFixture(Map<String, Object> overrides, Embedder embedder, boolean lambdaEnvironment,
                          boolean httpShards) {
        long t0 = System.nanoTime();
        dynamo = EmbeddedDynamoDb.start();
        long t1 = System.nanoTime();
        s3 = EmbeddedS3.start();
        long t2 = System.nanoTime();
        s3.createBucket(BUCKET);
        DynamoDbClient client = dynamo.client();
        table = CatalogSchema.DEFAULT_TABLE_NAME + "-" + TABLES.incrementAndGet();
        client.createTable(CatalogSchema.createTableRequest(table));
        catalog = DynamoCatalog.of(client, table);
        store = new S3SegmentStore(s3.client(), BUCKET);
        fleet = new ShardFleet(catalog);
        var builder = RouterApp.context(properties(overrides), catalog, store, embedder,
                httpShards ? null : fleet.client());
        if (lambdaEnvironment) {
            builder.environments("function", "lambda");
        }
        context = builder.start();
        function = new APIGatewayV2HTTPEventFunction(context);
        System.out.printf("fixture: dynamo %d ms, s3 %d ms, context+function %d ms%n", (t1 - t0) / 1_000_000,
                (t2 - t1) / 1_000_000, (System.nanoTime() - t2) / 1_000_000);
    }

    private static Map<String, Object> properties(Map<String, Object> overrides) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("micronaut.server.port", -1);
        properties.put("micronaut.server.host", "127.0.0.1");
        properties.put("strata.router.region", ShardFleet.REGION);
        properties.put("strata.router.node-cache-ttl", "0s");
        properties.put("strata.router.collection-cache-ttl", "0s");
        properties.put("strata.tracing.batch", "false");
        properties.put("strata.bootstrap.api-key", ADMIN_KEY);
        properties.put("strata.bootstrap.tenant", TENANT);
        properties.putAll(overrides);
        return properties;
    }

    /**
     * Another router over this fixture's catalog and store, with its own configuration (e.g. another region), that
     * calls shard nodes over HTTP(S) with the production client; {@code singletons} are extra beans (e.g. an SDK
     * client). The caller closes it.
     */
    Router router(Map<String, Object> overrides, Object... singletons) {
        return new Router(RouterApp.context(properties(overrides), catalog, store, null, null)
                .singletons(singletons).start());
    }

    /** A router started by {@link #router}: its context and its Lambda entry point. */
    static final class Router implements AutoCloseable {
        final ApplicationContext context;
        private final APIGatewayV2HTTPEventFunction function;

        Router(ApplicationContext context) {
            this.context = context;
            this.function = new APIGatewayV2HTTPEventFunction(context);
        }

        Api api() {
            return new LambdaApi(function);
        }

        @Override
        public void close() {
            context.close();
        }
    }

    private static RouterFixture shared;

    /**
     * The fixture shared by the API test classes of this JVM (starting the emulators and the context costs tens of
     * seconds on a loaded machine): three in-process nodes, a toy embedder for model {@code toy-8}, short waits.
     * Left running until the test JVM exits (all of it is in this process).
     */
    static synchronized RouterFixture shared() {
        if (shared == null) {
            shared = new RouterFixture(Map.of("strata.router.fresh-wait", "300ms",
                    "strata.router.shard-timeout", "300ms",
                    "strata.router.breaker-open-for", "100ms",
                    "strata.router.rate-limit-per-second", "100",
                    "strata.router.rate-limit-burst", "200"), new HashEmbedder("toy-8", 8), false);
            for (int i = 1; i <= 3; i++) {
                shared.fleet.addNode("node-" + i);
            }
        }
        return shared;
    }

    static RouterFixture start(Map<String, Object> overrides, Embedder embedder) {
        return new RouterFixture(overrides, embedder, false);
    }

    /** With the {@code lambda} environment active, as on AWS (EMF metrics, SnapStart priming bean). */
    static RouterFixture startAsLambda(Map<String, Object> overrides) {
        return new RouterFixture(overrides, null, true);
    }

    /**
     * The router with its own HTTP(S) shard client (the production one): nodes are added with
     * {@code fleet.addNode(id, endpoint)} and served by {@link ShardNodeServer}s. {@code lambdaEnvironment} as in
     * {@link #startAsLambda}.
     */
    static RouterFixture startWithHttpShards(Map<String, Object> overrides, boolean lambdaEnvironment) {
        return new RouterFixture(overrides, null, lambdaEnvironment, true);
    }

    /** Calls through the Lambda handler. */
    Api lambda() {
        return new LambdaApi(function);
    }

    /** Calls over HTTP; starts the Netty server on a free loopback port on first use. */
    synchronized Api http() {
        if (server == null) {
            server = context.getBean(EmbeddedServer.class);
            server.start();
        }
        return new HttpApi(server.getURI());
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop();
        }
        context.close();
        s3.close();
        dynamo.close();
    }
}
