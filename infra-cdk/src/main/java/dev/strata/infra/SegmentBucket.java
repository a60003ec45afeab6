package dev.strata.infra;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.CfnBucket;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.constructs.Construct;

/**
 * The region's segment bucket (DESIGN §1, §6): {@code ingest/} (the write-ahead log), {@code segments/} (immutable
 * index segments, replicated to every peer region's bucket) and {@code rejects/} (ingest reports). SSE-KMS with the
 * region's data key, TLS only, no public access, versioned. Bucket names are derived from account and region, so
 * each region knows its peers' buckets without any hand-written ARN.
 */
public final class SegmentBucket extends Construct {
    public static final String INGEST_PREFIX = "ingest/";
    public static final String SEGMENTS_PREFIX = "segments/";
    public static final String REJECTS_PREFIX = "rejects/";

    /**
     * @param key         the region's data key
     * @param peerRegions regions whose buckets receive this bucket's segments
     * @param lifecycle   how long objects are kept
     */
    public record Props(IKey key, List<String> peerRegions, Retention lifecycle) {
        public Props {
            peerRegions = List.copyOf(peerRegions);
        }
    }

    /**
     * @param ingestDays           days an ingest batch stays after upload (the batch record keeps its outcome)
     * @param rejectsDays          days a rejects report stays
     * @param noncurrentDays       days a replaced or deleted object version (e.g. a compacted segment) stays
     */
    public record Retention(int ingestDays, int rejectsDays, int noncurrentDays) {
        public static final Retention DEFAULT = new Retention(30, 90, 7);
    }

    private final Bucket bucket;
    private final Role replicationRole; // null for a single region: nothing to replicate to

    public SegmentBucket(Construct scope, String id, Props props) {
        super(scope, id);
        String region = Stack.of(this).getRegion();
        Bucket accessLogs = Bucket.Builder.create(this, "AccessLogs")
                .encryption(BucketEncryption.S3_MANAGED) // the log delivery service cannot write SSE-KMS
                .enforceSsl(true)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_PREFERRED)
                .lifecycleRules(List.of(LifecycleRule.builder().id("expire-logs").expiration(Duration.days(90)).build()))
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        Nag.suppress(accessLogs, "S1", "this is the server access log target itself; logging it would recurse");
        this.bucket = Bucket.Builder.create(this, "Bucket")
                .bucketName(nameIn(this, region))
                .encryption(BucketEncryption.KMS)
                .encryptionKey(props.key())
                .bucketKeyEnabled(true)
                .enforceSsl(true)
                .minimumTlsVersion(1.2)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .versioned(true)
                .serverAccessLogsBucket(accessLogs)
                .serverAccessLogsPrefix("segment-bucket/")
                .lifecycleRules(lifecycleRules(props.lifecycle()))
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        if (props.peerRegions().isEmpty()) {
            this.replicationRole = null;
        } else {
            this.replicationRole = Role.Builder.create(this, "ReplicationRole")
                    .assumedBy(new ServicePrincipal("s3.amazonaws.com"))
                    .description("Replicates segments/ to the other Strata regions' buckets")
                    .build();
            configureReplication(props);
        }
    }

    /** The deterministic bucket name of {@code region} in the current account. */
    public static String nameIn(Construct scope, String region) {
        return "strata-segments-" + Stack.of(scope).getAccount() + "-" + region;
    }

    private static List<LifecycleRule> lifecycleRules(Retention retention) {
        Duration abortUploads = Duration.days(1);
        return List.of(
                LifecycleRule.builder().id("ingest").prefix(INGEST_PREFIX)
                        .expiration(Duration.days(retention.ingestDays()))
                        .noncurrentVersionExpiration(Duration.days(retention.noncurrentDays()))
                        .abortIncompleteMultipartUploadAfter(abortUploads)
                        .build(),
                LifecycleRule.builder().id("segments").prefix(SEGMENTS_PREFIX)
                        .noncurrentVersionExpiration(Duration.days(retention.noncurrentDays()))
                        .expiredObjectDeleteMarker(true)
                        .abortIncompleteMultipartUploadAfter(abortUploads)
                        .build(),
                LifecycleRule.builder().id("rejects").prefix(REJECTS_PREFIX)
                        .expiration(Duration.days(retention.rejectsDays()))
                        .noncurrentVersionExpiration(Duration.days(retention.noncurrentDays()))
                        .abortIncompleteMultipartUploadAfter(abortUploads)
                        .build());
    }

    private void configureReplication(Props props) {
        Stack stack = Stack.of(this);
        String sourceRegion = stack.getRegion();
        replicationRole.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("s3:GetReplicationConfiguration", "s3:ListBucket"))
                .resources(List.of(bucket.getBucketArn()))
                .build());
        replicationRole.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl",
                        "s3:GetObjectVersionTagging"))
                .resources(List.of(bucket.arnForObjects(SEGMENTS_PREFIX + "*")))
                .build());
        replicationRole.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("kms:Decrypt"))
                .resources(List.of(props.key().getKeyArn()))
                .conditions(Map.of("StringEquals", Map.of("kms:ViaService", "s3." + sourceRegion + ".amazonaws.com")))
                .build());

        List<CfnBucket.ReplicationRuleProperty> rules = new ArrayList<>();
        int priority = 0;
        for (String peer : props.peerRegions()) {
            String peerBucketArn = "arn:" + stack.getPartition() + ":s3:::" + nameIn(this, peer);
            replicationRole.addToPolicy(PolicyStatement.Builder.create()
                    .actions(List.of("s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"))
                    .resources(List.of(peerBucketArn + "/" + SEGMENTS_PREFIX + "*"))
                    .build());
            replicationRole.addToPolicy(PolicyStatement.Builder.create()
                    .actions(List.of("kms:Encrypt", "kms:GenerateDataKey"))
                    .resources(List.of(DataKey.anyKeyArn(this, peer)))
                    .conditions(Map.of(
                            "ForAnyValue:StringEquals", Map.of("kms:ResourceAliases", List.of(DataKey.DATA_ALIAS)),
                            "StringEquals", Map.of("kms:ViaService", "s3." + peer + ".amazonaws.com")))
                    .build());
            rules.add(CfnBucket.ReplicationRuleProperty.builder()
                    .id("segments-to-" + peer)
                    .priority(priority++)
                    .status("Enabled")
                    .filter(CfnBucket.ReplicationRuleFilterProperty.builder().prefix(SEGMENTS_PREFIX).build())
                    .deleteMarkerReplication(CfnBucket.DeleteMarkerReplicationProperty.builder()
                            .status("Disabled").build())
                    .sourceSelectionCriteria(CfnBucket.SourceSelectionCriteriaProperty.builder()
                            .sseKmsEncryptedObjects(CfnBucket.SseKmsEncryptedObjectsProperty.builder()
                                    .status("Enabled").build())
                            .build())
                    .destination(CfnBucket.ReplicationDestinationProperty.builder()
                            .bucket(peerBucketArn)
                            .encryptionConfiguration(CfnBucket.EncryptionConfigurationProperty.builder()
                                    .replicaKmsKeyId(DataKey.aliasArn(this, peer, DataKey.DATA_ALIAS))
                                    .build())
                            .build())
                    .build());
        }
        Nag.suppressOnly(replicationRole, "IAM5", "S3 replication reads every version under segments/ here and"
                + " writes it under segments/ of each peer bucket; the peer keys are matched by their alias"
                + " (kms:ResourceAliases condition) since their ids are only known in their own region",
                Nag.objectsUnder(SEGMENTS_PREFIX), Nag.KEYS_BY_ALIAS);
        CfnBucket cfn = (CfnBucket) bucket.getNode().getDefaultChild();
        cfn.setReplicationConfiguration(CfnBucket.ReplicationConfigurationProperty.builder()
                .role(replicationRole.getRoleArn())
                .rules(rules)
                .build());
    }

    public Bucket bucket() {
        return bucket;
    }

    /** The role S3 replicates with; empty when there is no peer region. */
    public java.util.Optional<Role> replicationRole() {
        return java.util.Optional.ofNullable(replicationRole);
    }
}
