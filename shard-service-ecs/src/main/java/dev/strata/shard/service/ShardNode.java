package dev.strata.shard.service;

import dev.strata.catalog.Catalog;
import dev.strata.store.SegmentStore;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.PropertySource;
import io.micronaut.runtime.server.EmbeddedServer;

import java.util.HashMap;

/**
 * A shard-service node running inside the caller's JVM: the same Micronaut application as the container,
 * with the catalog and the segment store handed in instead of built from AWS settings. The local emulation and
 * the tests start several in one process:
 *
 * <pre>{@code
 * Catalog catalog = new DynamoCatalog(dynamoClient, table);          // DynamoDB Local
 * SegmentStore store = new S3SegmentStore(s3Client, bucket);         // in-process S3
 * List<ShardNode> nodes = List.of(
 *     ShardNode.start(ShardNodeConfig.local("local", "node-a", cacheRoot.resolve("a")), catalog, store),
 *     ShardNode.start(ShardNodeConfig.local("local", "node-b", cacheRoot.resolve("b")), catalog, store));
 * URI first = nodes.get(0).endpoint();                               // http://127.0.0.1:<port>
 * ...
 * nodes.forEach(ShardNode::close);                                   // leaves the region, drains, stops
 * }</pre>
 *
 * A started node heartbeats into the catalog, computes placement over the region's live nodes, loads the
 * shards placed on it and answers {@code POST /internal/v1/shards/{tenant}/{collection}/{shard}/search};
 * {@link #awaitReady} waits until every placed shard is loaded. {@link #close()} removes the heartbeat, drains
 * in-flight searches and stops the server; {@link #kill()} stops without leaving (a crash: the heartbeat expires
 * after its TTL). The caller owns the catalog and the store and closes them after the nodes. Thread-safe.
 */
public final class ShardNode implements AutoCloseable {

    private final ApplicationContext context;
    private final EmbeddedServer server;
    private final ShardNodeRuntime runtime;

    private ShardNode(ApplicationContext context, EmbeddedServer server) {
        this.context = context;
        this.server = server;
        this.runtime = context.getBean(ShardNodeRuntime.class);
    }

    /** Starts a node and returns once its server listens (shards load in the background). */
    public static ShardNode start(ShardNodeConfig config, Catalog catalog, SegmentStore store) {
        return start(config, catalog, store, null);
    }

    /**
     * Starts a node that reads a segment not yet replicated into {@code store} from the home region's bucket
     * ({@code home}; null for none, as in the home region itself).
     */
    public static ShardNode start(ShardNodeConfig config, Catalog catalog, SegmentStore store, HomeBucket home) {
        var builder = ApplicationContext.builder()
                .deduceEnvironment(false)
                .properties(config.toProperties());
        if (!config.environment().isEmpty()) {
            builder.propertySources(PropertySource.of("node-environment", new HashMap<>(config.environment()),
                    PropertySource.PropertyConvention.ENVIRONMENT_VARIABLE));
        }
        builder = home == null ? builder.singletons(catalog, store) : builder.singletons(catalog, store, home);
        ApplicationContext context = builder.build();
        try {
            // A context that fails to start (bad TLS material, bad settings) is closed here, not leaked.
            context.start();
            EmbeddedServer server = context.getBean(EmbeddedServer.class);
            server.start();
            return new ShardNode(context, server);
        } catch (RuntimeException e) {
            try {
                context.close();
            } catch (RuntimeException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    public String nodeId() {
        return runtime.nodeId();
    }

    public int port() {
        return server.getPort();
    }

    /** Base URL of the node ({@code http://host:port}, or https with TLS). */
    public java.net.URI endpoint() {
        return java.net.URI.create(server.getURL().toString());
    }

    /**
     * Base URL of {@code /health} and {@code /metrics}: plain HTTP on the management port when mutual TLS is on
     * ({@code strata.tls.management-port}), else {@link #endpoint()}.
     */
    public java.net.URI managementEndpoint() {
        return context.getProperty("endpoints.all.port", Integer.class)
                .map(port -> java.net.URI.create("http://" + server.getHost() + ":" + port))
                .orElseGet(this::endpoint);
    }

    /** True once every shard placed on this node is loaded. */
    public boolean ready() {
        return runtime.ready();
    }

    /** Waits until {@link #ready()} or the timeout; returns whether it became ready. */
    public boolean awaitReady(java.time.Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ready()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    /** The shards this node serves ({@code tenant/collection/shard}) with the version each has applied. */
    public java.util.Map<String, Long> appliedVersions() {
        return runtime.replicas().appliedVersions();
    }

    /** The Micronaut context (beans, properties) of this node. */
    public ApplicationContext context() {
        return context;
    }

    /** Stops like a crash: no goodbye in the catalog, the heartbeat expires after its TTL. */
    public void kill() {
        runtime.killWithoutLeaving();
        server.stop();
        context.close();
    }

    /** Leaves the region, drains in-flight searches, stops the server. */
    @Override
    public void close() {
        runtime.drain();
        server.stop();
        context.close();
    }
}
