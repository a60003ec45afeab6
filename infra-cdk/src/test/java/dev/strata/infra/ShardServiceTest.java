package dev.strata.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

class ShardServiceTest {
    private final Template region = SynthesizedStrata.TWO_REGIONS.region(SynthesizedStrata.PEER);

    @Test
    void theVpcHasGatewayEndpointsForS3AndDynamoDbAndNoInterfaceEndpoints() {
        String endpoints = TemplateJson.text(TemplateJson.properties(region, "AWS::EC2::VPCEndpoint"));

        assertThat(TemplateJson.properties(region, "AWS::EC2::VPCEndpoint")).hasSize(2)
                .allSatisfy(e -> assertThat(e).containsEntry("VpcEndpointType", "Gateway"));
        assertThat(endpoints).contains(".s3\"").contains(".dynamodb\"");
        region.resourceCountIs("AWS::EC2::NatGateway", 1);
        region.hasResourceProperties("AWS::EC2::FlowLog", Map.of("TrafficType", "REJECT"));
    }

    @Test
    void instancesComeFromALaunchTemplateOfNvmeInstanceStoreTypes() {
        region.resourceCountIs("AWS::AutoScaling::LaunchConfiguration", 0);
        Map<String, Object> template = TemplateJson.only(region, "AWS::EC2::LaunchTemplate");
        Map<?, ?> data = (Map<?, ?>) template.get("LaunchTemplateData");

        assertThat(data.get("InstanceType")).isEqualTo("i4i.large");
        assertThat(data.get("MetadataOptions")).isEqualTo(Map.of("HttpTokens", "required"));
        assertThat(TemplateJson.text(data.get("BlockDeviceMappings"))).contains("\"Encrypted\":true");
        region.hasResourceProperties("AWS::AutoScaling::AutoScalingGroup", Map.of("MinSize", "2", "MaxSize", "8"));
    }

    @Test
    void userDataFormatsAndMountsTheInstanceStoreBeforeJoiningTheCluster() {
        Map<?, ?> data = (Map<?, ?>) TemplateJson.only(region, "AWS::EC2::LaunchTemplate").get("LaunchTemplateData");
        String userData = TemplateJson.text(data.get("UserData"));

        assertThat(userData).contains("Instance Storage").contains("/dev/nvme1n1")
                .contains("mkfs.xfs -f \\\"$CACHE_DEV\\\"")
                .contains("mount -o noatime \\\"$CACHE_DEV\\\" /mnt/strata-cache")
                .contains("chown 10001:10001 /mnt/strata-cache")
                .contains("ECS_CLUSTER=");
        assertThat(userData.indexOf("mkfs.xfs")).isLessThan(userData.indexOf("ECS_CLUSTER="));
    }

    @Test
    void theClusterUsesTheAutoScalingGroupAsAManagedCapacityProvider() {
        region.hasResourceProperties("AWS::ECS::CapacityProvider", Map.of("AutoScalingGroupProvider", Match.objectLike(
                Map.of("ManagedScaling", Match.objectLike(Map.of("Status", "ENABLED", "TargetCapacity", 100)),
                        "ManagedDraining", "ENABLED"))));
        region.hasResourceProperties("AWS::ECS::Service", Map.of(
                "CapacityProviderStrategy", List.of(Match.objectLike(Map.of("Weight", 1))),
                "PlacementConstraints", List.of(Map.of("Type", "distinctInstance")),
                "DeploymentConfiguration", Match.objectLike(Map.of("DeploymentCircuitBreaker",
                        Map.of("Enable", true, "Rollback", true)))));
        region.hasResourceProperties("AWS::ECS::Cluster", Map.of("ClusterSettings",
                List.of(Map.of("Name", "containerInsights", "Value", "enabled"))));
    }

    @Test
    void theTaskBindMountsTheCacheAndIsConfiguredForItsRegion() {
        Map<String, Object> task = TemplateJson.only(region, "AWS::ECS::TaskDefinition");
        assertThat(task).containsEntry("NetworkMode", "awsvpc")
                .containsEntry("Volumes", List.of(Map.of("Host", Map.of("SourcePath", "/mnt/strata-cache"),
                        "Name", "segment-cache")));
        Map<?, ?> shard = container(task, "shard");

        assertThat(shard.get("MountPoints")).isEqualTo(List.of(Map.of("ContainerPath", "/var/cache/strata",
                "ReadOnly", false, "SourceVolume", "segment-cache")));
        String env = TemplateJson.text(shard.get("Environment"));
        assertThat(env).contains("{\"Name\":\"STRATA_AWS_TABLE\",\"Value\":\"strata-catalog\"}")
                .contains("{\"Name\":\"STRATA_AWS_BUCKET\",\"Value\":{\"Ref\":\"SegmentsBucket5FE01FB6\"}}")
                .contains("{\"Name\":\"STRATA_NODE_REGION\",\"Value\":\"eu-west-1\"}")
                .contains("{\"Name\":\"STRATA_TRACING_OTLP_ENDPOINT\",\"Value\":\"http://127.0.0.1:4318/v1/traces\"}")
                .contains("{\"Name\":\"STRATA_CACHE_DIR\",\"Value\":\"/var/cache/strata\"}")
                .contains("{\"Name\":\"STRATA_HOME_BUCKET\",\"Value\":\"strata-segments-000000000000-us-east-1\"}")
                .contains("{\"Name\":\"AWS_REGION\",\"Value\":\"eu-west-1\"}")
                .contains("{\"Name\":\"STRATA_TLS_CLIENT_AUTH\",\"Value\":\"required\"}");
        assertThat(TemplateJson.text(shard.get("Secrets"))).contains("STRATA_TLS_KEY_PEM").contains(":keyPem::");
        assertThat(TemplateJson.text(shard.get("Image"))).contains("cdk-hnb659fds-container-assets");
        // mutual TLS on the service port: the in-task probe and the collector use the plain management port
        assertThat(TemplateJson.text(shard.get("HealthCheck"))).contains("http://127.0.0.1:8081/health/liveness");
        assertThat(TemplateJson.text(shard.get("Environment")))
                .contains("{\"Name\":\"STRATA_TLS_MANAGEMENT_PORT\",\"Value\":\"8081\"}");
        assertThat(shard.get("PortMappings")).isEqualTo(List.of(Map.of("ContainerPort", 8080, "Name", "search",
                "Protocol", "tcp")));
    }

    @Test
    void aCollectorSidecarScrapesPrometheusIntoCloudWatchAndTracesIntoXray() {
        Map<?, ?> collector = container(TemplateJson.only(region, "AWS::ECS::TaskDefinition"), "otel-collector");

        assertThat(collector.get("Essential")).isEqualTo(false);
        assertThat(String.valueOf(collector.get("Image"))).startsWith("public.ecr.aws/aws-observability/aws-otel-collector:v");
        String config = TemplateJson.text(collector.get("Environment"));
        assertThat(config).contains("AOT_CONFIG_CONTENT").contains("targets: ['127.0.0.1:8081']").contains("endpoint: 127.0.0.1:4318")
                .contains("awsemf:").contains("namespace: Strata").contains("'^vector_search_latency_seconds$'")
                .contains("'^search_qps_total$'").contains("'^replication_lag_seconds$'").contains("awsxray");
    }

    @Test
    void theServiceScalesOnCpuAndOnSearchLatency() {
        region.hasResourceProperties("AWS::ApplicationAutoScaling::ScalableTarget",
                Map.of("MinCapacity", 2, "MaxCapacity", 8));
        region.hasResourceProperties("AWS::ApplicationAutoScaling::ScalingPolicy", Map.of(
                "PolicyType", "TargetTrackingScaling",
                "TargetTrackingScalingPolicyConfiguration", Match.objectLike(Map.of(
                        "PredefinedMetricSpecification", Map.of("PredefinedMetricType", "ECSServiceAverageCPUUtilization"),
                        "TargetValue", 60))));
        region.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                "MetricName", "vector_search_latency_seconds",
                "Threshold", ShardService.LATENCY_SCALE_OUT_SECONDS,
                "ComparisonOperator", "GreaterThanOrEqualToThreshold",
                "AlarmActions", List.of(Match.objectLike(Map.of("Ref", Match.stringLikeRegexp("ShardsServiceTaskCountTargetSearchLatencyUpper.*"))))));
    }

    @Test
    void onlyTheRouterReachesTheShardsTlsPort() {
        region.hasResourceProperties("AWS::EC2::SecurityGroupIngress", Map.of(
                "FromPort", ShardService.SERVICE_PORT, "ToPort", ShardService.SERVICE_PORT, "IpProtocol", "tcp",
                "SourceSecurityGroupId", Map.of("Fn::GetAtt", List.of(Match.stringLikeRegexp("RouterSecurityGroup.*"),
                        "GroupId"))));
        assertThat(TemplateJson.text(TemplateJson.properties(region, "AWS::EC2::SecurityGroup")))
                .doesNotContain("0.0.0.0/0\",\"FromPort\"");
    }

    @Test
    void theTaskReadsSegmentsHereAndInTheHomeBucketAndDecryptsWithTheHomeKeyByAlias() {
        List<Map<String, Object>> statements = TemplateJson.statementsOfRole(region, "ShardsTaskTaskRole");

        assertThat(TemplateJson.text(TemplateJson.allowing(statements, "s3:GetObject")))
                .contains("strata-segments-000000000000-us-east-1/segments/*").contains("/segments/*");
        assertThat(TemplateJson.text(TemplateJson.allowing(statements, "kms:Decrypt")))
                .contains(":kms:us-east-1:000000000000:key/*").contains("alias/strata/data");
        assertThat(TemplateJson.allowing(statements, "s3:PutObject")).isEmpty();
    }

    @SuppressWarnings("unchecked")
    private static Map<?, ?> container(Map<String, Object> task, String name) {
        return ((List<Map<?, ?>>) task.get("ContainerDefinitions")).stream()
                .filter(c -> name.equals(c.get("Name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no container " + name));
    }
}
