package dev.strata.catalog;

import dev.strata.api.CollectionSpec;
import dev.strata.api.StrataException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.enhanced.dynamodb.AttributeValueType;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbIndex;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.TableMetadata;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.document.EnhancedDocument;
import software.amazon.awssdk.enhanced.dynamodb.model.BatchGetItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.GetItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.PutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.ReadBatch;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@link Catalog} on the DynamoDB table defined by {@link CatalogSchema}, through the DynamoDB Enhanced Client
 * (document API: the items are heterogeneous). The client is injected and owned by the caller.
 *
 * <p>Shard items are created lazily by the first commit that touches a shard; a missing shard item reads as an
 * empty shard at version 0. Commits go through {@link CatalogCommitter} (one {@code TransactWriteItems}).
 * Listings use the GSI {@code gsi1} (eventually consistent); item reads are strong when asked.
 * Thread-safe: it holds no mutable state.
 */
public final class DynamoCatalog implements Catalog {

    /**
     * DynamoDB allows 100 items per transaction: the collection, the batch and at most 98 shards. A batch touching
     * more shards is committed in several commits by the caller (the batch item with the last).
     */
    public static final int MAX_SHARDS_PER_COMMIT = 98;

    private final DynamoDbEnhancedClient enhanced;
    private final DynamoDbTable<EnhancedDocument> table;
    private final DynamoDbIndex<EnhancedDocument> gsi1;
    private final Clock clock;
    private final CatalogCommitter committer;

    /**
     * @param enhanced  enhanced client over the caller's {@code DynamoDbClient}
     * @param tableName the catalog table (see {@link CatalogSchema#DEFAULT_TABLE_NAME})
     * @param clock     source of item times
     * @param retiredRetention how long compaction-removed segments stay listed as retired in their shard item
     */
    public DynamoCatalog(DynamoDbEnhancedClient enhanced, String tableName, Clock clock, Duration retiredRetention) {
        this.enhanced = enhanced;
        this.table = enhanced.table(tableName, TableSchema.documentSchemaBuilder()
                .addIndexPartitionKey(TableMetadata.primaryIndexName(), CatalogSchema.PK, AttributeValueType.S)
                .addIndexSortKey(TableMetadata.primaryIndexName(), CatalogSchema.SK, AttributeValueType.S)
                .addIndexPartitionKey(CatalogSchema.GSI1, CatalogSchema.GSI1_PK, AttributeValueType.S)
                .addIndexSortKey(CatalogSchema.GSI1, CatalogSchema.GSI1_SK, AttributeValueType.S)
                .attributeConverterProviders(software.amazon.awssdk.enhanced.dynamodb.AttributeConverterProvider
                        .defaultProvider())
                .build());
        this.gsi1 = table.index(CatalogSchema.GSI1);
        this.clock = clock;
        this.committer = new CatalogCommitter(enhanced, table, clock, retiredRetention, this);
    }

    /** A catalog over {@code client} on {@code tableName}, system clock, retired segments listed for a day. */
    public static DynamoCatalog of(DynamoDbClient client, String tableName) {
        return new DynamoCatalog(DynamoDbEnhancedClient.builder().dynamoDbClient(client).build(), tableName,
                Clock.systemUTC(), Duration.ofDays(1));
    }

    @Override
    public CollectionRecord createCollection(String tenant, String name, CollectionSpec spec, String homeRegion) {
        CollectionSpec.validateName(name);
        CollectionSpec filled = spec.withDefaults().validate();
        Instant now = clock.instant();
        CollectionRecord record = new CollectionRecord(tenant, name, filled, 0, homeRegion, now, now, null, 0, List.of());
        try {
            call(() -> {
                table.putItem(PutItemEnhancedRequest.builder(EnhancedDocument.class)
                        .item(CatalogItems.collection(record))
                        .conditionExpression(notExists())
                        .build());
                return null;
            });
        } catch (ConditionalCheckFailedException e) {
            throw new StrataException.Conflict("collection_exists", "collection '" + name + "' already exists");
        }
        return record;
    }

    @Override
    public Optional<CollectionRecord> findCollection(String tenant, String name, boolean consistentRead) {
        return get(CatalogSchema.collectionPk(tenant, name), CatalogSchema.TYPE_COLLECTION, consistentRead)
                .map(CatalogItems::collection);
    }

    @Override
    public List<CollectionRecord> listCollections(String tenant) {
        return queryGsi(CatalogSchema.ALL_COLLECTIONS, tenant + "#").stream().map(CatalogItems::collection).toList();
    }

    @Override
    public List<CollectionRecord> listAllCollections() {
        return queryGsi(CatalogSchema.ALL_COLLECTIONS, null).stream().map(CatalogItems::collection).toList();
    }

    @Override
    public void dropCollection(String tenant, String name) {
        CollectionRecord c = getCollection(tenant, name, true);
        // Children first, the collection item last: while it exists a crashed drop can simply be repeated.
        for (int i = 0; i < c.spec().shards(); i++) {
            delete(CatalogSchema.shardPk(tenant, name, i), CatalogSchema.TYPE_SHARD);
        }
        for (EnhancedDocument batch : queryGsi(CatalogSchema.batchesGsiPk(tenant, name), null)) {
            delete(batch.getString(CatalogSchema.PK), CatalogSchema.TYPE_BATCH);
        }
        delete(CatalogSchema.collectionPk(tenant, name), CatalogSchema.TYPE_COLLECTION);
    }

    @Override
    public List<ShardRecord> getShards(String tenant, String collection, boolean consistentRead) {
        CollectionRecord c = getCollection(tenant, collection, consistentRead);
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < c.spec().shards(); i++) {
            all.add(i);
        }
        return readShardItems(tenant, collection, all, consistentRead).stream().map(ShardItem::record).toList();
    }

    @Override
    public List<RetiredSegment> retiredSegments(String tenant, String collection, int shard) {
        return get(CatalogSchema.shardPk(tenant, collection, shard), CatalogSchema.TYPE_SHARD, true)
                .map(CatalogItems::retired).orElse(List.of());
    }

    @Override
    public CollectionRecord commit(Commit commit) {
        return committer.commit(commit);
    }

    @Override
    public Optional<BatchRecord> findBatch(String tenant, String collection, String batchId) {
        return get(CatalogSchema.batchPk(tenant, collection, batchId), CatalogSchema.TYPE_BATCH, true)
                .map(CatalogItems::batch);
    }

    @Override
    public Optional<BatchRecord> putBatchIfAbsent(BatchRecord pending) {
        try {
            call(() -> {
                table.putItem(PutItemEnhancedRequest.builder(EnhancedDocument.class)
                        .item(CatalogItems.batch(pending)).conditionExpression(notExists()).build());
                return null;
            });
            return Optional.empty();
        } catch (ConditionalCheckFailedException e) {
            return findBatch(pending.tenant(), pending.collection(), pending.batchId());
        }
    }

    @Override
    public void rejectBatch(BatchRecord rejected) {
        try {
            call(() -> {
                table.putItem(PutItemEnhancedRequest.builder(EnhancedDocument.class)
                        .item(CatalogItems.batch(rejected))
                        .conditionExpression(notAppliedBatch())
                        .build());
                return null;
            });
        } catch (ConditionalCheckFailedException e) {
            throw new StrataException.Conflict("batch_already_applied",
                    "batch '" + rejected.batchId() + "' is already applied; it cannot be rejected");
        }
    }

    @Override
    public void heartbeat(NodeRecord node) {
        call(() -> {
            table.putItem(CatalogItems.node(node));
            return null;
        });
    }

    @Override
    public List<NodeRecord> liveNodes(String region, Instant now) {
        // TTL deletion is lazy (up to days): expired items are filtered here, not trusted to be gone.
        return queryGsi(CatalogSchema.nodesGsiPk(region), null).stream()
                .map(CatalogItems::node)
                .filter(n -> n.expiresAt().isAfter(now))
                .sorted(Comparator.comparing(NodeRecord::nodeId))
                .toList();
    }

    @Override
    public void removeNode(String region, String nodeId) {
        delete(CatalogSchema.nodePk(region, nodeId), CatalogSchema.TYPE_NODE);
    }

    @Override
    public void putApiKey(ApiKeyRecord key) {
        call(() -> {
            table.putItem(CatalogItems.apiKey(key));
            return null;
        });
    }

    @Override
    public Optional<ApiKeyRecord> findApiKey(String keyHash) {
        return get(CatalogSchema.keyPk(keyHash), CatalogSchema.TYPE_KEY, false).map(CatalogItems::apiKey);
    }

    // ---- package-private helpers shared with CatalogCommitter ----

    /** A shard item as read: its record, retired list and whether the item exists (for the commit condition). */
    record ShardItem(ShardRecord record, List<RetiredSegment> retired, boolean exists) {}

    List<ShardItem> readShardItems(String tenant, String collection, List<Integer> shards, boolean consistentRead) {
        Map<String, EnhancedDocument> found = new java.util.HashMap<>();
        for (int from = 0; from < shards.size(); from += 100) {
            ReadBatch.Builder<EnhancedDocument> batch = ReadBatch.builder(EnhancedDocument.class).mappedTableResource(table);
            for (int shard : shards.subList(from, Math.min(shards.size(), from + 100))) {
                batch.addGetItem(GetItemEnhancedRequest.builder()
                        .key(key(CatalogSchema.shardPk(tenant, collection, shard), CatalogSchema.TYPE_SHARD))
                        .consistentRead(consistentRead).build());
            }
            ReadBatch readBatch = batch.build();
            // The page iterable re-requests unprocessed keys as further pages.
            call(() -> {
                enhanced.batchGetItem(BatchGetItemEnhancedRequest.builder().readBatches(readBatch).build())
                        .resultsForTable(table)
                        .forEach(d -> found.put(d.getString(CatalogSchema.PK), d));
                return null;
            });
        }
        List<ShardItem> out = new ArrayList<>(shards.size());
        for (int shard : shards) {
            EnhancedDocument d = found.get(CatalogSchema.shardPk(tenant, collection, shard));
            out.add(d == null
                    ? new ShardItem(new ShardRecord(tenant, collection, shard, List.of(), 0, null), List.of(), false)
                    : new ShardItem(CatalogItems.shard(d), CatalogItems.retired(d), true));
        }
        return out;
    }

    static Key key(String pk, String sk) {
        return Key.builder().partitionValue(pk).sortValue(sk).build();
    }

    static Expression notExists() {
        return Expression.builder().expression("attribute_not_exists(#pk)")
                .putExpressionName("#pk", CatalogSchema.PK).build();
    }

    static Expression notAppliedBatch() {
        return Expression.builder().expression("attribute_not_exists(#pk) OR #status <> :applied")
                .putExpressionName("#pk", CatalogSchema.PK)
                .putExpressionName("#status", CatalogItems.STATUS)
                .putExpressionValue(":applied", AttributeValue.fromS(BatchStatus.APPLIED.name()))
                .build();
    }

    /** Runs a DynamoDB call; conditional failures pass through, anything else becomes Unavailable. */
    static <T> T call(Supplier<T> action) {
        try {
            return action.get();
        } catch (ConditionalCheckFailedException e) {
            throw e;
        } catch (software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException e) {
            throw e;
        } catch (SdkException e) {
            throw new StrataException.Unavailable("catalog_unavailable",
                    "the catalog table cannot be reached: " + e.getMessage(), e);
        }
    }

    private Optional<EnhancedDocument> get(String pk, String sk, boolean consistentRead) {
        return Optional.ofNullable(call(() -> table.getItem(GetItemEnhancedRequest.builder()
                .key(key(pk, sk)).consistentRead(consistentRead).build())));
    }

    private void delete(String pk, String sk) {
        call(() -> table.deleteItem(key(pk, sk)));
    }

    private List<EnhancedDocument> queryGsi(String partition, String sortPrefix) {
        Key k = Key.builder().partitionValue(partition).sortValue(sortPrefix == null ? "" : sortPrefix).build();
        QueryConditional condition = sortPrefix == null
                ? QueryConditional.keyEqualTo(Key.builder().partitionValue(partition).build())
                : QueryConditional.sortBeginsWith(k);
        List<EnhancedDocument> out = new ArrayList<>();
        call(() -> {
            gsi1.query(r -> r.queryConditional(condition)).forEach(page -> out.addAll(page.items()));
            return null;
        });
        return out;
    }
}
