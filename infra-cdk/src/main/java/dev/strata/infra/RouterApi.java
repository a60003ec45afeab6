package dev.strata.infra;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.apigateway.AccessLogFormat;
import software.amazon.awscdk.services.apigatewayv2.IAccessLogDestination;
import software.amazon.awscdk.services.apigatewayv2.IAccessLogSettings;
import software.amazon.awscdk.services.apigatewayv2.HttpApi;
import software.amazon.awscdk.services.apigatewayv2.HttpStage;
import software.amazon.awscdk.services.apigatewayv2.HttpStageOptions;
import software.amazon.awscdk.services.apigatewayv2.LogGroupLogDestination;
import software.amazon.awscdk.services.apigatewayv2.ThrottleSettings;
import software.amazon.awscdk.aws_apigatewayv2_integrations.HttpLambdaIntegration;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.lambda.LayerVersion;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;
import software.constructs.IConstruct;

/**
 * The front door (DESIGN §1 step 4, §7): the router Lambda, in the serving VPC so it can reach the shard tasks,
 * behind an API Gateway HTTP API whose default stage throttles and writes access logs. The router authenticates
 * callers itself (hashed API keys in the catalog), so the API has no authorizer of its own. The router may call the
 * app's other regions' shard replicas when its own region has none usable (DESIGN §6): they are its fallback
 * regions, in the configured order ({@code STRATA_ROUTER_FALLBACK_REGIONS}). Its spans go to X-Ray through the
 * ADOT collector extension (DESIGN §9); it calls the shard tasks with the client identity of the {@link MutualTls}
 * router secret (DESIGN §10).
 */
public final class RouterApi extends Construct {
    /** Micronaut's API Gateway v2 (HTTP API, payload 2.0) handler; the router is a Micronaut application. */
    public static final String HANDLER = "io.micronaut.function.aws.proxy.payload2.APIGatewayV2HTTPEventFunction";
    /**
     * The AWS-managed ADOT collector layer (AWS Distro for OpenTelemetry, account 901920570463; ARN format
     * {@code arn:aws:lambda:<region>:901920570463:layer:aws-otel-collector-<amd64|arm64>-ver-<version>:<n>}, see
     * aws-otel.github.io/docs/getting-started/lambda). It runs the collector as a Lambda extension that receives the
     * router's OTLP spans on localhost and sends them to X-Ray. arm64, like the function; move the version on purpose.
     */
    static final String ADOT_COLLECTOR_LAYER = "aws-otel-collector-arm64-ver-0-117-0:1";
    static final String ADOT_ACCOUNT = "901920570463";
    /** The collector configuration shipped at the root of the router jar ({@code router-lambda/src/main/resources}). */
    static final String COLLECTOR_CONFIG = "/var/task/collector.yaml";
    /** Where the extension receives OTLP/HTTP traces ({@code strata.tracing.otlp-endpoint}). */
    static final String OTLP_TRACES_ENDPOINT = "http://localhost:4318/v1/traces";
    static final int RATE_LIMIT_PER_SECOND = 1_000;
    static final int BURST_LIMIT = 2_000;
    private static final String ACCESS_LOG_FORMAT = "{\"requestId\":\"$context.requestId\","
            + "\"ip\":\"$context.identity.sourceIp\",\"requestTime\":\"$context.requestTime\","
            + "\"routeKey\":\"$context.routeKey\",\"status\":\"$context.status\","
            + "\"latencyMs\":\"$context.responseLatency\",\"integrationLatencyMs\":\"$context.integrationLatency\","
            + "\"integrationError\":\"$context.integrationErrorMessage\",\"traceId\":\"$context.xrayTraceId\"}";

    /**
     * @param jar        the router Lambda's shaded jar
     * @param network    the serving VPC
     * @param shards     the shard service, whose TLS port the router is let through to
     * @param catalog    the catalog replica of this region
     * @param segments   the region's segment bucket (the documents API writes to {@code ingest/})
     * @param key        the region's data key
     * @param tls        the router's client identity for mutual TLS
     * @param homeRegion the catalog's home region
     */
    public record Props(Path jar, ServingNetwork network, ShardService shards, CatalogAccess catalog,
                        SegmentBucket segments, IKey key, MutualTls tls, String homeRegion) {}

    private final SnapStartFunction function;
    private final SecurityGroup securityGroup;
    private final HttpApi api;
    private final HttpStage stage;

    public RouterApi(Construct scope, String id, Props props) {
        super(scope, id);
        this.securityGroup = SecurityGroup.Builder.create(this, "SecurityGroup")
                .vpc(props.network().vpc())
                .description("Strata router Lambda: calls shards, DynamoDB, S3, Bedrock")
                .allowAllOutbound(true)
                .build();
        props.shards().allowFrom(securityGroup);
        this.function = new SnapStartFunction(this, "Handler", new SnapStartFunction.Props(
                props.jar(), HANDLER, 1769, Duration.seconds(15),
                environment(props, otherRegions(this)),
                new SnapStartFunction.Network(props.network().vpc(), props.network().appSubnets(), securityGroup)));
        function.function().addLayers(LayerVersion.fromLayerVersionArn(this, "AdotCollector",
                Stack.of(this).formatArn(ArnComponents.builder()
                        .service("lambda")
                        .account(ADOT_ACCOUNT)
                        .resource("layer")
                        .resourceName(ADOT_COLLECTOR_LAYER)
                        .arnFormat(ArnFormat.COLON_RESOURCE_NAME)
                        .build())));
        grant(props);

        LogGroup accessLogs = LogGroup.Builder.create(this, "AccessLogs")
                .retention(RetentionDays.ONE_MONTH)
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        this.api = HttpApi.Builder.create(this, "HttpApi")
                .apiName("strata-" + Stack.of(this).getRegion())
                .description("Strata public API (DESIGN §7)")
                .createDefaultStage(false)
                .defaultIntegration(new HttpLambdaIntegration("Router", function.live()))
                .build();
        this.stage = api.addStage("Stage", HttpStageOptions.builder()
                .stageName("$default")
                .autoDeploy(true)
                .throttle(ThrottleSettings.builder().rateLimit(RATE_LIMIT_PER_SECOND).burstLimit(BURST_LIMIT).build())
                .accessLogSettings(new AccessLogs(new LogGroupLogDestination(accessLogs)))
                .build());
        Nag.suppress(api, "APIG4", "callers are authenticated by the router itself (API keys stored hashed in the"
                + " catalog map to a tenant and role, DESIGN §10); an API Gateway authorizer would add a second"
                + " lookup and latency to every search");
        CfnOutput.Builder.create(this, "Endpoint").value(api.getApiEndpoint()).build();
    }

    private static Map<String, String> environment(Props props, List<String> fallbackRegions) {
        Map<String, String> env = new LinkedHashMap<>(Map.ofEntries(
                Map.entry("STRATA_TABLE", props.catalog().tableName()),
                Map.entry("STRATA_BUCKET", props.segments().bucket().getBucketName()),
                Map.entry("STRATA_HOME_REGION", props.homeRegion()),
                Map.entry("STRATA_EMBEDDING_MODEL_ID", IngestPipeline.EMBEDDING_MODEL_ID),
                Map.entry("STRATA_SHARD_PORT", String.valueOf(ShardService.SERVICE_PORT)),
                Map.entry("STRATA_TLS_SECRET_ARN", props.tls().client().getSecretArn()),
                // the router's own strata.aws.* names (AwsConfig)
                Map.entry("STRATA_AWS_TABLE", props.catalog().tableName()),
                Map.entry("STRATA_AWS_BUCKET", props.segments().bucket().getBucketName()),
                // DESIGN §9: spans over OTLP to the ADOT collector extension, which sends them to X-Ray
                Map.entry("STRATA_TRACING_EXPORTER", "otlp"),
                Map.entry("STRATA_TRACING_OTLP_ENDPOINT", OTLP_TRACES_ENDPOINT),
                Map.entry("OPENTELEMETRY_COLLECTOR_CONFIG_URI", COLLECTOR_CONFIG),
                Map.entry("MICRONAUT_ENVIRONMENTS", "lambda,aws")));
        if (!fallbackRegions.isEmpty()) {
            env.put("STRATA_ROUTER_FALLBACK_REGIONS", String.join(",", fallbackRegions));
        }
        return env;
    }

    /**
     * The app's regions other than this construct's, in configured order. {@link StrataApp} gives every configured
     * region a {@link StrataKeyStack}, first and in that order, so the app's key stacks list the regions.
     */
    static List<String> otherRegions(Construct scope) {
        Stack own = Stack.of(scope);
        IConstruct app = own.getNode().getScope();
        List<String> regions = new ArrayList<>();
        if (app == null) {
            return regions;
        }
        for (IConstruct child : app.getNode().getChildren()) {
            if (child instanceof StrataKeyStack keys && !keys.getRegion().equals(own.getRegion())
                    && !regions.contains(keys.getRegion())) {
                regions.add(keys.getRegion());
            }
        }
        return regions;
    }

    /**
     * JSON access logs of the HTTP API (variables of HTTP APIs, not of REST APIs). A plain class, not a record:
     * jsii would take a record's accessor for a method clashing with the {@code destination} property.
     */
    private static final class AccessLogs implements IAccessLogSettings {
        private final IAccessLogDestination destination;

        AccessLogs(IAccessLogDestination destination) {
            this.destination = destination;
        }

        @Override
        public IAccessLogDestination getDestination() {
            return destination;
        }

        @Override
        public AccessLogFormat getFormat() {
            return AccessLogFormat.custom(ACCESS_LOG_FORMAT);
        }
    }

    private void grant(Props props) {
        var role = function.role();
        props.catalog().grantReadWrite(role);
        var bucket = props.segments().bucket();
        role.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("s3:PutObject"))
                .resources(List.of(bucket.arnForObjects(SegmentBucket.INGEST_PREFIX + "*")))
                .build());
        role.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("s3:GetObject"))
                .resources(List.of(bucket.arnForObjects(SegmentBucket.REJECTS_PREFIX + "*")))
                .build());
        role.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("kms:Decrypt", "kms:GenerateDataKey"))
                .resources(List.of(props.key().getKeyArn()))
                .build());
        role.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("bedrock:InvokeModel"))
                .resources(List.of(IngestPipeline.titanModelArn(this)))
                .build());
        props.tls().grantClientRead(role);
        Nag.suppressOnly(role, "IAM5", "object access is limited to one key prefix each (write ingest/, read"
                + " rejects/); object keys are generated per batch", Nag.objectsUnder(SegmentBucket.INGEST_PREFIX),
                Nag.objectsUnder(SegmentBucket.REJECTS_PREFIX));
        Nag.suppressOnly(role, "IAM5", "the catalog has one index (gsi1); index/* names the indexes of that one"
                + " table only", Nag.CATALOG_INDEXES);
    }

    public SnapStartFunction function() {
        return function;
    }

    public HttpApi api() {
        return api;
    }

    public HttpStage stage() {
        return stage;
    }

    /** Host name of the API's default endpoint in this region, e.g. for a health check. */
    public String executeApiHost() {
        Stack stack = Stack.of(this);
        return api.getApiId() + ".execute-api." + stack.getRegion() + "." + stack.getUrlSuffix();
    }
}
