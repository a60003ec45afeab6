package dev.strata.infra;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.ec2.FlowLogDestination;
import software.amazon.awscdk.services.ec2.FlowLogOptions;
import software.amazon.awscdk.services.ec2.FlowLogTrafficType;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointAwsService;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointOptions;
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
 * the half-dozen interface endpoints per AZ that would replace it. With {@code natGateways = 0} the private
 * subnets are isolated and only the gateway endpoints reach out.
 */
public final class ServingNetwork extends Construct {
    private final Vpc vpc;
    private final SubnetSelection appSubnets;

    public ServingNetwork(Construct scope, String id, int natGateways) {
        super(scope, id);
        SubnetType appType = natGateways > 0 ? SubnetType.PRIVATE_WITH_EGRESS : SubnetType.PRIVATE_ISOLATED;
        List<SubnetConfiguration> subnets = natGateways > 0
                ? List.of(SubnetConfiguration.builder().name("edge").subnetType(SubnetType.PUBLIC).cidrMask(24).build(),
                        SubnetConfiguration.builder().name("app").subnetType(appType).cidrMask(20).build())
                : List.of(SubnetConfiguration.builder().name("app").subnetType(appType).cidrMask(20).build());
        this.appSubnets = SubnetSelection.builder().subnetType(appType).build();
        this.vpc = Vpc.Builder.create(this, "Vpc")
                .maxAzs(2)
                .natGateways(natGateways)
                .subnetConfiguration(subnets)
                .restrictDefaultSecurityGroup(true)
                .gatewayEndpoints(Map.of(
                        "S3", GatewayVpcEndpointOptions.builder().service(GatewayVpcEndpointAwsService.S3).build(),
                        "DynamoDb", GatewayVpcEndpointOptions.builder()
                                .service(GatewayVpcEndpointAwsService.DYNAMODB).build()))
                .build();
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

    /** The private subnets the shard tasks and the router run in. */
    public SubnetSelection appSubnets() {
        return appSubnets;
    }
}
