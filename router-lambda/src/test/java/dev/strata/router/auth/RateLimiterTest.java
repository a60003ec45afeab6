package dev.strata.router.auth;

import dev.strata.api.StrataException;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The per-key token bucket, on a hand-driven clock. */
class RateLimiterTest {

    private final AtomicLong now = new AtomicLong();
    private final RateLimiter limiter = new RateLimiter(2, 3, now::get);

    @Test
    void aFullBucketAllowsItsBurstThenRefuses() {
        for (int i = 0; i < 3; i++) {
            limiter.acquire("k");
        }
        assertThatThrownBy(() -> limiter.acquire("k"))
                .isInstanceOfSatisfying(StrataException.RateLimited.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(429);
                    assertThat(e.code()).isEqualTo("rate_limited");
                    assertThat(e.retryAfterSeconds()).isEqualTo(1);
                    assertThat(e.getMessage()).contains("2.0 requests per second").contains("burst 3");
                });
    }

    @Test
    void tokensComeBackAtTheConfiguredRate() {
        for (int i = 0; i < 3; i++) {
            limiter.acquire("k");
        }
        now.addAndGet(500_000_000L);
        limiter.acquire("k");
        assertThatThrownBy(() -> limiter.acquire("k")).isInstanceOf(StrataException.RateLimited.class);
    }

    @Test
    void keysHaveTheirOwnBuckets() {
        for (int i = 0; i < 3; i++) {
            limiter.acquire("a");
        }
        limiter.acquire("b");
    }
}
