package dev.strata.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

class RouterApiTest {
    private final Template region = SynthesizedStrata.TWO_REGIONS.region(SynthesizedStrata.HOME);

    private Map<String, Object> routerFunction() {
        return routerFunction(region);
    }

    private static Map<String, Object> routerFunction(Template region) {
        return TemplateJson.properties(region, "AWS::Lambda::Function").stream()
                .filter(f -> RouterApi.HANDLER.equals(f.get("Handler")))
                .findFirst().orElseThrow(() -> new AssertionError("no router function"));
    }

    @Test
    void theRouterIsASnapStartJava21FunctionInThePrivateSubnets() {
        Map<String, Object> router = routerFunction();

        assertThat(router).containsEntry("Runtime", "java21")
                .containsEntry("SnapStart", Map.of("ApplyOn", "PublishedVersions"))
                .containsEntry("TracingConfig", Map.of("Mode", "Active"));
        String vpc = TemplateJson.text(router.get("VpcConfig"));
        assertThat(vpc).contains("NetworkVpcappSubnet").contains("RouterSecurityGroup");
        assertThat(TemplateJson.text(router.get("Environment"))).contains("STRATA_TLS_SECRET_ARN")
                .contains("\"STRATA_SHARD_PORT\":\"8080\"").contains("\"STRATA_BUCKET\"").contains("\"STRATA_AWS_BUCKET\"");
    }

    @Test
    void theRouterExportsSpansOverOtlpToTheAdotCollectorExtensionWhichSendsThemToXray() throws Exception {
        Map<String, Object> router = routerFunction();

        // the router's exporter setting and the collector extension's configuration
        assertThat(TemplateJson.text(router.get("Environment")))
                .contains("\"STRATA_TRACING_EXPORTER\":\"otlp\"")
                .contains("\"STRATA_TRACING_OTLP_ENDPOINT\":\"http://localhost:4318/v1/traces\"")
                .contains("\"OPENTELEMETRY_COLLECTOR_CONFIG_URI\":\"/var/task/collector.yaml\"");
        // the AWS-managed ADOT collector layer of the function's region and architecture
        assertThat(router.get("Architectures")).isEqualTo(List.of("arm64"));
        assertThat(TemplateJson.text(router.get("Layers"))).contains(":lambda:" + SynthesizedStrata.HOME
                + ":901920570463:layer:aws-otel-collector-arm64-ver-0-117-0:1");
        // the role may write to X-Ray (what the collector's awsxray exporter calls)
        List<Map<String, Object>> statements = TemplateJson.statementsOfRole(region, "RouterHandlerRole");
        assertThat(TemplateJson.allowing(statements, "xray:PutTraceSegments")).isNotEmpty();
        // the configuration shipped in the router jar receives on that endpoint and exports traces to X-Ray
        String config = Files.readString(Path.of("..", "router-lambda", "src", "main", "resources", "collector.yaml"));
        assertThat(config).contains("endpoint: \"localhost:4318\"").contains("awsxray:")
                .containsPattern("traces:\\s+receivers: \\[otlp]\\s+exporters: \\[awsxray]");
    }

    @Test
    void eachRoutersFallbackRegionsAreTheOtherConfiguredRegions() {
        String home = TemplateJson.text(routerFunction().get("Environment"));
        String peer = TemplateJson.text(routerFunction(SynthesizedStrata.TWO_REGIONS.region(SynthesizedStrata.PEER))
                .get("Environment"));

        assertThat(home).contains("\"STRATA_ROUTER_FALLBACK_REGIONS\":\"" + SynthesizedStrata.PEER + "\"");
        assertThat(peer).contains("\"STRATA_ROUTER_FALLBACK_REGIONS\":\"" + SynthesizedStrata.HOME + "\"");
    }

    @Test
    void aSingleRegionRouterHasNoFallbackRegions() {
        Template single = SynthesizedStrata.singleRegion().region(SynthesizedStrata.HOME);

        assertThat(TemplateJson.text(routerFunction(single).get("Environment")))
                .contains("STRATA_SHARD_PORT").doesNotContain("STRATA_ROUTER_FALLBACK_REGIONS");
    }

    @Test
    void theHttpApiInvokesTheLiveAliasThroughAThrottledLoggedDefaultStage() {
        region.hasResourceProperties("AWS::ApiGatewayV2::Api", Map.of("ProtocolType", "HTTP"));
        region.hasResourceProperties("AWS::ApiGatewayV2::Integration", Map.of(
                "IntegrationType", "AWS_PROXY", "PayloadFormatVersion", "2.0",
                "IntegrationUri", Map.of("Ref", Match.stringLikeRegexp("RouterHandlerLive.*"))));
        region.hasResourceProperties("AWS::ApiGatewayV2::Stage", Map.of(
                "StageName", "$default",
                "AutoDeploy", true,
                "DefaultRouteSettings", Map.of("ThrottlingRateLimit", RouterApi.RATE_LIMIT_PER_SECOND,
                        "ThrottlingBurstLimit", RouterApi.BURST_LIMIT),
                "AccessLogSettings", Map.of("DestinationArn", Match.anyValue(),
                        "Format", Match.stringLikeRegexp(".*context.requestId.*"))));
    }

    @Test
    void theRouterReadsItsClientCertificateAndWritesOnlyUnderIngest() {
        List<Map<String, Object>> statements = TemplateJson.statementsOfRole(region, "RouterHandlerRole");

        assertThat(TemplateJson.text(TemplateJson.allowing(statements, "secretsmanager:GetSecretValue")))
                .contains("MutualTlsRouterClient").doesNotContain("ShardServer");
        // the secret is encrypted with the region's data key: reading it needs kms:Decrypt on that key
        assertThat(TemplateJson.text(TemplateJson.allowing(statements, "kms:Decrypt"))).contains("DataKey");
        assertThat(TemplateJson.text(TemplateJson.allowing(statements, "s3:PutObject"))).contains("/ingest/*")
                .doesNotContain("/segments/*");
        assertThat(TemplateJson.text(TemplateJson.allowing(statements, "ec2:CreateNetworkInterface"))).contains("*");
    }

    @Test
    void mutualTlsSecretsAreEncryptedWithTheRegionsKey() {
        assertThat(TemplateJson.properties(region, "AWS::SecretsManager::Secret")).hasSize(2).allSatisfy(secret -> {
            assertThat(TemplateJson.text(secret.get("KmsKeyId"))).contains("DataKey");
            assertThat(TemplateJson.text(secret.get("GenerateSecretString")))
                    .contains("caPem").contains("certPem").contains("keyPem");
        });
    }
}
