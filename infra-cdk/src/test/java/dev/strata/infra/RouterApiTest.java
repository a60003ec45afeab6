package dev.strata.infra;

import static org.assertj.core.api.Assertions.assertThat;

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
                .contains("\"STRATA_SHARD_PORT\":\"8080\"").contains("\"STRATA_BUCKET\"");
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
