package dev.strata.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

class RegionPeeringTest {
    private final SynthesizedStrata app = SynthesizedStrata.TWO_REGIONS;

    @Test
    void everyRegionGetsItsOwnVpcBlockSoTheirVpcsCanBePeered() {
        app.region(SynthesizedStrata.HOME).hasResourceProperties("AWS::EC2::VPC", Map.of("CidrBlock", "10.32.0.0/16"));
        app.region(SynthesizedStrata.PEER).hasResourceProperties("AWS::EC2::VPC", Map.of("CidrBlock", "10.33.0.0/16"));
    }

    @Test
    void theHomeRegionRequestsThePeeringAndRoutesItsAppSubnetsToThePeer() {
        Template requester = app.template("Strata-Peering-us-east-1-eu-west-1");

        requester.resourceCountIs("AWS::EC2::VPCPeeringConnection", 1);
        requester.hasResourceProperties("AWS::EC2::VPCPeeringConnection", Map.of("PeerRegion", "eu-west-1",
                "VpcId", Map.of("Fn::ImportValue", Match.anyValue()),
                "PeerVpcId", Match.anyValue()));
        requester.resourceCountIs("AWS::EC2::Route", 2);
        requester.allResourcesProperties("AWS::EC2::Route", Map.of("DestinationCidrBlock", "10.33.0.0/16",
                "VpcPeeringConnectionId", Map.of("Ref", Match.stringLikeRegexp("Connection.*"))));
    }

    @Test
    void thePeerRoutesItsAppSubnetsBackThroughTheSameConnection() {
        Template accepter = app.template("Strata-PeerRoutes-eu-west-1-us-east-1");

        accepter.resourceCountIs("AWS::EC2::VPCPeeringConnection", 0);
        accepter.resourceCountIs("AWS::EC2::Route", 2);
        accepter.allResourcesProperties("AWS::EC2::Route", Map.of("DestinationCidrBlock", "10.32.0.0/16",
                "VpcPeeringConnectionId", Match.anyValue()));
        assertThat(TemplateJson.text(TemplateJson.properties(accepter, "AWS::EC2::Route")))
                .as("the connection id crosses regions by CDK's cross-region reference")
                .contains("ExportsReader", "StrataPeeringuseast1euwest1", "RefConnection");
    }

    @Test
    void shardTasksAdmitThePeerRegionsBlockOnTheMutualTlsPortOnly() {
        for (var pair : List.of(List.of(SynthesizedStrata.HOME, "10.33.0.0/16"),
                List.of(SynthesizedStrata.PEER, "10.32.0.0/16"))) {
            String rules = TemplateJson.text(TemplateJson.properties(app.region(pair.get(0)),
                    "AWS::EC2::SecurityGroup"));
            assertThat(rules).as(pair.get(0)).contains(pair.get(1));
            app.region(pair.get(0)).hasResourceProperties("AWS::EC2::SecurityGroup", Map.of(
                    "SecurityGroupIngress", Match.arrayWith(List.of(Match.objectLike(Map.of(
                            "CidrIp", pair.get(1), "FromPort", ShardService.SERVICE_PORT,
                            "ToPort", ShardService.SERVICE_PORT, "IpProtocol", "tcp"))))));
        }
    }

    @Test
    void everyStackOfTwoPeeredRegionsPassesCdkNag() {
        // the peering stacks, and the region stacks that now write cross-region exports
        List<String> findings = app.assembly.getStacks().stream()
                .flatMap(s -> s.getMessages().stream()
                        .filter(m -> !m.getLevel().name().equals("INFO"))
                        .map(m -> s.getStackName() + " " + m.getId() + ": " + m.getEntry().getData()))
                .toList();

        assertThat(findings).isEmpty();
    }

    @Test
    void aSingleRegionHasNoPeeringAndAdmitsNoOtherBlock() {
        SynthesizedStrata single = SynthesizedStrata.singleRegion();

        assertThat(single.stacks.peerings()).isEmpty();
        assertThat(TemplateJson.text(TemplateJson.properties(single.region(SynthesizedStrata.HOME),
                "AWS::EC2::SecurityGroup"))).doesNotContain("10.33.0.0/16");
    }
}
