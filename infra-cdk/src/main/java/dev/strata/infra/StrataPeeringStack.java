package dev.strata.infra;

import java.util.List;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.ec2.CfnRoute;
import software.amazon.awscdk.services.ec2.CfnVPCPeeringConnection;
import software.amazon.awscdk.services.ec2.ISubnet;
import software.constructs.Construct;

/**
 * Joins two regions' serving VPCs (DESIGN §6: "the router may call another region's replicas"). Each pair of
 * regions gets two small stacks, deployed after both region stacks:
 * <ul>
 *   <li>{@code Strata-Peering-<a>-<b>} in region {@code a} ({@link #requester}): the inter-region VPC peering
 *       connection (same account, so CloudFormation accepts it without a role) and, in {@code a}'s app subnets,
 *       the route to {@code b}'s block through it;</li>
 *   <li>{@code Strata-PeerRoutes-<b>-<a>} in region {@code b} ({@link #accepter}): the route back.</li>
 * </ul>
 * The VPC id of {@code b} and the connection id cross regions through CDK's cross-region references (an SSM
 * parameter written in the producing region, read by a custom resource in the consuming one). Shard tasks admit
 * the peer's block on the mutual-TLS port ({@link ShardService#allowFromPeerRegion}); routers and shard nodes of
 * every region must hold certificates from one CA (docs/deploy.md).
 */
public final class StrataPeeringStack extends Stack {

    /** Set on the requesting side only. */
    private CfnVPCPeeringConnection connection;

    private StrataPeeringStack(Construct scope, String id, StackProps props) {
        super(scope, id, props);
    }

    /** The requesting side in {@code network}'s region: the connection, and the routes to {@code peer}. */
    public static StrataPeeringStack requester(Construct scope, StackProps props, String region,
                                               ServingNetwork network, String peerRegion, ServingNetwork peer) {
        StrataPeeringStack stack = new StrataPeeringStack(scope, "Strata-Peering-" + region + "-" + peerRegion,
                props);
        CfnVPCPeeringConnection connection = CfnVPCPeeringConnection.Builder.create(stack, "Connection")
                .vpcId(network.vpc().getVpcId())
                .peerVpcId(peer.vpc().getVpcId())
                .peerRegion(peerRegion)
                .build();
        routes(stack, network, peer.cidr(), connection.getRef());
        CfnOutput.Builder.create(stack, "ConnectionId").value(connection.getRef()).build();
        stack.addDependency(Stack.of(network.vpc()));
        stack.addDependency(Stack.of(peer.vpc()));
        stack.connection = connection;
        return stack;
    }

    /** The accepting side in {@code network}'s region: the routes back to the requester's block. */
    public static StrataPeeringStack accepter(Construct scope, StackProps props, String region, ServingNetwork network,
                                              String peerRegion, String peerCidr, StrataPeeringStack requester) {
        StrataPeeringStack stack = new StrataPeeringStack(scope, "Strata-PeerRoutes-" + region + "-" + peerRegion,
                props);
        routes(stack, network, peerCidr, requester.connection().getRef());
        stack.addDependency(requester);
        return stack;
    }

    /** The peering connection (requesting side only; null on the accepting side). */
    public CfnVPCPeeringConnection connection() {
        return connection;
    }

    private static void routes(Stack stack, ServingNetwork network, String destination, String connectionId) {
        List<ISubnet> subnets = network.vpc().selectSubnets(network.appSubnets()).getSubnets();
        for (int i = 0; i < subnets.size(); i++) {
            CfnRoute.Builder.create(stack, "RouteToPeer" + i)
                    .routeTableId(subnets.get(i).getRouteTable().getRouteTableId())
                    .destinationCidrBlock(destination)
                    .vpcPeeringConnectionId(connectionId)
                    .build();
        }
    }
}
