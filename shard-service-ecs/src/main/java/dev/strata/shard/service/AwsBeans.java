package dev.strata.shard.service;

import dev.strata.catalog.Catalog;
import dev.strata.catalog.DynamoCatalog;
import dev.strata.store.S3SegmentStore;
import dev.strata.store.SegmentStore;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

import java.net.URI;

/**
 * The catalog and the segment store of a node in AWS: a DynamoDB client on the catalog table and an S3 client
 * on the region's bucket, built once from {@link AwsSettings} (credentials from the task role via the SDK's
 * default chain), and the home region's bucket ({@link HomeSettings}) for segments not replicated yet. Off when
 * {@code strata.aws.enabled=false}: {@link ShardNode} hands them in.
 */
@Factory
@Requires(property = "strata.aws.enabled", notEquals = "false")
final class AwsBeans {

    @Singleton
    @Bean(preDestroy = "close")
    DynamoDbClient dynamoDbClient(AwsSettings settings) {
        DynamoDbClientBuilder builder = DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create());
        if (settings.region() != null) {
            builder.region(Region.of(settings.region()));
        }
        if (settings.dynamodbEndpoint() != null) {
            builder.endpointOverride(URI.create(settings.dynamodbEndpoint()));
        }
        return builder.build();
    }

    @Singleton
    @Bean(preDestroy = "close")
    S3Client s3Client(AwsSettings settings, HomeSettings home) {
        S3ClientBuilder builder = S3Client.builder().httpClient(UrlConnectionHttpClient.create());
        if (settings.region() != null) {
            builder.region(Region.of(settings.region()));
        }
        if (home.region() != null && !home.region().equals(settings.region())) {
            // The home bucket lives in another region: let the one client follow S3's region redirects.
            builder.crossRegionAccessEnabled(true);
        }
        if (settings.s3Endpoint() != null) {
            builder.endpointOverride(URI.create(settings.s3Endpoint())).forcePathStyle(true);
        }
        return builder.build();
    }

    @Singleton
    Catalog catalog(DynamoDbClient client, AwsSettings settings) {
        return DynamoCatalog.of(client, settings.table());
    }

    @Singleton
    SegmentStore segmentStore(S3Client client, AwsSettings settings) {
        if (settings.bucket() == null || settings.bucket().isBlank()) {
            throw new IllegalStateException("strata.aws.bucket (STRATA_AWS_BUCKET) is required: the region's segment bucket");
        }
        return new S3SegmentStore(client, settings.bucket());
    }

    /** The home region's bucket, when it is another bucket than this region's (in the home region it is not). */
    @Singleton
    @Requires(property = "strata.home.bucket")
    HomeBucket homeBucket(S3Client client, AwsSettings settings, HomeSettings home) {
        return new HomeBucket(home.bucket(), new S3SegmentStore(client, home.bucket()));
    }
}
