package dev.strata.local.e2e;

import dev.strata.api.CollectionSpec;
import dev.strata.api.Document;
import dev.strata.api.Metric;
import dev.strata.api.Sharding;
import dev.strata.catalog.Catalog;
import dev.strata.catalog.CatalogSchema;
import dev.strata.catalog.DynamoCatalog;
import dev.strata.local.client.StrataHttpClient;
import dev.strata.local.demo.DemoCorpus;
import dev.strata.local.embed.OnnxEmbedder;
import dev.strata.local.isolation.AppClassLoader;
import dev.strata.local.isolation.LocalRouter;
import dev.strata.local.isolation.LocalShardNode;
import dev.strata.local.notify.IngestNotifier;
import dev.strata.store.S3SegmentStore;
import dev.strata.store.SegmentStore;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same wiring as the embedded local system, against LocalStack's DynamoDB and S3 (Testcontainers): catalog and
 * segment store adapters on LocalStack's endpoints, two shard nodes and the router in this JVM, ingest fired by new
 * objects under {@code ingest/}. Skipped (and says so) where no Docker engine runs. The Lambda-deployed variant is
 * the {@code cdklocal deploy} of {@code docs/local.md}.
 */
@Testcontainers(disabledWithoutDocker = true)
class LocalStackEndToEndTest {
    private static final String BUCKET = "strata-localstack";

    @Container
    static final LocalStackContainer LOCALSTACK = new LocalStackContainer(
            DockerImageName.parse("localstack/localstack:4.4")).withServices(LocalStackContainer.Service.S3, LocalStackContainer.Service.DYNAMODB);

    @Test
    void theDemoCorpusUploadedToLocalStackS3IsSearchableThroughTheRouter() throws Exception {
        AwsBasicCredentials credentials = AwsBasicCredentials.create(LOCALSTACK.getAccessKey(), LOCALSTACK.getSecretKey());
        Region region = Region.of(LOCALSTACK.getRegion());
        try (DynamoDbClient dynamo = DynamoDbClient.builder().endpointOverride(LOCALSTACK.getEndpoint()).region(region)
                .credentialsProvider(StaticCredentialsProvider.create(credentials)).build();
             S3Client s3 = S3Client.builder().endpointOverride(LOCALSTACK.getEndpoint()).region(region)
                     .credentialsProvider(StaticCredentialsProvider.create(credentials))
                     .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build()).build();
             OnnxEmbedder embedder = new OnnxEmbedder()) {
            // GIVEN the table and the bucket on LocalStack, and the system wired to them
            dynamo.createTable(CatalogSchema.createTableRequest(CatalogSchema.DEFAULT_TABLE_NAME));
            s3.createBucket(b -> b.bucket(BUCKET));
            Catalog catalog = DynamoCatalog.of(dynamo, CatalogSchema.DEFAULT_TABLE_NAME);
            SegmentStore store = new S3SegmentStore(s3, BUCKET);
            List<Path> classPath = AppClassLoader.jvmClassPath();
            Path routerModule = AppClassLoader.moduleOf("dev/strata/router/RouterApp.class");
            Path nodeModule = AppClassLoader.moduleOf("dev/strata/shard/service/ShardNode.class");
            Path dir = Files.createTempDirectory("strata-localstack-");
            try (AppClassLoader nodeLoader = AppClassLoader.over("nodes", classPath, List.of(routerModule),
                    getClass().getClassLoader());
                 AppClassLoader routerLoader = AppClassLoader.over("router", classPath, List.of(nodeModule),
                         getClass().getClassLoader());
                 IngestNotifier notifier = IngestNotifier.start(s3, BUCKET, Duration.ofMillis(100),
                         dev.strata.local.LocalAccess.ingestHandler(catalog, store, embedder, dir.resolve("work")));
                 LocalShardNode a = LocalShardNode.start(nodeLoader, "local", "ls-a", dir.resolve("a"),
                         Duration.ofMillis(500), Duration.ofSeconds(3), Map.of(), catalog, store);
                 LocalShardNode b = LocalShardNode.start(nodeLoader, "local", "ls-b", dir.resolve("b"),
                         Duration.ofMillis(500), Duration.ofSeconds(3), Map.of(), catalog, store);
                 LocalRouter router = LocalRouter.start(routerLoader, Map.of("micronaut.server.host", "127.0.0.1",
                         "micronaut.server.port", 0, "strata.router.region", "local",
                         "strata.bootstrap.api-key", "localstack-key", "strata.bootstrap.tenant", "local"),
                         catalog, store, embedder)) {
                StrataHttpClient client = new StrataHttpClient(
                        java.net.URI.create("http://127.0.0.1:" + router.port()), "localstack-key");
                client.createCollection("demo", new CollectionSpec(384, Metric.COSINE, 4, 2, Sharding.HASH,
                        OnnxEmbedder.MODEL, null, 0));
                // WHEN the demo corpus is uploaded to LocalStack's S3 under ingest/
                s3.putObject(p -> p.bucket(BUCKET).key("ingest/local/demo/demo.jsonl.gz"),
                        RequestBody.fromBytes(DemoCorpus.gzippedJsonl()));
                // THEN it is counted and a passage's vector finds it
                List<Document> corpus = DemoCorpus.documents();
                Waits.until("demo ingested on LocalStack", Duration.ofSeconds(120), () ->
                        client.describeCollection("demo").path("documentCount").asLong() == corpus.size() ? true : null);
                assertThat(client.search("demo", StrataHttpClient.vectorQuery(corpus.get(9).vector(), 1))
                        .matches().get(0).id()).isEqualTo(corpus.get(9).id());
            }
        }
    }
}
