package dev.strata.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

class SegmentBucketTest {
    private final Template home = SynthesizedStrata.TWO_REGIONS.region(SynthesizedStrata.HOME);
    private final Template peer = SynthesizedStrata.TWO_REGIONS.region(SynthesizedStrata.PEER);

    private static Map<String, Object> segmentBucket(Template template) {
        return TemplateJson.properties(template, "AWS::S3::Bucket").stream()
                .filter(p -> TemplateJson.text(p.get("BucketName")).contains("strata-segments-"))
                .findFirst().orElseThrow(() -> new AssertionError("no segment bucket"));
    }

    @Test
    void hasADeterministicNameFromAccountAndRegion() {
        assertThat(segmentBucket(home)).containsEntry("BucketName", "strata-segments-000000000000-us-east-1");
        assertThat(segmentBucket(peer)).containsEntry("BucketName", "strata-segments-000000000000-eu-west-1");
    }

    @Test
    void isEncryptedWithTheRegionsKeyVersionedAndPrivate() {
        Map<String, Object> bucket = segmentBucket(home);

        String encryption = TemplateJson.text(bucket.get("BucketEncryption"));
        assertThat(encryption).contains("\"SSEAlgorithm\":\"aws:kms\"").contains("DataKey")
                .contains("\"BucketKeyEnabled\":true");
        assertThat(bucket.get("VersioningConfiguration")).isEqualTo(Map.of("Status", "Enabled"));
        assertThat(bucket.get("PublicAccessBlockConfiguration")).isEqualTo(Map.of(
                "BlockPublicAcls", true, "BlockPublicPolicy", true, "IgnorePublicAcls", true,
                "RestrictPublicBuckets", true));
        assertThat(TemplateJson.text(bucket.get("LoggingConfiguration"))).contains("segment-bucket/");
    }

    @Test
    void deniesEveryRequestThatIsNotTls() {
        home.hasResourceProperties("AWS::S3::BucketPolicy", Map.of("PolicyDocument", Map.of("Statement",
                Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "Effect", "Deny",
                        "Action", "s3:*",
                        "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false")))))))));
    }

    @Test
    void expiresIngestBatchesRejectsAndOldSegmentVersions() {
        String rules = TemplateJson.text(segmentBucket(home).get("LifecycleConfiguration"));

        assertThat(rules).contains("{\"AbortIncompleteMultipartUpload\":{\"DaysAfterInitiation\":1},"
                + "\"ExpirationInDays\":30,\"Id\":\"ingest\",\"NoncurrentVersionExpiration\":{\"NoncurrentDays\":7},"
                + "\"Prefix\":\"ingest/\",\"Status\":\"Enabled\"}");
        assertThat(rules).contains("\"ExpiredObjectDeleteMarker\":true,\"Id\":\"segments\","
                + "\"NoncurrentVersionExpiration\":{\"NoncurrentDays\":7},\"Prefix\":\"segments/\"");
        assertThat(rules).contains("\"ExpirationInDays\":90,\"Id\":\"rejects\"");
    }

    @Test
    void replicatesSegmentsToThePeerBucketUnderThePeersKey() {
        Map<String, Object> replication = (Map<String, Object>) segmentBucket(home).get("ReplicationConfiguration");

        assertThat(TemplateJson.text(replication.get("Role"))).contains("ReplicationRole");
        assertThat(replication.get("Rules")).isEqualTo(List.of(Map.of(
                "DeleteMarkerReplication", Map.of("Status", "Disabled"),
                "Destination", Map.of(
                        "Bucket", Map.of("Fn::Join", List.of("", List.of("arn:", Map.of("Ref", "AWS::Partition"),
                                ":s3:::strata-segments-000000000000-eu-west-1"))),
                        "EncryptionConfiguration", Map.of("ReplicaKmsKeyID", Map.of("Fn::Join", List.of("",
                                List.of("arn:", Map.of("Ref", "AWS::Partition"),
                                        ":kms:eu-west-1:000000000000:alias/strata/data"))))),
                "Filter", Map.of("Prefix", "segments/"),
                "Id", "segments-to-eu-west-1",
                "Priority", 0,
                "SourceSelectionCriteria", Map.of("SseKmsEncryptedObjects", Map.of("Status", "Enabled")),
                "Status", "Enabled")));
        assertThat(TemplateJson.text(segmentBucket(peer).get("ReplicationConfiguration")))
                .contains("strata-segments-000000000000-us-east-1").contains(":kms:us-east-1:");
    }

    @Test
    void replicationRoleMayWriteOnlySegmentsOfPeersWithThePeersDataKey() {
        List<Map<String, Object>> statements = TemplateJson.statementsOfRole(home, "SegmentsReplicationRole");

        assertThat(TemplateJson.text(TemplateJson.allowing(statements, "s3:ReplicateObject")))
                .contains("strata-segments-000000000000-eu-west-1/segments/*");
        String encrypt = TemplateJson.text(TemplateJson.allowing(statements, "kms:Encrypt"));
        assertThat(encrypt).contains(":kms:eu-west-1:000000000000:key/*")
                .contains("\"kms:ResourceAliases\":[\"alias/strata/data\"]")
                .contains("\"kms:ViaService\":\"s3.eu-west-1.amazonaws.com\"");
        assertThat(statements).allSatisfy(s -> assertThat(TemplateJson.actions(s)).doesNotContain("s3:*", "kms:*"));
    }

    @Test
    void aSingleRegionHasNothingToReplicate() {
        Template single = SynthesizedStrata.singleRegion().region(SynthesizedStrata.HOME);

        assertThat(segmentBucket(single)).doesNotContainKey("ReplicationConfiguration");
        assertThat(TemplateJson.text(segmentBucket(single).get("BucketName")))
                .as("account-agnostic name still derived from the account").contains("AWS::AccountId");
    }
}
