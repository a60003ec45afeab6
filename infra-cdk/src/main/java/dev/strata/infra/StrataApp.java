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
 * {@link StrataRegionStack} ({@code Strata-<region>}). cdk-nag's AwsSolutions pack checks every stack.
 */
public final class StrataApp {

    /** The stacks of one synthesized app, for callers (and tests) that inspect them. */
    public record Stacks(Map<String, StrataKeyStack> keys, StrataGlobalStack global,
                         Map<String, StrataRegionStack> regions) {}

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
                    config.artifacts(), config.domain()));
            stack.addStackDependency(global);
            regions.put(region, stack);
        }
        Tags.of(app).add("project", "strata");
        Aspects.of(app).add(new AwsSolutionsChecks(NagPackProps.builder().verbose(true).build()));
        return new Stacks(keys, global, regions);
    }

    private static StackProps stackProps(StrataConfig config, String region, String description) {
        return StackProps.builder()
                .env(Environment.builder().account(config.account()).region(region).build())
                .description(description)
                .terminationProtection(true)
                .build();
    }
}
