package dev.strata.router.search;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.strata.api.SearchResponse;
import dev.strata.router.RouterConfig;
import jakarta.inject.Singleton;

/**
 * Search answers keyed by (tenant, collection, collection version, canonical request). A commit bumps the version,
 * so the next search looks up a different key: invalidation needs no message and no time-to-live. Old versions'
 * entries age out of the bounded LRU. Only complete answers of replicas at exactly that version are stored.
 * Thread-safe.
 */
@Singleton
public final class VersionedResultCache {

    /** The key: the request is a SHA-256 digest of its canonical JSON (see {@link CanonicalRequest}). */
    public record Key(String tenant, String collection, long version, String requestDigest) {}

    private final Cache<Key, SearchResponse> cache;

    public VersionedResultCache(RouterConfig config) {
        this.cache = Caffeine.newBuilder().maximumSize(config.resultCacheEntries()).build();
    }

    public SearchResponse get(Key key) {
        return cache.getIfPresent(key);
    }

    public void put(Key key, SearchResponse response) {
        cache.put(key, response);
    }
}
