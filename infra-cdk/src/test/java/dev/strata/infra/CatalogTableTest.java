package dev.strata.infra;

import dev.strata.catalog.CatalogSchema;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

class CatalogTableTest {
    private final Template global = SynthesizedStrata.TWO_REGIONS.global();

    @Test
    void isOneOnDemandGlobalTableWithAReplicaInEveryRegion() {
        // GIVEN the global stack of a two-region app
        // WHEN the catalog table is synthesized
        Map<String, Object> table = TemplateJson.only(global, "AWS::DynamoDB::GlobalTable");

        // THEN it is on demand, named as the catalog code expects, with one replica per region
        assertThat(table).containsEntry("TableName", CatalogSchema.DEFAULT_TABLE_NAME)
                .containsEntry("BillingMode", "PAY_PER_REQUEST");
        assertThat(TemplateJson.text(table.get("Replicas")))
                .contains("\"Region\":\"us-east-1\"").contains("\"Region\":\"eu-west-1\"");
    }

    @Test
    void hasTheKeysTtlStreamAndIndexOfTheCatalogSchema() {
        global.hasResourceProperties("AWS::DynamoDB::GlobalTable", Map.of(
                "KeySchema", List.of(
                        Map.of("AttributeName", "pk", "KeyType", "HASH"),
                        Map.of("AttributeName", "sk", "KeyType", "RANGE")),
                "TimeToLiveSpecification", Map.of("AttributeName", "expiresAt", "Enabled", true),
                "StreamSpecification", Map.of("StreamViewType", "NEW_IMAGE"),
                "GlobalSecondaryIndexes", List.of(Match.objectLike(Map.of(
                        "IndexName", "gsi1",
                        "KeySchema", List.of(
                                Map.of("AttributeName", "gsi1pk", "KeyType", "HASH"),
                                Map.of("AttributeName", "gsi1sk", "KeyType", "RANGE")))))));
    }

    @Test
    void everyReplicaHasPointInTimeRecoveryAndItsRegionsCustomerManagedKey() {
        Map<String, Object> table = TemplateJson.only(global, "AWS::DynamoDB::GlobalTable");
        String replicas = TemplateJson.text(table.get("Replicas"));

        assertThat(TemplateJson.text(table.get("SSESpecification")))
                .isEqualTo("{\"SSEEnabled\":true,\"SSEType\":\"KMS\"}");
        assertThat(replicas.split("PointInTimeRecoveryEnabled\":true", -1)).hasSize(3);
        // the home replica uses the key stack's key (imported), the peer its alias in its own region
        assertThat(replicas).contains("Fn::ImportValue");
        assertThat(replicas).contains(":kms:eu-west-1:000000000000:alias/strata/catalog");
    }

    @Test
    void isRetainedAndProtectedFromDeletion() {
        global.hasResource("AWS::DynamoDB::GlobalTable", Map.of(
                "DeletionPolicy", "Retain",
                "Properties", Match.objectLike(Map.of("Replicas", Match.arrayWith(List.of(
                        Match.objectLike(Map.of("DeletionProtectionEnabled", true))))))));
    }

    @Test
    void everyRegionHasARotatingCatalogKeyUnderTheSharedAlias() {
        for (String region : SynthesizedStrata.TWO_REGIONS.config.regions()) {
            Template keys = SynthesizedStrata.TWO_REGIONS.keys(region);
            keys.hasResourceProperties("AWS::KMS::Key", Map.of("EnableKeyRotation", true));
            keys.hasResourceProperties("AWS::KMS::Alias", Map.of("AliasName", DataKey.CATALOG_ALIAS));
        }
    }
}
