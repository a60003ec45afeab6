package dev.strata.infra;

import java.util.regex.Pattern;

/**
 * Size of a region's serving tier.
 *
 * @param instanceType EC2 type with NVMe instance store (the segment cache), e.g. {@code i4i.large}
 * @param minInstances instances (and shard tasks, one per instance) kept when idle
 * @param maxInstances upper bound for autoscaling
 * @param natGateways  NAT gateways of the serving VPC (0 means no egress except the S3/DynamoDB endpoints)
 */
public record ShardCapacity(String instanceType, int minInstances, int maxInstances, int natGateways) {
    /** Instance families whose types all carry NVMe instance store. */
    private static final Pattern NVME_TYPE = Pattern.compile("(i4i|i4g|i3en|i3|im4gn|is4gen|i7ie|i8g|[cmr][5-8][a-z]*d)\\.[0-9a-z]+");

    /** Two {@code i4i.large} instances (one per AZ) scaling to eight, one NAT gateway. */
    public static final ShardCapacity DEFAULT = new ShardCapacity("i4i.large", 2, 8, 1);

    public ShardCapacity {
        if (instanceType == null || !NVME_TYPE.matcher(instanceType).matches()) {
            throw new IllegalArgumentException("shardInstanceType '" + instanceType
                    + "' is not a type with NVMe instance store (e.g. i4i.large, i4g.xlarge, m6id.large)");
        }
        if (minInstances < 1) {
            throw new IllegalArgumentException("shardMinInstances is " + minInstances + "; it must be at least 1");
        }
        if (maxInstances < minInstances) {
            throw new IllegalArgumentException("shardMaxInstances is " + maxInstances
                    + "; it must be at least shardMinInstances (" + minInstances + ")");
        }
        if (natGateways < 0 || natGateways > 3) {
            throw new IllegalArgumentException("natGateways is " + natGateways + "; it must be between 0 and 3");
        }
    }
}
