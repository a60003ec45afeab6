package dev.strata.shard.service;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

/**
 * The home region of the collections ({@code strata.home.*}; {@code STRATA_HOME_REGION}, {@code STRATA_HOME_BUCKET}
 * in ECS). Used only when the node builds its own AWS clients.
 *
 * @param region home region (the S3 client reaches a bucket of another region through cross-region access)
 * @param bucket home region's segment bucket; absent or equal to {@code strata.aws.bucket}: no fallback
 */
@ConfigurationProperties("strata.home")
public record HomeSettings(@Nullable String region, @Nullable String bucket) {}
