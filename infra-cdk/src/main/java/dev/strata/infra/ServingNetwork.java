package dev.strata.infra;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.ec2.FlowLogDestination;
import software.amazon.awscdk.services.ec2.FlowLogOptions;
import software.amazon.awscdk.services.ec2.FlowLogTrafficType;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointAwsService;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointOptions;
import software.amazon.awscdk.services.ec2.InterfaceVpcEndpointAwsService;
import software.amazon.awscdk.services.ec2.InterfaceVpcEndpointOptions;
import software.amazon.awscdk.services.ec2.IpAddresses;
import software.amazon.awscdk.services.ec2.SubnetConfiguration;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/**
 * The serving VPC: shard tasks and the router run in private subnets of two AZs. S3 and DynamoDB (the bulk of the
 * traffic: segments and catalog) go through gateway endpoints, which cost nothing; everything else (ECR pulls,
 * logs, Bedrock, Secrets Manager) leaves through the NAT gateways, by default one, which is cheaper when idle than
 * the ten interface endpoints per AZ that would replace it. With {@code natGateways = 0} the private subnets are
 * isolated and exactly those interface endpoints are added (ECR, ECS agent, logs, Secrets Manager, Bedrock,
 * X-Ray, STS), which suits accounts that forbid internet egress but costs more when idle.
 */
public final class ServingNetwork extends Construct {
    /** What the shard tasks, the router and the collector call besides S3 and DynamoDB. */
    private static final Map<String, InterfaceVpcEndpointAwsService> INTERFACE_ENDPOINTS = new java.util.TreeMap<>(Map.of(
            "EcrApi", InterfaceVpcEndpointAwsService.ECR,
            "EcrDocker", InterfaceVpcEndpointAwsService.ECR_DOCKER,
            "Ecs", InterfaceVpcEndpointAwsService.ECS,
            "EcsAgent", InterfaceVpcEndpointAwsService.ECS_AGENT,
            "EcsTelemetry", InterfaceVpcEndpointAwsService.ECS_TELEMETRY,
            "Logs", InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS,
            "SecretsManager", InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
            "BedrockRuntime", InterfaceVpcEndpointAwsService.BEDROCK_RUNTIME,
            "XRay", InterfaceVpcEndpointAwsService.XRAY,
            "Sts", InterfaceVpcEndpointAwsService.STS));

    private final Vpc vpc;
    private final String cidr;
    private final SubnetSelection appSubnets;

    /**
     * @param natGateways 0 for isolated subnets with interface endpoints, else the NAT gateways of the VPC
     * @param cidr        the VPC's address block, distinct per region so that regions can be peered
     */
    public ServingNetwork(Construct scope, String id, int natGateways, String cidr) {
        super(scope, id);
        SubnetType appType = natGateways > 0 ? SubnetType.PRIVATE_WITH_EGRESS : SubnetType.PRIVATE_ISOLATED;
        List<SubnetConfiguration> subnets = natGateways > 0
                ? List.of(SubnetConfiguration.builder().name("edge").subnetType(SubnetType.PUBLIC).cidrMask(24).build(),
                        SubnetConfiguration.builder().name("app").subnetType(appType).cidrMask(20).build())
                : List.of(SubnetConfiguration.builder().name("app").subnetType(appType).cidrMask(20).build());
        this.appSubnets = SubnetSelection.builder().subnetType(appType).build();
        this.cidr = cidr;
        this.vpc = Vpc.Builder.create(this, "Vpc")
                .ipAddresses(IpAddresses.cidr(cidr))
                .maxAzs(2)
                .natGateways(natGateways)
                .subnetConfiguration(subnets)
                .restrictDefaultSecurityGroup(true)
                .gatewayEndpoints(Map.of(
                        "S3", GatewayVpcEndpointOptions.builder().service(GatewayVpcEndpointAwsService.S3).build(),
                        "DynamoDb", GatewayVpcEndpointOptions.builder()
                                .service(GatewayVpcEndpointAwsService.DYNAMODB).build()))
                .build();
        if (natGateways == 0) {
            for (var entry : INTERFACE_ENDPOINTS.entrySet()) {
                var endpoint = vpc.addInterfaceEndpoint(entry.getKey(), InterfaceVpcEndpointOptions.builder()
                        .service(entry.getValue())
                        .subnets(appSubnets)
                        .privateDnsEnabled(true)
                        .build());
                Nag.suppressUnevaluable(endpoint, "EC23", "the endpoint's security group admits HTTPS from the"
                        + " VPC's own CIDR block only (a token cdk-nag cannot evaluate), never 0.0.0.0/0");
            }
        }
        LogGroup flowLogs = LogGroup.Builder.create(this, "FlowLogs")
                .retention(RetentionDays.ONE_MONTH)
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        // Rejected traffic only: the signal for a mis-set security group, at a fraction of the cost of ALL.
        vpc.addFlowLog("Rejected", FlowLogOptions.builder()
                .destination(FlowLogDestination.toCloudWatchLogs(flowLogs))
                .trafficType(FlowLogTrafficType.REJECT)
                .build());
    }

    public Vpc vpc() {
        return vpc;
    }

    /** The VPC's address block. */
    public String cidr() {
        return cidr;
    }

    /** The private subnets the shard tasks and the router run in. */
    public SubnetSelection appSubnets() {
        return appSubnets;
    }
}
