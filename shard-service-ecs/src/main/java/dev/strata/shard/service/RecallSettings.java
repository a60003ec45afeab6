package dev.strata.shard.service;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * Live recall monitoring ({@code strata.recall.*}, DESIGN §13): a sample of served searches is re-run exactly in
 * the background and {@code search_recall_estimate{collection}} exported.
 *
 * @param sampleRate    fraction of served searches re-run, 0 (off) to 1
 * @param maxPerSecond  bound on the searches re-run per second, whatever the traffic (an exact scan costs far more
 *                      than a search)
 * @param queueCapacity searches waiting for the background thread; a sample that finds it full is dropped
 * @param window        the estimate is the mean recall of the last {@code window} samples of a collection
 * @param maxCpuFraction bound on the background thread's CPU, as a fraction of one core: after a sample that took
 *                      {@code c} of CPU the next waits {@code c / maxCpuFraction - c}, so an exact scan that grows
 *                      with the shard (or gets slower) cannot take more than this share, whatever
 *                      {@code maxPerSecond} allows; samples offered meanwhile queue or are dropped (and counted)
 */
@ConfigurationProperties("strata.recall")
public record RecallSettings(
        @Bindable(defaultValue = "0.01") double sampleRate,
        @Bindable(defaultValue = "20") int maxPerSecond,
        @Bindable(defaultValue = "32") int queueCapacity,
        @Bindable(defaultValue = "256") int window,
        @Bindable(defaultValue = "0.05") double maxCpuFraction) {

    public RecallSettings {
        if (!(sampleRate >= 0 && sampleRate <= 1)) {
            throw new IllegalArgumentException("strata.recall.sample-rate is " + sampleRate
                    + "; it must be between 0 and 1");
        }
        requireBetween("strata.recall.max-per-second", maxPerSecond, 1, 10_000);
        requireBetween("strata.recall.queue-capacity", queueCapacity, 1, 10_000);
        requireBetween("strata.recall.window", window, 1, 100_000);
        if (!(maxCpuFraction > 0 && maxCpuFraction <= 1)) {
            throw new IllegalArgumentException("strata.recall.max-cpu-fraction is " + maxCpuFraction
                    + "; it must be above 0 and at most 1 (one core)");
        }
    }

    boolean enabled() {
        return sampleRate > 0;
    }

    private static void requireBetween(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " is " + value + "; it must be between " + min + " and " + max);
        }
    }
}
