package dev.strata.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.cxapi.CloudFormationStackArtifact;

class TwoRegionSynthTest {
    private final SynthesizedStrata app = SynthesizedStrata.TWO_REGIONS;

    @Test
    void synthesizesKeyAndRegionStacksPerRegionAndOneGlobalStackInTheHomeRegion() {
        List<String> stacks = app.assembly.getStacks().stream()
                .map(s -> s.getStackName() + "@" + s.getEnvironment().getRegion()).sorted().toList();

        assertThat(stacks).containsExactly("Strata-Global@us-east-1", "Strata-Keys-eu-west-1@eu-west-1",
                "Strata-Keys-us-east-1@us-east-1", "Strata-PeerRoutes-eu-west-1-us-east-1@eu-west-1",
                "Strata-Peering-us-east-1-eu-west-1@us-east-1", "Strata-eu-west-1@eu-west-1",
                "Strata-us-east-1@us-east-1");
    }

    @Test
    void deployOrderIsKeysThenGlobalThenRegions() {
        CloudFormationStackArtifact peer = app.assembly.getStackByName("Strata-eu-west-1");
        CloudFormationStackArtifact global = app.assembly.getStackByName("Strata-Global");

        assertThat(peer.getDependencies().stream().map(a -> a.getId()).toList()).contains("Strata-Global");
        assertThat(global.getDependencies().stream().map(a -> a.getId()).toList())
                .contains("Strata-Keys-us-east-1", "Strata-Keys-eu-west-1");
    }

    @Test
    void everyRegionRunsTheSameServingStack() {
        for (String region : app.config.regions()) {
            Template template = app.region(region);
            template.resourceCountIs("AWS::ECS::Service", 1);
            template.resourceCountIs("AWS::ApiGatewayV2::Api", 1);
            template.resourceCountIs("AWS::Lambda::EventSourceMapping", 1);
            template.hasResourceProperties("AWS::CloudWatch::Dashboard",
                    Map.of("DashboardName", "Strata-" + region));
        }
    }

    @Test
    void availabilityZonesComeFromTheCommittedContextSoSynthNeedsNoAwsCall() {
        Template peer = app.region(SynthesizedStrata.PEER);

        peer.hasResourceProperties("AWS::EC2::Subnet", Map.of("AvailabilityZone", "eu-west-1a"));
        peer.hasResourceProperties("AWS::EC2::Subnet", Map.of("AvailabilityZone", "eu-west-1b"));
        assertThat(app.assembly.getManifest().getMissing()).as("no lookup left to do").isNullOrEmpty();
    }

    @Test
    void withACustomDomainEachRegionAddsAHealthCheckedLatencyRecord() {
        for (String region : app.config.regions()) {
            Template template = app.region(region);
            template.hasResourceProperties("AWS::Route53::HealthCheck", Map.of("HealthCheckConfig", Match.objectLike(
                    Map.of("Type", "HTTPS", "ResourcePath", RegionalDomain.HEALTH_PATH, "Port", 443))));
            template.hasResourceProperties("AWS::Route53::RecordSet", Map.of(
                    "Name", "api.strata.example.com.",
                    "Type", "A",
                    "Region", region,
                    "SetIdentifier", "strata-" + region,
                    "HostedZoneId", "Z0123456789ABC",
                    "HealthCheckId", Map.of("Ref", Match.stringLikeRegexp("DomainHealthCheck.*"))));
            template.hasResourceProperties("AWS::CertificateManager::Certificate",
                    Map.of("DomainName", "api.strata.example.com", "ValidationMethod", "DNS"));
            template.resourceCountIs("AWS::ApiGatewayV2::ApiMapping", 1);
        }
    }

    @Test
    void withoutADomainThereIsNoRoute53AndASingleRegionTableHasNoReplica() {
        SynthesizedStrata single = SynthesizedStrata.singleRegion();
        Template region = single.region(SynthesizedStrata.HOME);

        region.resourceCountIs("AWS::Route53::RecordSet", 0);
        region.resourceCountIs("AWS::Route53::HealthCheck", 0);
        region.resourceCountIs("AWS::CertificateManager::Certificate", 0);
        Map<String, Object> table = TemplateJson.only(single.global(), "AWS::DynamoDB::GlobalTable");
        assertThat((List<?>) table.get("Replicas")).hasSize(1);
        assertThat(TemplateJson.text(TemplateJson.properties(region, "AWS::EC2::Subnet")))
                .as("account-agnostic: AZs resolved at deploy time").contains("Fn::GetAZs");
    }

    @Test
    void withoutNatGatewaysTheIsolatedSubnetsGetTheInterfaceEndpointsTheTasksNeed() {
        Template region = SynthesizedStrata.singleRegion().region(SynthesizedStrata.HOME);

        region.resourceCountIs("AWS::EC2::NatGateway", 0);
        region.resourceCountIs("AWS::EC2::InternetGateway", 0);
        String endpoints = TemplateJson.text(TemplateJson.properties(region, "AWS::EC2::VPCEndpoint"));
        for (String service : List.of(".ecr.api", ".ecr.dkr", ".ecs-agent", ".logs", ".secretsmanager",
                ".bedrock-runtime", ".xray", ".s3", ".dynamodb")) {
            assertThat(endpoints).contains(service);
        }
        region.hasResourceProperties("AWS::AutoScaling::AutoScalingGroup", Map.of("MinSize", "1", "MaxSize", "2"));
    }

    @Test
    void singleRegionLayoutPassesCdkNagToo() {
        List<String> findings = SynthesizedStrata.singleRegion().assembly.getStacks().stream()
                .flatMap(s -> s.getMessages().stream()
                        .filter(m -> !m.getLevel().name().equals("INFO"))
                        .map(m -> s.getStackName() + " " + m.getId() + ": " + m.getEntry().getData()))
                .toList();

        assertThat(findings).isEmpty();
    }
}
