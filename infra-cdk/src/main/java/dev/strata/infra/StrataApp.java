package dev.strata.infra;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.NagPackProps;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Tags;

/**
 * The Strata CDK app. It only wires stacks: per region a {@link StrataKeyStack} ({@code Strata-Keys-<region>}),
 * in the home region the {@link StrataGlobalStack} ({@code Strata-Global}), and per region a
 * {@link StrataRegionStack} ({@code Strata-<region>}), and for every two regions the {@link StrataPeeringStack}s
 * that join their serving VPCs (unless {@code -c peerVpcs=false}). cdk-nag's AwsSolutions pack checks every stack.
 */
public final class StrataApp {

    /** The stacks of one synthesized app, for callers (and tests) that inspect them. */
    public record Stacks(Map<String, StrataKeyStack> keys, StrataGlobalStack global,
                         Map<String, StrataRegionStack> regions, List<StrataPeeringStack> peerings) {}

    private StrataApp() {}

    public static void main(String[] args) {
        App app = new App();
        StrataConfig config = StrataConfig.fromContext(key -> app.getNode().tryGetContext(key),
                System.getenv("CDK_DEFAULT_ACCOUNT"), Path.of("").toAbsolutePath());
        config.artifacts().requireBuilt();
        wire(app, config);
        app.synth();
    }

    /** Adds all stacks of {@code config} to {@code app}, and the cdk-nag checks. */
    public static Stacks wire(App app, StrataConfig config) {
        Map<String, StrataKeyStack> keys = new LinkedHashMap<>();
        for (String region : config.regions()) {
            keys.put(region, new StrataKeyStack(app, "Strata-Keys-" + region, stackProps(config, region,
                    "Strata data key, " + region)));
        }
        List<String> replicas = new ArrayList<>(config.peersOf(config.homeRegion()));
        StrataGlobalStack global = new StrataGlobalStack(app, "Strata-Global", new StrataGlobalStack.Props(
                stackProps(config, config.homeRegion(), "Strata catalog global table"),
                keys.get(config.homeRegion()).catalogKey(), replicas));
        keys.values().forEach(global::addStackDependency);

        Map<String, StrataRegionStack> regions = new LinkedHashMap<>();
        for (String region : config.regions()) {
            StrataRegionStack stack = new StrataRegionStack(app, "Strata-" + region, new StrataRegionStack.Props(
                    stackProps(config, region, "Strata serving, ingest and API, " + region),
                    keys.get(region).catalogKey(), config.homeRegion(),
                    config.replicateSegments() ? config.peersOf(region) : java.util.List.of(), config.capacity(),
                    config.artifacts(), config.domain(), config.vpcCidr(region), config.peerCidrsOf(region)));
            stack.addStackDependency(global);
            regions.put(region, stack);
        }
        List<StrataPeeringStack> peerings = new ArrayList<>();
        if (config.peerVpcs()) {
            List<String> all = config.regions();
            for (int i = 0; i < all.size(); i++) {
                for (int j = i + 1; j < all.size(); j++) {
                    String a = all.get(i);
                    String b = all.get(j);
                    StrataPeeringStack requester = StrataPeeringStack.requester(app,
                            peeringProps(config, a, "Strata VPC peering " + a + " <-> " + b), a,
                            regions.get(a).network(), b, regions.get(b).network());
                    StrataPeeringStack accepter = StrataPeeringStack.accepter(app,
                            peeringProps(config, b, "Strata VPC peering routes " + b + " -> " + a), b,
                            regions.get(b).network(), a, config.vpcCidr(a), requester);
                    peerings.add(requester);
                    peerings.add(accepter);
                }
            }
        }
        Tags.of(app).add("project", "strata");
        Aspects.of(app).add(new AwsSolutionsChecks(NagPackProps.builder().verbose(true).build()));
        return new Stacks(keys, global, regions, peerings);
    }

    /** As {@link #stackProps}, with CDK's cross-region references (the peer's VPC id, the connection id). */
    private static StackProps peeringProps(StrataConfig config, String region, String description) {
        return StackProps.builder()
                .env(Environment.builder().account(config.account()).region(region).build())
                .description(description)
                .terminationProtection(true)
                .crossRegionReferences(true)
                .build();
    }

    private static StackProps stackProps(StrataConfig config, String region, String description) {
        return StackProps.builder()
                .env(Environment.builder().account(config.account()).region(region).build())
                .description(description)
                .terminationProtection(true)
                .build();
    }
}
