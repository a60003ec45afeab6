package dev.strata.router;

import dev.strata.catalog.Catalog;
import dev.strata.embed.Embedder;
import dev.strata.router.scatter.ShardClient;
import dev.strata.store.SegmentStore;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.runtime.Micronaut;
import io.micronaut.runtime.server.EmbeddedServer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The router as a plain HTTP server (local emulation, benchmarks). On Lambda the entry point is
 * {@code io.micronaut.function.aws.proxy.payload2.APIGatewayV2HTTPEventFunction} and this class is not used.
 *
 * <p>Running it as a server needs {@code io.micronaut:micronaut-http-server-netty} on the class path (a
 * {@code provided} dependency here, so the Lambda jar stays without it): a module that starts the router declares
 * it.
 */
public final class RouterApp {

    private RouterApp() {}

    /** Starts from configuration alone (beans for Catalog and SegmentStore must come from configuration). */
    public static void main(String[] args) {
        Micronaut.run(RouterApp.class, args);
    }

    /**
     * Starts the router as a Netty server with the given seams. {@code properties} set e.g.
     * {@code micronaut.server.port}, {@code strata.router.region}, {@code strata.bootstrap.api-key} and
     * {@code strata.bootstrap.tenant}. {@code embedder} and {@code shardClient} may be null (no text queries; the
     * HTTP shard client). The caller stops the returned server, which closes its application context.
     */
    public static EmbeddedServer startLocal(Map<String, Object> properties, Catalog catalog, SegmentStore store,
                                            Embedder embedder, ShardClient shardClient) {
        ApplicationContext context = context(properties, catalog, store, embedder, shardClient).start();
        try {
            EmbeddedServer server = context.getBean(EmbeddedServer.class);
            server.start();
            return server;
        } catch (RuntimeException e) {
            context.close();
            throw e;
        }
    }

    /** The application context builder with the seams registered (used by {@link #startLocal} and tests). */
    public static ApplicationContextBuilder context(Map<String, Object> properties, Catalog catalog,
                                                    SegmentStore store, Embedder embedder, ShardClient shardClient) {
        List<Object> singletons = new ArrayList<>(List.of(catalog, store));
        if (embedder != null) {
            singletons.add(embedder);
        }
        if (shardClient != null) {
            singletons.add(shardClient);
        }
        return ApplicationContext.builder()
                .properties(properties)
                .singletons(singletons.toArray())
                .deduceEnvironment(false);
    }
}
