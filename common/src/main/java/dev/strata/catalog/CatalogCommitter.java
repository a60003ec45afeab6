package dev.strata.catalog;

import dev.strata.api.StrataException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.document.EnhancedDocument;
import software.amazon.awssdk.enhanced.dynamodb.model.IgnoreNullsMode;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactPutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactUpdateItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactWriteItemsEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Writes one {@link Commit} as one {@code TransactWriteItems}: item 0 bumps the collection version (condition
 * {@code version = expected}), items 1..n replace each touched shard's segment list (condition: the shard item is
 * still at the version read, or still absent), the last item writes the batch as applied (condition: not already
 * applied). A cancelled transaction becomes {@link StrataException.Conflict} with code {@code version_conflict}
 * or {@code batch_already_applied}. Thread-safe: no mutable state.
 */
final class CatalogCommitter {

    static final int MAX_SHARDS_PER_COMMIT = DynamoCatalog.MAX_SHARDS_PER_COMMIT;

    private final DynamoDbEnhancedClient enhanced;
    private final DynamoDbTable<EnhancedDocument> table;
    private final Clock clock;
    private final Duration retiredRetention;
    private final DynamoCatalog catalog;

    CatalogCommitter(DynamoDbEnhancedClient enhanced, DynamoDbTable<EnhancedDocument> table, Clock clock,
                     Duration retiredRetention, DynamoCatalog catalog) {
        this.enhanced = enhanced;
        this.table = table;
        this.clock = clock;
        this.retiredRetention = retiredRetention;
        this.catalog = catalog;
    }

    CollectionRecord commit(Commit commit) {
        Set<Integer> touched = new TreeSet<>();
        touched.addAll(commit.added() == null ? Set.of() : commit.added().keySet());
        touched.addAll(commit.removed() == null ? Set.of() : commit.removed().keySet());
        if (touched.size() > MAX_SHARDS_PER_COMMIT) {
            throw new StrataException.InvalidRequest("commit touches " + touched.size()
                    + " shards; at most " + MAX_SHARDS_PER_COMMIT + " fit in one transaction");
        }
        // Strong reads: the conditions below make a stale read fail, but a fresh one avoids a useless attempt.
        CollectionRecord current = catalog.getCollection(commit.tenant(), commit.collection(), true);
        if (current.version() != commit.expectedVersion()) {
            throw versionConflict(commit, current.version());
        }
        for (int shard : touched) {
            if (shard < 0 || shard >= current.spec().shards()) {
                throw new StrataException.InvalidRequest("shard is " + shard + "; collection '" + commit.collection()
                        + "' has shards 0.." + (current.spec().shards() - 1));
            }
        }
        long newVersion = current.version() + 1;
        Instant now = clock.instant();
        List<DynamoCatalog.ShardItem> shards = catalog.readShardItems(
                commit.tenant(), commit.collection(), new ArrayList<>(touched), true);

        TransactWriteItemsEnhancedRequest.Builder tx = TransactWriteItemsEnhancedRequest.builder();
        tx.addUpdateItem(table, TransactUpdateItemEnhancedRequest.builder(EnhancedDocument.class)
                .item(collectionUpdate(commit, current, newVersion, now))
                .ignoreNullsMode(IgnoreNullsMode.SCALAR_ONLY)
                .conditionExpression(versionIs(current.version()))
                .build());
        for (DynamoCatalog.ShardItem shard : shards) {
            tx.addPutItem(table, TransactPutItemEnhancedRequest.builder(EnhancedDocument.class)
                    .item(shardAfter(commit, shard, newVersion, now))
                    .conditionExpression(shard.exists() ? versionIs(shard.record().version()) : DynamoCatalog.notExists())
                    .build());
        }
        if (commit.batch() != null) {
            BatchRecord b = commit.batch();
            BatchRecord applied = new BatchRecord(b.tenant(), b.collection(), b.batchId(), BatchStatus.APPLIED,
                    b.objectKey(), b.accepted(), b.deleted(), b.rejected(), b.rejectedCount(), b.rejectsKey(),
                    newVersion, null, b.createdAt() == null ? now : b.createdAt(), now);
            tx.addPutItem(table, TransactPutItemEnhancedRequest.builder(EnhancedDocument.class)
                    .item(CatalogItems.batch(applied))
                    .conditionExpression(DynamoCatalog.notAppliedBatch())
                    .build());
        }
        try {
            DynamoCatalog.call(() -> {
                enhanced.transactWriteItems(tx.build());
                return null;
            });
        } catch (TransactionCanceledException e) {
            throw conflictFrom(e, commit, shards.size());
        }
        List<float[]> centroids = current.centroids().isEmpty() && commit.centroids() != null
                ? commit.centroids() : current.centroids();
        return new CollectionRecord(current.tenant(), current.name(), current.spec(), newVersion, current.homeRegion(),
                current.createdAt(), now, now, Math.max(0, current.documentCount() + commit.documentDelta()), centroids);
    }

    private EnhancedDocument collectionUpdate(Commit commit, CollectionRecord current, long newVersion, Instant now) {
        EnhancedDocument.Builder b = CatalogItems.item(
                        CatalogSchema.collectionPk(current.tenant(), current.name()), CatalogSchema.TYPE_COLLECTION)
                .putNumber(CatalogItems.VERSION, newVersion)
                .putNumber(CatalogItems.UPDATED_AT, now.toEpochMilli())
                .putNumber(CatalogItems.LAST_COMMIT_AT, now.toEpochMilli())
                .putNumber(CatalogItems.DOCUMENT_COUNT, Math.max(0, current.documentCount() + commit.documentDelta()));
        if (commit.centroids() != null && !commit.centroids().isEmpty() && current.centroids().isEmpty()) {
            b.putBytes(CatalogItems.CENTROIDS, SdkBytes.fromByteArrayUnsafe(CentroidCodec.encode(commit.centroids())));
        }
        return b.build();
    }

    private EnhancedDocument shardAfter(Commit commit, DynamoCatalog.ShardItem item, long newVersion, Instant now) {
        int shard = item.record().shard();
        Set<String> removed = new HashSet<>(commit.removed() == null
                ? List.of() : commit.removed().getOrDefault(shard, List.of()));
        boolean swap = !removed.isEmpty();
        List<SegmentRef> segments = new ArrayList<>();
        List<RetiredSegment> retired = new ArrayList<>();
        int swapAt = -1;
        long swapVersion = 0;
        for (SegmentRef s : item.record().segments()) {
            if (removed.remove(s.segmentId())) {
                retired.add(new RetiredSegment(s.segmentId(), s.key(), now));
                swapAt = swapAt < 0 ? segments.size() : swapAt;
                swapVersion = Math.max(swapVersion, s.version());
            } else {
                segments.add(s);
            }
        }
        if (!removed.isEmpty()) {
            // A compaction swap built against segments that are gone: never commit half of it.
            throw new StrataException.Conflict("version_conflict", "shard " + shard + " of collection '"
                    + commit.collection() + "' no longer lists segments " + removed);
        }
        List<SegmentRef> added = commit.added() == null ? List.of() : commit.added().getOrDefault(shard, List.of());
        List<SegmentRef> placed = new ArrayList<>();
        for (SegmentRef s : added) {
            // A swap's segment takes the place (and the newest version) of what it replaces, so segments
            // committed after the compaction read its inputs still mask it.
            placed.add(new SegmentRef(s.segmentId(), s.key(), swap ? swapVersion : newVersion, s.rows(),
                    s.tombstones(), s.bytes(), s.checksum()));
        }
        segments.addAll(swap ? swapAt : segments.size(), placed);
        Instant keepFrom = now.minus(retiredRetention);
        for (RetiredSegment r : item.retired()) {
            if (r.retiredAt().isAfter(keepFrom)) {
                retired.add(r);
            }
        }
        ShardRecord after = new ShardRecord(commit.tenant(), commit.collection(), shard, List.copyOf(segments),
                newVersion, now);
        return CatalogItems.shard(after, retired);
    }

    private static Expression versionIs(long version) {
        return Expression.builder().expression("#version = :expected")
                .putExpressionName("#version", CatalogItems.VERSION)
                .putExpressionValue(":expected", AttributeValue.fromN(Long.toString(version)))
                .build();
    }

    private static StrataException.Conflict versionConflict(Commit commit, long actual) {
        return new StrataException.Conflict("version_conflict", "collection '" + commit.collection()
                + "' is at version " + actual + "; the commit expected version " + commit.expectedVersion());
    }

    private static StrataException.Conflict conflictFrom(TransactionCanceledException e, Commit commit, int shards) {
        List<CancellationReason> reasons = e.cancellationReasons();
        int batchIndex = 1 + shards;
        if (commit.batch() != null && reasons != null && reasons.size() > batchIndex
                && "ConditionalCheckFailed".equals(reasons.get(batchIndex).code())) {
            return new StrataException.Conflict("batch_already_applied",
                    "batch '" + commit.batch().batchId() + "' of collection '" + commit.collection()
                            + "' is already applied");
        }
        return new StrataException.Conflict("version_conflict", "collection '" + commit.collection()
                + "' changed since version " + commit.expectedVersion() + " was read ("
                + (reasons == null ? "no reasons" : reasons.stream().map(CancellationReason::code).toList()) + ")");
    }
}
