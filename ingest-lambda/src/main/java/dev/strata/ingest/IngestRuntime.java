package dev.strata.ingest;

import dev.strata.catalog.CatalogSchema;
import dev.strata.catalog.DynamoCatalog;
import dev.strata.embed.BedrockEmbedder;
import dev.strata.embed.EmbeddingCache;
import dev.strata.embed.Embedder;
import dev.strata.store.S3SegmentStore;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * The Lambda's wiring, built once per execution environment from its environment variables:
 * <ul>
 *   <li>{@code STRATA_TABLE}: catalog table (default {@value CatalogSchema#DEFAULT_TABLE_NAME});</li>
 *   <li>{@code STRATA_BUCKET}: the regional bucket (required);</li>
 *   <li>{@code AWS_REGION}: set by Lambda;</li>
 *   <li>{@code STRATA_EMBEDDING_MODEL_ID}: Bedrock model (default {@value BedrockEmbedder#TITAN_V2}), or
 *       {@code none} for vector-only ingest;</li>
 *   <li>{@code STRATA_EMBEDDING_MODEL}: the name collections use for it (default {@value #DEFAULT_MODEL_NAME});</li>
 *   <li>{@code STRATA_EMBEDDING_DIMENSION}: 256, 512 or 1024 (default 1024);</li>
 *   <li>{@code STRATA_WORK_DIR}: segment build directory (default {@code /tmp/strata-ingest}).</li>
 * </ul>
 * Clients use the URL-connection HTTP client (small, fast to initialise) and the default credentials chain.
 */
record IngestRuntime(IngestPipeline pipeline, IngestTelemetry telemetry) {

    static final String DEFAULT_MODEL_NAME = "titan-embed-text-v2";

    static IngestRuntime fromEnvironment(Map<String, String> env) {
        String bucket = env.get("STRATA_BUCKET");
        if (bucket == null || bucket.isBlank()) {
            throw new IllegalStateException("STRATA_BUCKET is not set; the ingest Lambda needs its bucket name");
        }
        String table = env.getOrDefault("STRATA_TABLE", CatalogSchema.DEFAULT_TABLE_NAME);
        Region region = Region.of(env.getOrDefault("AWS_REGION", "us-east-1"));
        DefaultCredentialsProvider credentials = DefaultCredentialsProvider.builder().build();
        DynamoDbClient dynamo = DynamoDbClient.builder().region(region).credentialsProvider(credentials)
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
        S3Client s3 = S3Client.builder().region(region).credentialsProvider(credentials)
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
        String modelId = env.getOrDefault("STRATA_EMBEDDING_MODEL_ID", BedrockEmbedder.TITAN_V2);
        Embedder embedder = null;
        if (!"none".equals(modelId)) {
            BedrockRuntimeClient bedrock = BedrockRuntimeClient.builder().region(region).credentialsProvider(credentials)
                    .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
            embedder = new BedrockEmbedder(bedrock, modelId,
                    env.getOrDefault("STRATA_EMBEDDING_MODEL", DEFAULT_MODEL_NAME),
                    Integer.parseInt(env.getOrDefault("STRATA_EMBEDDING_DIMENSION", "1024")),
                    new EmbeddingCache(10_000));
        }
        Clock clock = Clock.systemUTC();
        IngestTelemetry telemetry = IngestTelemetry.stdout(clock);
        IngestConfig config = IngestConfig.defaults(Path.of(env.getOrDefault("STRATA_WORK_DIR", "/tmp/strata-ingest")));
        IngestPipeline pipeline = new IngestPipeline(DynamoCatalog.of(dynamo, table), new S3SegmentStore(s3, bucket),
                embedder, telemetry, config, clock);
        return new IngestRuntime(pipeline, telemetry);
    }
}
