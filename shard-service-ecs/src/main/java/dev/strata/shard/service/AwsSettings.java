package dev.strata.shard.service;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * Where the catalog table and the segment bucket are ({@code strata.aws.*}). Used only when the node builds
 * its own clients ({@code strata.aws.enabled}, the default); {@link ShardNode} hands in a catalog and a store instead.
 *
 * @param enabled          build the DynamoDB catalog and S3 store from these settings
 * @param region           AWS region of the clients (defaults to the SDK's region chain when absent)
 * @param table            catalog table name
 * @param bucket           segment bucket of this region
 * @param dynamodbEndpoint endpoint override (DynamoDB Local), or absent
 * @param s3Endpoint       endpoint override (an S3-compatible server), or absent
 */
@ConfigurationProperties("strata.aws")
public record AwsSettings(
        @Bindable(defaultValue = "true") boolean enabled,
        @Nullable String region,
        @Bindable(defaultValue = "strata-catalog") String table,
        @Nullable String bucket,
        @Nullable String dynamodbEndpoint,
        @Nullable String s3Endpoint) {}
