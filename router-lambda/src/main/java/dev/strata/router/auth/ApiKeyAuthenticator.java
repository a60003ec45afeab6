package dev.strata.router.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.strata.api.StrataException;
import dev.strata.catalog.ApiKeyRecord;
import dev.strata.catalog.ApiKeyRecord.Role;
import dev.strata.catalog.Catalog;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Turns an {@code Authorization: Bearer <key>} header into a {@link Caller} and checks its role; then spends one
 * token of the key's rate limit. Key lookups are cached briefly (a minute for known keys, seconds for unknown
 * ones, so a flood of bad keys does not reach the catalog). Thread-safe.
 */
@Singleton
public final class ApiKeyAuthenticator {

    private static final String BEARER = "bearer ";

    private final Catalog catalog;
    private final RateLimiter rateLimiter;
    private final Cache<String, Optional<ApiKeyRecord>> known = Caffeine.newBuilder()
            .maximumSize(10_000).expireAfterWrite(Duration.ofMinutes(1)).build();
    private final Cache<String, Boolean> unknown = Caffeine.newBuilder()
            .maximumSize(10_000).expireAfterWrite(Duration.ofSeconds(5)).build();

    public ApiKeyAuthenticator(Catalog catalog, RateLimiter rateLimiter) {
        this.catalog = catalog;
        this.rateLimiter = rateLimiter;
    }

    /**
     * The caller, if the header carries a known key whose role allows {@code needed}.
     *
     * @throws StrataException.Unauthorized no or unknown key
     * @throws StrataException.Forbidden    the role is too weak
     * @throws StrataException.RateLimited  the key's bucket is empty
     */
    public Caller authenticate(String authorization, Role needed) {
        if (authorization == null || authorization.isBlank()) {
            throw new StrataException.Unauthorized("the Authorization header is missing; send 'Authorization: Bearer <api key>'");
        }
        String header = authorization.strip();
        if (!header.toLowerCase(Locale.ROOT).startsWith(BEARER) || header.length() == BEARER.length()) {
            throw new StrataException.Unauthorized("the Authorization header must be 'Bearer <api key>'");
        }
        String hash = ApiKeys.hash(header.substring(BEARER.length()).strip());
        ApiKeyRecord key = lookup(hash).orElseThrow(() ->
                new StrataException.Unauthorized("the API key is not valid"));
        if (!key.role().allows(needed)) {
            throw new StrataException.Forbidden("this call needs the " + needed.name().toLowerCase(Locale.ROOT)
                    + " role; key " + key.keyId() + " has the " + key.role().name().toLowerCase(Locale.ROOT) + " role");
        }
        rateLimiter.acquire(key.keyId());
        return new Caller(key.tenant(), key.keyId(), key.role());
    }

    private Optional<ApiKeyRecord> lookup(String hash) {
        Optional<ApiKeyRecord> cached = known.getIfPresent(hash);
        if (cached != null) {
            return cached;
        }
        if (unknown.getIfPresent(hash) != null) {
            return Optional.empty();
        }
        Optional<ApiKeyRecord> found = catalog.findApiKey(hash);
        if (found.isPresent()) {
            known.put(hash, found);
        } else {
            unknown.put(hash, Boolean.TRUE);
        }
        return found;
    }

    /** Forgets cached lookups of a key (after it is created, so a fresh key works at once). */
    public void forget(String keyHash) {
        known.invalidate(keyHash);
        unknown.invalidate(keyHash);
    }
}
