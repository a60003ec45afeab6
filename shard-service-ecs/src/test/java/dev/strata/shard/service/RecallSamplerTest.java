package dev.strata.shard.service;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The recall sampler's CPU bound: the wait after a sample, and the setting's range. */
class RecallSamplerTest {

    @Test
    void pauseKeepsTheSamplerAtItsShareOfACore() {
        // GIVEN a sample that used 9 ms of CPU and a bound of 5 % of a core
        long pause = RecallSampler.pauseNanos(9_000_000, 0.05);
        // THEN the next waits 171 ms: 9 ms of every 180 ms
        assertThat(pause).isEqualTo(171_000_000);
        assertThat((double) 9_000_000 / (9_000_000 + pause)).isEqualTo(0.05);
    }

    @Test
    void aWholeCoreOrNoCpuMeansNoPauseAndAFreakSampleWaitsAtMostTenSeconds() {
        assertThat(RecallSampler.pauseNanos(9_000_000, 1.0)).isZero();
        assertThat(RecallSampler.pauseNanos(0, 0.05)).isZero();
        assertThat(RecallSampler.pauseNanos(5_000_000_000L, 0.01)).isEqualTo(10_000_000_000L);
    }

    @Test
    void cpuFractionOutsideItsRangeIsRefusedNamingTheProperty() {
        assertThatThrownBy(() -> new RecallSettings(0.01, 20, 32, 256, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("strata.recall.max-cpu-fraction is 0.0; it must be above 0 and at most 1 (one core)");
        assertThatThrownBy(() -> new RecallSettings(0.01, 20, 32, 256, 1.5))
                .hasMessageContaining("max-cpu-fraction is 1.5");
    }
}
