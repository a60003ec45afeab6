package dev.strata.router;

import dev.strata.api.StrataException;
import dev.strata.router.auth.ApiKeys;
import dev.strata.router.auth.RateLimiter;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A key that spent its bucket gets 429 rate_limited with Retry-After, through both entry points. */
class RateLimitApiTest {

    private final RouterFixture fixture = RouterFixture.shared();

    private void spentKeyIsRefused(Api api) {
        // GIVEN a fresh key whose bucket (burst 200, 100 per second in the shared fixture) has been spent
        String key = api.post("/v1/keys", RouterFixture.ADMIN_KEY, "{\"role\":\"reader\"}").json().get("key").asText();
        RateLimiter limiter = fixture.context.getBean(RateLimiter.class);
        String keyId = ApiKeys.keyId(ApiKeys.hash(key));
        Reply r = null;
        // (tokens come back at 100 per second, so drain right before each call; retry if one crept back in between)
        for (int round = 0; round < 100 && (r == null || r.status() != 429); round++) {
            drain(limiter, keyId);
            // WHEN it calls the API
            r = api.get("/v1/collections", key);
        }
        // THEN 429 with a Retry-After and a message naming the limit; another key is unaffected
        assertThat(r.status()).isEqualTo(429);
        assertThat(r.errorCode()).isEqualTo("rate_limited");
        assertThat(r.errorMessage()).contains("100.0 requests per second").contains(keyId);
        assertThat(Long.parseLong(r.header("Retry-After"))).isPositive();
        assertThat(api.get("/v1/collections", RouterFixture.ADMIN_KEY).status()).isEqualTo(200);
    }

    private static void drain(RateLimiter limiter, String keyId) {
        for (int i = 0; i < 10_000; i++) {
            try {
                limiter.acquire(keyId);
            } catch (StrataException.RateLimited e) {
                return;
            }
        }
        throw new AssertionError("the bucket of " + keyId + " never ran dry");
    }

    @Test
    void spentKeyIsRateLimitedThroughLambda() {
        spentKeyIsRefused(fixture.lambda());
    }

    @Test
    void spentKeyIsRateLimitedOverHttp() {
        spentKeyIsRefused(fixture.http());
    }
}
