package dev.strata.infra;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Everything the app needs to know to lay out Strata, read from CDK context
 * ({@code -c regions=us-east-1,eu-west-1 -c homeRegion=us-east-1}).
 *
 * @param account     the AWS account, or {@code null} for an account-agnostic synth
 * @param homeRegion  region of the global stack (the catalog table's home); one of {@code regions}
 * @param regions     every region that serves, in order, without duplicates
 * @param domain      optional latency-routed public name
 * @param capacity    size of each region's serving tier
 * @param artifacts   where the other modules' builds are
 * @param replicateSegments whether segment buckets replicate to their peers; off only for the first deployment
 *                    of new regions, whose buckets must exist before another bucket can replicate into them
 * @param peerVpcs    whether every two regions' serving VPCs are peered, so that a router can call another
 *                    region's shard tasks when its own region has no healthy replica (DESIGN §6); on by default
 */
public record StrataConfig(String account, String homeRegion, List<String> regions, Optional<CustomDomain> domain,
                           ShardCapacity capacity, Artifacts artifacts, boolean replicateSegments, boolean peerVpcs) {

    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-gov)?-[a-z]+-[0-9]");
    private static final Pattern ACCOUNT = Pattern.compile("[0-9]{12}");

    public StrataConfig {
        regions = List.copyOf(regions);
        if (regions.isEmpty()) {
            throw new IllegalArgumentException("regions is empty; give at least one, e.g. -c regions=us-east-1");
        }
        for (String region : regions) {
            if (!REGION.matcher(region).matches()) {
                throw new IllegalArgumentException("regions contains '" + region + "', which is not a region name");
            }
        }
        if (new LinkedHashSet<>(regions).size() != regions.size()) {
            throw new IllegalArgumentException("regions " + regions + " lists a region twice");
        }
        if (!regions.contains(homeRegion)) {
            throw new IllegalArgumentException("homeRegion '" + homeRegion + "' is not one of regions " + regions);
        }
        if (regions.size() > 256 - CIDR_BASE) {
            throw new IllegalArgumentException("regions lists " + regions.size() + " regions; at most "
                    + (256 - CIDR_BASE) + " get distinct VPC address blocks");
        }
        if (account != null && !ACCOUNT.matcher(account).matches()) {
            throw new IllegalArgumentException("account '" + account + "' is not a 12-digit account id");
        }
    }

    /** First octet pair of the serving VPCs: region {@code i} of {@link #regions} gets 10.(base + i).0.0/16. */
    static final int CIDR_BASE = 32;

    /**
     * The serving VPC's address block in {@code region}: a distinct /16 per region (10.32.0.0/16 for the first,
     * 10.33.0.0/16 for the second, ...), so that the regions' VPCs can be peered and a router can reach another
     * region's shard tasks (DESIGN §6) without overlapping routes.
     */
    public String vpcCidr(String region) {
        int i = regions.indexOf(region);
        if (i < 0) {
            throw new IllegalArgumentException("region '" + region + "' is not one of " + regions);
        }
        return "10." + (CIDR_BASE + i) + ".0.0/16";
    }

    /** The serving VPC blocks of the regions whose routers may call {@code region}'s shards (none unpeered). */
    public Map<String, String> peerCidrsOf(String region) {
        Map<String, String> out = new LinkedHashMap<>();
        if (peerVpcs) {
            for (String peer : peersOf(region)) {
                out.put(peer, vpcCidr(peer));
            }
        }
        return out;
    }

    /** The regions other than {@code region}, in configured order: its replication peers. */
    public List<String> peersOf(String region) {
        List<String> peers = new ArrayList<>(regions);
        peers.remove(region);
        return peers;
    }

    /**
     * Reads the configuration from context values; {@code context} returns {@code null} for an absent key.
     * {@code defaultAccount} (the CLI's {@code CDK_DEFAULT_ACCOUNT}) is used when no {@code account} is given.
     */
    public static StrataConfig fromContext(Function<String, Object> context, String defaultAccount, Path workingDir) {
        List<String> regions = listOf(context.apply("regions"), List.of("us-east-1", "eu-west-1"));
        String home = stringOf(context.apply("homeRegion"), regions.getFirst());
        String account = stringOf(context.apply("account"), blankToNull(defaultAccount));

        String domainName = stringOf(context.apply("domainName"), null);
        String zoneId = stringOf(context.apply("hostedZoneId"), null);
        Optional<CustomDomain> domain = Optional.empty();
        if (domainName != null || zoneId != null) {
            String zoneName = stringOf(context.apply("hostedZoneName"),
                    domainName == null ? null : CustomDomain.parentZoneOf(domainName));
            domain = Optional.of(new CustomDomain(domainName, zoneId, zoneName));
        }

        ShardCapacity d = ShardCapacity.DEFAULT;
        ShardCapacity capacity = new ShardCapacity(
                stringOf(context.apply("shardInstanceType"), d.instanceType()),
                intOf("shardMinInstances", context.apply("shardMinInstances"), d.minInstances()),
                intOf("shardMaxInstances", context.apply("shardMaxInstances"), d.maxInstances()),
                intOf("natGateways", context.apply("natGateways"), d.natGateways()));

        String rootText = stringOf(context.apply("repositoryRoot"), null);
        Path root = rootText == null ? Artifacts.findRepositoryRoot(workingDir) : Path.of(rootText);
        Artifacts defaults = Artifacts.underRepository(root);
        Artifacts artifacts = new Artifacts(
                pathOf(context.apply("ingestJar"), defaults.ingestJar()),
                pathOf(context.apply("routerJar"), defaults.routerJar()),
                pathOf(context.apply("shardImageDirectory"), defaults.shardImageDirectory()));
        boolean replicate = !"false".equalsIgnoreCase(stringOf(context.apply("replicateSegments"), "true"));
        boolean peer = !"false".equalsIgnoreCase(stringOf(context.apply("peerVpcs"), "true"));
        return new StrataConfig(account, home, regions, domain, capacity, artifacts, replicate, peer);
    }

    private static List<String> listOf(Object value, List<String> fallback) {
        if (value == null) {
            return fallback;
        }
        List<String> out = new ArrayList<>();
        if (value instanceof List<?> list) {
            list.forEach(item -> out.add(String.valueOf(item).trim()));
        } else {
            for (String part : String.valueOf(value).split(",")) {
                if (!part.isBlank()) {
                    out.add(part.trim());
                }
            }
        }
        return out;
    }

    private static String stringOf(Object value, String fallback) {
        return value == null || String.valueOf(value).isBlank() ? fallback : String.valueOf(value).trim();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static int intOf(String key, Object value, int fallback) {
        if (value == null) {
            return fallback;
        }
        if (value instanceof Number number) {
            return number.intValue();
        }
        try {
            return Integer.parseInt(String.valueOf(value).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " is '" + value + "', which is not a whole number", e);
        }
    }

    private static Path pathOf(Object value, Path fallback) {
        return value == null ? fallback : Path.of(String.valueOf(value));
    }
}
