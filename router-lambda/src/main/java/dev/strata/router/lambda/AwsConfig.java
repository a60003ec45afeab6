package dev.strata.router.lambda;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * Where the router finds its AWS resources on Lambda ({@code strata.aws.*}, set from the function's environment by
 * the CDK stack: {@code STRATA_AWS_TABLE}, {@code STRATA_AWS_BUCKET}, ...).
 *
 * @param table              the catalog table
 * @param bucket             the region's segment bucket (ingest objects are written under {@code ingest/})
 * @param embeddingDimension Titan v2 output dimension for text queries (256, 512 or 1024); 0 = no text queries
 * @param dynamodbEndpoint   endpoint override (emulators, init-time measurement); null = the region's endpoint
 * @param s3Endpoint         endpoint override; null = the region's endpoint
 */
@ConfigurationProperties("strata.aws")
public record AwsConfig(
        @Bindable(defaultValue = "strata-catalog") String table,
        @Bindable(defaultValue = "strata-segments") String bucket,
        @Bindable(defaultValue = "0") int embeddingDimension,
        @Nullable String dynamodbEndpoint,
        @Nullable String s3Endpoint) {}
