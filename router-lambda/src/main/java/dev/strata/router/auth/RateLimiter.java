package dev.strata.router.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.strata.api.StrataException;
import dev.strata.router.RouterConfig;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A token bucket per API key: {@code rateLimitBurst} tokens, refilled at {@code rateLimitPerSecond}. A call that
 * finds the bucket empty fails with 429 {@code rate_limited} and a {@code Retry-After} of the seconds until a
 * token is back. Per router instance (each Lambda instance has its own buckets, so the limit is per instance;
 * API Gateway usage plans bound the total). Thread-safe.
 */
@Singleton
public final class RateLimiter {

    private final double perSecond;
    private final double burst;
    private final LongSupplier nanoClock;
    private final Cache<String, Bucket> buckets = Caffeine.newBuilder()
            .maximumSize(100_000).expireAfterAccess(Duration.ofMinutes(10)).build();

    public RateLimiter(RouterConfig config) {
        this(config.rateLimitPerSecond(), config.rateLimitBurst(), System::nanoTime);
    }

    RateLimiter(double perSecond, int burst, LongSupplier nanoClock) {
        if (perSecond <= 0 || burst < 1) {
            throw new IllegalArgumentException("rate limit needs perSecond > 0 and burst >= 1; got "
                    + perSecond + " and " + burst);
        }
        this.perSecond = perSecond;
        this.burst = burst;
        this.nanoClock = nanoClock;
    }

    /** Takes one token of {@code keyId}'s bucket or throws {@link StrataException.RateLimited}. */
    public void acquire(String keyId) {
        Bucket bucket = buckets.get(keyId, k -> new Bucket(burst, nanoClock.getAsLong()));
        double waitSeconds;
        synchronized (bucket) {
            long now = nanoClock.getAsLong();
            bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.refilledAt) / 1e9 * perSecond);
            bucket.refilledAt = now;
            if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
                return;
            }
            waitSeconds = (1 - bucket.tokens) / perSecond;
        }
        long retryAfter = Math.max(1, (long) Math.ceil(waitSeconds));
        throw new StrataException.RateLimited("rate limit of " + perSecond + " requests per second (burst "
                + (long) burst + ") exceeded for key " + keyId + "; retry after " + retryAfter + " s", retryAfter);
    }

    private static final class Bucket {
        double tokens;
        long refilledAt;

        Bucket(double tokens, long refilledAt) {
            this.tokens = tokens;
            this.refilledAt = refilledAt;
        }
    }
}
