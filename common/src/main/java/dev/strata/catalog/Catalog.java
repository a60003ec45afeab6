package dev.strata.catalog;

import dev.strata.api.CollectionSpec;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The catalog: collections, their shards' segment lists, ingest batches, node heartbeats and API keys.
 * In AWS a DynamoDB global table ({@link DynamoCatalog}); the same implementation runs against DynamoDB Local
 * in tests and in the local emulation.
 *
 * <p>Errors are {@link dev.strata.api.StrataException}s: {@code NotFound} for a missing collection,
 * {@code Conflict} for a failed condition, {@code Unavailable} when the table cannot be reached.
 * Implementations are thread-safe.
 */
public interface Catalog {

    /** Creates a collection at version 0 with {@code spec.shards()} empty shards; Conflict if the name exists. */
    CollectionRecord createCollection(String tenant, String name, CollectionSpec spec, String homeRegion);

    /** The collection, read strongly when {@code consistentRead} (for {@code fresh} reads and commits). */
    Optional<CollectionRecord> findCollection(String tenant, String name, boolean consistentRead);

    /** The collection or {@code NotFound} naming it. */
    default CollectionRecord getCollection(String tenant, String name, boolean consistentRead) {
        return findCollection(tenant, name, consistentRead).orElseThrow(() -> new dev.strata.api.StrataException.NotFound(
                "collection_not_found", "collection '" + name + "' does not exist"));
    }

    /** The tenant's collections, by name. */
    List<CollectionRecord> listCollections(String tenant);

    /** Every collection of every tenant (shard services use it to find what to serve). */
    List<CollectionRecord> listAllCollections();

    /** Deletes the collection and its shard and batch items; NotFound if absent. Segment objects expire later. */
    void dropCollection(String tenant, String name);

    /** All shards of a collection, by shard number. */
    List<ShardRecord> getShards(String tenant, String collection, boolean consistentRead);

    /**
     * Commits atomically (one {@code TransactWriteItems}): appends/removes segments of every touched shard,
     * writes the batch item as applied, bumps the collection version by one and sets its commit time; all
     * conditioned on the collection still being at {@code commit.expectedVersion()}. Segments added to a shard
     * together with removed ones (a compaction swap) take the place of the removed ones in the shard's order and
     * their highest version, so segments committed in between still mask them; other added segments are
     * appended with the new version.
     *
     * @return the collection after the commit (its new version)
     * @throws dev.strata.api.StrataException.Conflict when the version moved or the batch is already applied
     */
    CollectionRecord commit(Commit commit);

    /** The batch, if ingest has seen it. */
    Optional<BatchRecord> findBatch(String tenant, String collection, String batchId);

    /**
     * Records a batch as pending unless an item exists; returns the existing item when one does (so a
     * redelivered event can see it was applied, or resume a pending one).
     */
    Optional<BatchRecord> putBatchIfAbsent(BatchRecord pending);

    /** Writes the batch item as rejected (whole batch refused: unknown collection, limits). */
    void rejectBatch(BatchRecord rejected);

    /**
     * Segments a compaction removed from the shard recently (kept listed for a retention period), so the orphan
     * sweeper can give replicas a grace period before their objects are deleted. Default: none recorded.
     */
    default List<RetiredSegment> retiredSegments(String tenant, String collection, int shard) {
        return List.of();
    }

    /** Writes or refreshes a node's heartbeat. */
    void heartbeat(NodeRecord node);

    /** Nodes of the region whose heartbeat has not expired at {@code now}. */
    List<NodeRecord> liveNodes(String region, Instant now);

    /** Removes a node's heartbeat (graceful shutdown). */
    void removeNode(String region, String nodeId);

    /** Stores an API key record (the key is hashed by the caller). */
    void putApiKey(ApiKeyRecord key);

    /** Finds an API key by the hex SHA-256 of the key. */
    Optional<ApiKeyRecord> findApiKey(String keyHash);
}
