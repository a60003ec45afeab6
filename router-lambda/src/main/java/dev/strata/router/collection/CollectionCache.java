package dev.strata.router.collection;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.strata.api.StrataException;
import dev.strata.catalog.Catalog;
import dev.strata.catalog.CollectionRecord;
import dev.strata.router.RouterConfig;
import jakarta.inject.Singleton;

import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Collection records, cached and checked against the version. A {@code bounded} read reuses an entry for at most
 * {@code collectionCacheTtl} (well inside the lag bound); {@link #observe} drops an entry as soon as any answer
 * shows a newer version; a {@code fresh} read always reads the catalog strongly and refreshes the entry. Another
 * tenant's collection is simply absent (keys include the tenant). Thread-safe.
 */
@Singleton
public final class CollectionCache {

    private record Key(String tenant, String name) {}

    private record Entry(CollectionRecord record, long loadedAtNanos) {}

    private final Catalog catalog;
    private final long ttlNanos;
    private final LongSupplier nanoClock = System::nanoTime;
    private final Cache<Key, Entry> entries = Caffeine.newBuilder().maximumSize(10_000).build();

    public CollectionCache(Catalog catalog, RouterConfig config) {
        this.catalog = catalog;
        this.ttlNanos = config.collectionCacheTtl().toNanos();
    }

    /** The collection or 404 {@code collection_not_found}; {@code strong} reads the catalog consistently. */
    public CollectionRecord get(String tenant, String name, boolean strong) {
        Key key = new Key(tenant, name);
        if (!strong) {
            Entry entry = entries.getIfPresent(key);
            if (entry != null && nanoClock.getAsLong() - entry.loadedAtNanos() < ttlNanos) {
                return entry.record();
            }
        }
        Optional<CollectionRecord> found = catalog.findCollection(tenant, name, strong);
        if (found.isEmpty()) {
            entries.invalidate(key);
            throw notFound(name);
        }
        entries.put(key, new Entry(found.get(), nanoClock.getAsLong()));
        return found.get();
    }

    /** Drops the entry when {@code version} (seen in a shard answer or a request) is newer than the cached one. */
    public void observe(String tenant, String name, long version) {
        Key key = new Key(tenant, name);
        Entry entry = entries.getIfPresent(key);
        if (entry != null && entry.record().version() < version) {
            entries.invalidate(key);
        }
    }

    /** Forgets a collection (after create or drop). */
    public void forget(String tenant, String name) {
        entries.invalidate(new Key(tenant, name));
    }

    static StrataException.NotFound notFound(String name) {
        return new StrataException.NotFound("collection_not_found", "collection '" + name + "' does not exist");
    }
}
