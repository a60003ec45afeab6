package dev.strata.router.lambda;

import dev.strata.catalog.Catalog;
import dev.strata.catalog.DynamoCatalog;
import dev.strata.embed.BedrockEmbedder;
import dev.strata.embed.Embedder;
import dev.strata.store.S3SegmentStore;
import dev.strata.store.SegmentStore;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

import java.net.URI;

/**
 * The seams on Lambda: the DynamoDB catalog, the S3 store and the Bedrock embedder, over SDK clients built once at
 * init with the small URL-connection HTTP client (fast cold start). Active only in the {@code lambda} environment;
 * a Catalog, SegmentStore or Embedder registered by the caller takes precedence. The SDK clients are lazy
 * singletons: one that no seam needs is never built.
 */
@Factory
@Requires(env = "lambda")
public final class AwsFactory {

    @Singleton
    @Bean(preDestroy = "close")
    DynamoDbClient dynamoDb(AwsConfig config) {
        var builder = DynamoDbClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder());
        if (config.dynamodbEndpoint() != null) {
            builder.endpointOverride(URI.create(config.dynamodbEndpoint()));
        }
        return builder.build();
    }

    @Singleton
    @Requires(missingBeans = Catalog.class)
    Catalog catalog(DynamoDbClient client, AwsConfig config) {
        return DynamoCatalog.of(client, config.table());
    }

    @Singleton
    @Bean(preDestroy = "close")
    S3Client s3(AwsConfig config) {
        var builder = S3Client.builder().httpClientBuilder(UrlConnectionHttpClient.builder());
        if (config.s3Endpoint() != null) {
            builder.endpointOverride(URI.create(config.s3Endpoint())).forcePathStyle(true);
        }
        return builder.build();
    }

    @Singleton
    @Requires(missingBeans = SegmentStore.class)
    SegmentStore store(S3Client client, AwsConfig config) {
        return new S3SegmentStore(client, config.bucket());
    }

    @Singleton
    @Bean(preDestroy = "close")
    @Requires(property = "strata.aws.embedding-dimension")
    BedrockRuntimeClient bedrock() {
        return BedrockRuntimeClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    @Singleton
    @Requires(property = "strata.aws.embedding-dimension")
    @Requires(missingBeans = Embedder.class)
    Embedder embedder(BedrockRuntimeClient client, AwsConfig config) {
        return BedrockEmbedder.titanV2(client, config.embeddingDimension());
    }
}
