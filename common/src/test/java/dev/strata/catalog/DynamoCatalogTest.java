package dev.strata.catalog;

import dev.strata.api.CollectionSpec;
import dev.strata.api.Metric;
import dev.strata.api.Sharding;
import dev.strata.api.StrataException;
import dev.strata.emulator.EmbeddedDynamoDb;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DynamoCatalogTest {

    private static EmbeddedDynamoDb dynamo;
    private static DynamoCatalog catalog;
    private static final AtomicInteger NAMES = new AtomicInteger();

    @BeforeAll
    static void startDynamo() {
        dynamo = EmbeddedDynamoDb.start();
        DynamoDbClient client = dynamo.client();
        client.createTable(CatalogSchema.createTableRequest(CatalogSchema.DEFAULT_TABLE_NAME));
        client.updateTimeToLive(CatalogSchema.timeToLiveRequest(CatalogSchema.DEFAULT_TABLE_NAME));
        catalog = DynamoCatalog.of(client, CatalogSchema.DEFAULT_TABLE_NAME);
    }

    @AfterAll
    static void stopDynamo() {
        dynamo.close();
    }

    static CollectionSpec spec(int shards) {
        return new CollectionSpec(4, Metric.COSINE, shards, 1, Sharding.HASH, null, null, 0);
    }

    private static String freshName() {
        return "c" + NAMES.incrementAndGet();
    }

    static SegmentRef segment(String id, int shard) {
        return new SegmentRef(id, "segments/t/c/" + shard + "/" + id + "/", 0, 10, 1, 1234, "abcd");
    }

    static BatchRecord batch(String tenant, String collection, String id) {
        Instant now = Instant.now();
        return new BatchRecord(tenant, collection, id, BatchStatus.PENDING, "ingest/x.jsonl", 10, 1,
                List.of(new BatchRecord.Reject(3, "x", "bad")), 1, "rejects/x.jsonl", 0, null, now, now);
    }

    @Test
    void createdCollectionIsFoundListedAndDropped() {
        // GIVEN a collection created for tenant acme
        String name = freshName();
        catalog.createCollection("acme", name, spec(2), "us-east-1");
        // WHEN it is read back, listed, then dropped
        CollectionRecord read = catalog.getCollection("acme", name, true);
        // THEN it has version 0, the spec with defaults, and empty shards; after drop it is gone
        assertThat(read.version()).isZero();
        assertThat(read.spec()).isEqualTo(spec(2).withDefaults());
        assertThat(read.homeRegion()).isEqualTo("us-east-1");
        assertThat(catalog.getShards("acme", name, true)).hasSize(2)
                .allSatisfy(s -> assertThat(s.segments()).isEmpty());
        assertThat(catalog.listCollections("acme")).extracting(CollectionRecord::name).contains(name);
        assertThat(catalog.listCollections("other")).extracting(CollectionRecord::name).doesNotContain(name);
        assertThat(catalog.listAllCollections()).extracting(CollectionRecord::name).contains(name);
        catalog.dropCollection("acme", name);
        assertThat(catalog.findCollection("acme", name, true)).isEmpty();
        assertThatThrownBy(() -> catalog.getCollection("acme", name, true))
                .isInstanceOf(StrataException.NotFound.class)
                .hasMessage("collection '" + name + "' does not exist");
    }

    @Test
    void creatingAnExistingCollectionConflicts() {
        String name = freshName();
        catalog.createCollection("acme", name, spec(1), "us-east-1");
        assertThatThrownBy(() -> catalog.createCollection("acme", name, spec(1), "us-east-1"))
                .isInstanceOfSatisfying(StrataException.Conflict.class,
                        e -> assertThat(e.code()).isEqualTo("collection_exists"))
                .hasMessage("collection '" + name + "' already exists");
    }

    @Test
    void commitAppendsSegmentsWritesBatchAndBumpsVersion() {
        // GIVEN a collection at version 0
        String name = freshName();
        catalog.createCollection("acme", name, spec(2), "us-east-1");
        // WHEN a batch commits one segment to shard 1
        CollectionRecord after = catalog.commit(new Commit("acme", name, 0,
                Map.of(1, List.of(segment("s1", 1))), Map.of(), batch("acme", name, "b1"), 9, null));
        // THEN the version is 1, shard 1 lists the segment at version 1, the batch is applied at version 1
        assertThat(after.version()).isEqualTo(1);
        assertThat(catalog.getCollection("acme", name, true).documentCount()).isEqualTo(9);
        List<ShardRecord> shards = catalog.getShards("acme", name, true);
        assertThat(shards.get(0).segments()).isEmpty();
        assertThat(shards.get(1).segments()).extracting(SegmentRef::segmentId, SegmentRef::version)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("s1", 1L));
        BatchRecord b = catalog.findBatch("acme", name, "b1").orElseThrow();
        assertThat(b.status()).isEqualTo(BatchStatus.APPLIED);
        assertThat(b.version()).isEqualTo(1);
        assertThat(b.rejected()).containsExactly(new BatchRecord.Reject(3, "x", "bad"));
    }

    @Test
    void staleCommitConflictsAndSucceedsAfterReRead() {
        // GIVEN a commit that moved the collection to version 1
        String name = freshName();
        catalog.createCollection("acme", name, spec(1), "us-east-1");
        catalog.commit(new Commit("acme", name, 0, Map.of(0, List.of(segment("a", 0))), Map.of(), null, 1, null));
        // WHEN another commit still expects version 0
        Commit stale = new Commit("acme", name, 0, Map.of(0, List.of(segment("b", 0))), Map.of(), null, 1, null);
        // THEN it conflicts; re-read and retried at version 1, both segments are listed in order
        assertThatThrownBy(() -> catalog.commit(stale))
                .isInstanceOfSatisfying(StrataException.Conflict.class,
                        e -> assertThat(e.code()).isEqualTo("version_conflict"))
                .hasMessage("collection '" + name + "' is at version 1; the commit expected version 0");
        long current = catalog.getCollection("acme", name, true).version();
        catalog.commit(new Commit("acme", name, current, stale.added(), Map.of(), null, 1, null));
        assertThat(catalog.getShards("acme", name, true).get(0).segments())
                .extracting(SegmentRef::segmentId).containsExactly("a", "b");
    }

    @Test
    void concurrentCommitsWithRetryAreAllVisible() throws Exception {
        // GIVEN a 2-shard collection and 6 writers racing on it
        String name = freshName();
        catalog.createCollection("acme", name, spec(2), "us-east-1");
        ExecutorService pool = Executors.newFixedThreadPool(3);
        List<Callable<Long>> writers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String id = "w" + i;
            int shard = i % 2;
            writers.add(() -> {
                for (int attempt = 0; attempt < 50; attempt++) {
                    long version = catalog.getCollection("acme", name, true).version();
                    try {
                        return catalog.commit(new Commit("acme", name, version, Map.of(shard, List.of(segment(id, shard))),
                                Map.of(), batch("acme", name, id), 1, null)).version();
                    } catch (StrataException.Conflict e) {
                        assertThat(e.code()).isEqualTo("version_conflict");
                    }
                }
                throw new AssertionError("no commit after 50 attempts");
            });
        }
        // WHEN they all commit with re-read and retry
        List<Long> versions = new ArrayList<>();
        for (Future<Long> f : pool.invokeAll(writers, 60, TimeUnit.SECONDS)) {
            versions.add(f.get());
        }
        pool.shutdown();
        // THEN every segment is listed, each commit got its own version, and the collection is at 6
        assertThat(versions).containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L, 6L);
        List<ShardRecord> shards = catalog.getShards("acme", name, true);
        assertThat(shards.get(0).segments()).extracting(SegmentRef::segmentId).containsExactlyInAnyOrder("w0", "w2", "w4");
        assertThat(shards.get(1).segments()).extracting(SegmentRef::segmentId).containsExactlyInAnyOrder("w1", "w3", "w5");
        assertThat(catalog.getCollection("acme", name, true).version()).isEqualTo(6);
    }

    @Test
    void appliedBatchCannotCommitTwice() {
        // GIVEN batch b1 applied
        String name = freshName();
        catalog.createCollection("acme", name, spec(1), "us-east-1");
        assertThat(catalog.putBatchIfAbsent(batch("acme", name, "b1"))).isEmpty();
        catalog.commit(new Commit("acme", name, 0, Map.of(0, List.of(segment("a", 0))), Map.of(),
                batch("acme", name, "b1"), 1, null));
        // WHEN the same batch commits again at the current version
        Commit again = new Commit("acme", name, 1, Map.of(0, List.of(segment("a2", 0))), Map.of(),
                batch("acme", name, "b1"), 1, null);
        // THEN it is refused as already applied, nothing changed, and putBatchIfAbsent returns the applied item
        assertThatThrownBy(() -> catalog.commit(again))
                .isInstanceOfSatisfying(StrataException.Conflict.class,
                        e -> assertThat(e.code()).isEqualTo("batch_already_applied"));
        assertThat(catalog.getCollection("acme", name, true).version()).isEqualTo(1);
        assertThat(catalog.getShards("acme", name, true).get(0).segments()).hasSize(1);
        assertThat(catalog.putBatchIfAbsent(batch("acme", name, "b1")))
                .hasValueSatisfying(b -> assertThat(b.status()).isEqualTo(BatchStatus.APPLIED));
        assertThatThrownBy(() -> catalog.rejectBatch(batch("acme", name, "b1")))
                .isInstanceOf(StrataException.Conflict.class);
    }

    @Test
    void compactionSwapTakesThePlaceOfWhatItReplaces() {
        // GIVEN a shard with segments a and b (version 1), then d committed at version 2
        String name = freshName();
        catalog.createCollection("acme", name, spec(1), "us-east-1");
        catalog.commit(new Commit("acme", name, 0, Map.of(0, List.of(segment("a", 0), segment("b", 0))),
                Map.of(), null, 2, null));
        catalog.commit(new Commit("acme", name, 1, Map.of(0, List.of(segment("d", 0))), Map.of(), null, 1, null));
        // WHEN a compaction swaps a and b for c
        catalog.commit(new Commit("acme", name, 2, Map.of(0, List.of(segment("c", 0))),
                Map.of(0, List.of("a", "b")), null, 0, null));
        // THEN c stands where a and b stood, with their version, so the newer d still masks it
        assertThat(catalog.getShards("acme", name, true).get(0).segments())
                .extracting(SegmentRef::segmentId, SegmentRef::version)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("c", 1L), org.assertj.core.groups.Tuple.tuple("d", 2L));
        assertThat(catalog.retiredSegments("acme", name, 0)).extracting(RetiredSegment::segmentId)
                .containsExactlyInAnyOrder("a", "b");
        // AND a swap of segments no longer listed conflicts
        assertThatThrownBy(() -> catalog.commit(new Commit("acme", name, 3, Map.of(0, List.of(segment("e", 0))),
                Map.of(0, List.of("a")), null, 0, null)))
                .isInstanceOf(StrataException.Conflict.class)
                .hasMessageContaining("no longer lists segments [a]");
    }

    @Test
    void centroidsAreStoredByTheFirstCommitOnly() {
        String name = freshName();
        catalog.createCollection("acme", name, spec(2), "us-east-1");
        List<float[]> centroids = List.of(new float[]{1, 0, 0, 0.5f}, new float[]{0, 1, -2, 3});
        catalog.commit(new Commit("acme", name, 0, Map.of(), Map.of(), null, 0, centroids));
        catalog.commit(new Commit("acme", name, 1, Map.of(), Map.of(), null, 0, List.of(new float[4], new float[4])));
        List<float[]> stored = catalog.getCollection("acme", name, true).centroids();
        assertThat(stored).hasSize(2);
        assertThat(stored.get(0)).containsExactly(1, 0, 0, 0.5f);
        assertThat(stored.get(1)).containsExactly(0, 1, -2, 3);
    }

    @Test
    void liveNodesSkipsExpiredHeartbeatsAndRemovedNodes() {
        // GIVEN three heartbeats in region r1, one expired, and one in r2
        Instant now = Instant.now();
        String region = "r-" + freshName();
        catalog.heartbeat(node(region, "n1", now.plusSeconds(10)));
        catalog.heartbeat(node(region, "n2", now.minusSeconds(1)));
        catalog.heartbeat(node(region, "n3", now.plusSeconds(10)));
        catalog.heartbeat(node(region + "x", "n4", now.plusSeconds(10)));
        // WHEN n3 leaves and live nodes are listed
        catalog.removeNode(region, "n3");
        List<NodeRecord> live = catalog.liveNodes(region, now);
        // THEN only n1 is live, with its fields intact
        assertThat(live).extracting(NodeRecord::nodeId).containsExactly("n1");
        assertThat(live.get(0).applied()).containsEntry("acme/c/0", 7L);
        assertThat(live.get(0).endpoint()).isEqualTo("http://127.0.0.1:9000");
    }

    private static NodeRecord node(String region, String id, Instant expiresAt) {
        return new NodeRecord(region, id, "http://127.0.0.1:9000", Map.of("acme/c/0", 7L), Map.of("acme/c/0", 3L),
                true, 1.5, Instant.now(), expiresAt);
    }

    @Test
    void apiKeysAreFoundByHash() {
        ApiKeyRecord key = new ApiKeyRecord("ab".repeat(32), "k1", "acme", ApiKeyRecord.Role.WRITER,
                Instant.ofEpochMilli(1_700_000_000_000L));
        catalog.putApiKey(key);
        assertThat(catalog.findApiKey("ab".repeat(32))).contains(key);
        assertThat(catalog.findApiKey("cd".repeat(32))).isEmpty();
    }
}
