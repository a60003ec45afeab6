package dev.strata.infra;

import dev.strata.catalog.CatalogSchema;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.Billing;
import software.amazon.awscdk.services.dynamodb.GlobalSecondaryIndexPropsV2;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.ReplicaTableProps;
import software.amazon.awscdk.services.dynamodb.StreamViewType;
import software.amazon.awscdk.services.dynamodb.TableEncryptionV2;
import software.amazon.awscdk.services.dynamodb.TableV2;
import software.amazon.awscdk.services.kms.IKey;
import software.constructs.Construct;

/**
 * The catalog: one DynamoDB global table (single-table design, DESIGN §3) with a replica in every region,
 * on-demand, point-in-time recovery, each replica encrypted with its region's catalog key ({@link DataKey}), TTL on node
 * heartbeats and a stream (global tables replicate through it; it also lets tools follow commits).
 */
public final class CatalogTable extends Construct {

    /**
     * @param homeKey        the catalog key of the region this table is deployed in
     * @param replicaRegions the other regions, each of which holds a key under {@link DataKey#CATALOG_ALIAS}
     */
    public record Props(IKey homeKey, List<String> replicaRegions) {
        public Props {
            replicaRegions = List.copyOf(replicaRegions);
        }
    }

    private final TableV2 table;

    public CatalogTable(Construct scope, String id, Props props) {
        super(scope, id);
        Map<String, String> replicaKeys = new LinkedHashMap<>();
        for (String region : props.replicaRegions()) {
            replicaKeys.put(region, DataKey.aliasArn(this, region, DataKey.CATALOG_ALIAS));
        }
        PointInTimeRecoverySpecification pitr = PointInTimeRecoverySpecification.builder()
                .pointInTimeRecoveryEnabled(true)
                .build();
        this.table = TableV2.Builder.create(this, "Table")
                .tableName(CatalogSchema.DEFAULT_TABLE_NAME)
                .partitionKey(Attribute.builder().name(CatalogSchema.PK).type(AttributeType.STRING).build())
                .sortKey(Attribute.builder().name(CatalogSchema.SK).type(AttributeType.STRING).build())
                .billing(Billing.onDemand())
                .pointInTimeRecoverySpecification(pitr)
                .timeToLiveAttribute(CatalogSchema.TTL_ATTRIBUTE)
                .dynamoStream(StreamViewType.NEW_IMAGE)
                .encryption(TableEncryptionV2.customerManagedKey(props.homeKey(), replicaKeys))
                .globalSecondaryIndexes(List.of(GlobalSecondaryIndexPropsV2.builder()
                        .indexName(CatalogSchema.GSI1)
                        .partitionKey(Attribute.builder()
                                .name(CatalogSchema.GSI1_PK).type(AttributeType.STRING).build())
                        .sortKey(Attribute.builder()
                                .name(CatalogSchema.GSI1_SK).type(AttributeType.STRING).build())
                        .build()))
                .replicas(props.replicaRegions().stream()
                        .map(region -> ReplicaTableProps.builder()
                                .region(region)
                                .pointInTimeRecoverySpecification(pitr)
                                .build())
                        .toList())
                .deletionProtection(true)
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
    }

    public TableV2 table() {
        return table;
    }
}
