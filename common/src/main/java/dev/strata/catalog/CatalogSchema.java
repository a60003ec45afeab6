package dev.strata.catalog;

import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveSpecification;
import software.amazon.awssdk.services.dynamodb.model.UpdateTimeToLiveRequest;

/**
 * The one definition of the catalog table: its name, keys, index and TTL attribute. The CDK stack, the local
 * emulation and the tests all build the table from these constants, so the table {@link DynamoCatalog} reads
 * is the table that exists.
 *
 * <h2>Items</h2>
 * Every item's partition key {@value #PK} is its logical key; its sort key {@value #SK} is the item type.
 * <table>
 *   <caption>item keys</caption>
 *   <tr><th>item</th><th>{@code pk}</th><th>{@code sk}</th><th>{@code gsi1pk} / {@code gsi1sk}</th></tr>
 *   <tr><td>collection</td><td>{@code COLLECTION#{tenant}#{name}}</td><td>{@code COLLECTION}</td>
 *       <td>{@code COLLECTIONS} / {@code {tenant}#{name}} (all collections; per tenant by prefix)</td></tr>
 *   <tr><td>shard</td><td>{@code SHARD#{tenant}#{name}#{i}}</td><td>{@code SHARD}</td><td>none</td></tr>
 *   <tr><td>batch</td><td>{@code BATCH#{tenant}#{name}#{batchId}}</td><td>{@code BATCH}</td>
 *       <td>{@code BATCHES#{tenant}#{name}} / {@code {batchId}} (batches of a collection)</td></tr>
 *   <tr><td>node</td><td>{@code NODE#{region}#{nodeId}}</td><td>{@code NODE}</td>
 *       <td>{@code NODES#{region}} / {@code {nodeId}} (nodes of a region); TTL in {@value #TTL_ATTRIBUTE}</td></tr>
 *   <tr><td>API key</td><td>{@code KEY#{sha256 hex}}</td><td>{@code KEY}</td><td>none</td></tr>
 * </table>
 *
 * <p>The table is on-demand, streams new images (the shard services may watch them) and expires NODE items by
 * {@value #TTL_ATTRIBUTE} (epoch seconds). DynamoDB deletes expired items lazily, so readers filter on it too.
 * Stateless; thread-safe.
 */
public final class CatalogSchema {

    /** Default table name (override with {@code STRATA_TABLE}). */
    public static final String DEFAULT_TABLE_NAME = "strata-catalog";
    /** Partition key attribute (S). */
    public static final String PK = "pk";
    /** Sort key attribute (S). */
    public static final String SK = "sk";
    /** The one global secondary index, for listings. */
    public static final String GSI1 = "gsi1";
    /** Partition key of {@link #GSI1} (S). */
    public static final String GSI1_PK = "gsi1pk";
    /** Sort key of {@link #GSI1} (S). */
    public static final String GSI1_SK = "gsi1sk";
    /** TTL attribute, epoch seconds (N), set on NODE items. */
    public static final String TTL_ATTRIBUTE = "expiresAt";

    /** Sort key values: the item types. */
    public static final String TYPE_COLLECTION = "COLLECTION";
    public static final String TYPE_SHARD = "SHARD";
    public static final String TYPE_BATCH = "BATCH";
    public static final String TYPE_NODE = "NODE";
    public static final String TYPE_KEY = "KEY";

    /** {@code gsi1pk} of every collection item. */
    public static final String ALL_COLLECTIONS = "COLLECTIONS";

    private CatalogSchema() {}

    public static String collectionPk(String tenant, String name) {
        return "COLLECTION#" + tenant + "#" + name;
    }

    public static String shardPk(String tenant, String name, int shard) {
        return "SHARD#" + tenant + "#" + name + "#" + shard;
    }

    public static String batchPk(String tenant, String name, String batchId) {
        return "BATCH#" + tenant + "#" + name + "#" + batchId;
    }

    public static String batchesGsiPk(String tenant, String name) {
        return "BATCHES#" + tenant + "#" + name;
    }

    public static String nodePk(String region, String nodeId) {
        return "NODE#" + region + "#" + nodeId;
    }

    public static String nodesGsiPk(String region) {
        return "NODES#" + region;
    }

    public static String keyPk(String keyHash) {
        return "KEY#" + keyHash;
    }

    /** {@code gsi1sk} of a collection item; a tenant's collections share the prefix {@code {tenant}#}. */
    public static String collectionGsiSk(String tenant, String name) {
        return tenant + "#" + name;
    }

    /** The table: on-demand, {@code pk}/{@code sk}, GSI {@code gsi1} projecting all attributes, streams on. */
    public static CreateTableRequest createTableRequest(String tableName) {
        return CreateTableRequest.builder()
                .tableName(tableName)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                        attribute(PK), attribute(SK), attribute(GSI1_PK), attribute(GSI1_SK))
                .keySchema(key(PK, KeyType.HASH), key(SK, KeyType.RANGE))
                .globalSecondaryIndexes(GlobalSecondaryIndex.builder()
                        .indexName(GSI1)
                        .keySchema(key(GSI1_PK, KeyType.HASH), key(GSI1_SK, KeyType.RANGE))
                        .projection(Projection.builder().projectionType(ProjectionType.ALL).build())
                        .build())
                .streamSpecification(StreamSpecification.builder()
                        .streamEnabled(true).streamViewType(StreamViewType.NEW_IMAGE).build())
                .build();
    }

    /** Turns on TTL on {@value #TTL_ATTRIBUTE} (a separate call: CreateTable cannot set it). */
    public static UpdateTimeToLiveRequest timeToLiveRequest(String tableName) {
        return UpdateTimeToLiveRequest.builder()
                .tableName(tableName)
                .timeToLiveSpecification(TimeToLiveSpecification.builder()
                        .attributeName(TTL_ATTRIBUTE).enabled(true).build())
                .build();
    }

    private static AttributeDefinition attribute(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }
}
