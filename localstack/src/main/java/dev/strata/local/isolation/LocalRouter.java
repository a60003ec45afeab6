package dev.strata.local.isolation;

import dev.strata.catalog.Catalog;
import dev.strata.embed.Embedder;
import dev.strata.store.SegmentStore;

import java.util.Map;

/**
 * The router ({@code dev.strata.router.RouterApp}) as a Netty server inside this JVM, through the router's
 * {@link AppClassLoader}. Thread-safe; the caller stops it.
 */
public final class LocalRouter implements AutoCloseable {
    private static final String APP = "dev.strata.router.RouterApp";

    private final Object server;

    private LocalRouter(Object server) {
        this.server = server;
    }

    /** Starts with {@code properties} (port, region, bootstrap key...) and the given seams. */
    public static LocalRouter start(ClassLoader loader, Map<String, Object> properties, Catalog catalog,
                                    SegmentStore store, Embedder embedder) {
        Object server = Reflect.withContextLoader(loader, () -> Reflect.callStatic(loader.loadClass(APP),
                "startLocal", properties, catalog, store, embedder, null));
        return new LocalRouter(server);
    }

    public int port() {
        return (Integer) Reflect.call(server, "getPort");
    }

    @Override
    public void close() {
        Reflect.call(server, "stop");
    }
}
