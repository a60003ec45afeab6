package dev.strata.shard.service;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * The segment cache on local NVMe ({@code strata.cache.*}).
 *
 * @param dir      directory of the cache (the NVMe mount in ECS, a volume in the image)
 * @param maxBytes bytes of segment files kept; segments no view uses are evicted, least recently used first
 * @param warm     read every file of a segment once when it loads, so the first searches hit the page cache
 */
@ConfigurationProperties("strata.cache")
public record CacheSettings(
        @Bindable(defaultValue = "/var/cache/strata") String dir,
        @Bindable(defaultValue = "10737418240") long maxBytes,
        @Bindable(defaultValue = "true") boolean warm) {

    public CacheSettings {
        if (dir == null || dir.isBlank()) {
            throw new IllegalArgumentException("strata.cache.dir is required");
        }
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("strata.cache.max-bytes is " + maxBytes + "; it must be positive");
        }
    }
}
