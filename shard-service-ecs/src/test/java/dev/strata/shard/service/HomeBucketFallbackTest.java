package dev.strata.shard.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.api.Document;
import dev.strata.catalog.Catalog;
import dev.strata.catalog.CollectionRecord;
import dev.strata.catalog.SegmentRef;
import dev.strata.store.S3SegmentStore;
import dev.strata.store.SegmentStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * DESIGN §6: a segment committed in the home region but not replicated into this region's bucket yet is read from
 * the home bucket (two buckets of one in-process S3 server), verified as any download.
 */
class HomeBucketFallbackTest {

    private static final int DIMENSION = 8;
    private static final String HOME = "strata-segments-home";
    private static ShardServiceFixture fixture;
    private static SegmentStore homeStore;

    @BeforeAll
    static void start() {
        fixture = ShardServiceFixture.shared();
        fixture.s3.createBucket(HOME);
        homeStore = new S3SegmentStore(fixture.s3.client(), HOME);
    }

    @AfterEach
    void stopNodes() {
        fixture.stopNodes();
    }

    @Test
    void segmentOnlyInTheHomeBucketIsServed() throws InterruptedException {
        // GIVEN a commit whose segment is in the home bucket only (replication has not copied it yet)
        Catalog catalog = fixture.newCatalog();
        CollectionRecord collection = collection(catalog, "home-only");
        List<Document> docs = ShardServiceFixture.documents("h", 60, DIMENSION, 11);
        SegmentRef segment = fixture.writeSegment(homeStore, collection, 0, docs, List.of());
        CollectionRecord v1 = ShardServiceFixture.commit(catalog, collection, Map.of(0, List.of(segment)));
        assertThat(fixture.store.list(segment.key())).isEmpty();
        // WHEN a node of this region with the home bucket configured loads the shard
        ShardNode node = startNode("home-1", catalog, new HomeBucket(HOME, homeStore));
        // THEN it serves the commit, and counts every file it read from the home bucket
        assertThat(node.awaitReady(Duration.ofSeconds(30))).isTrue();
        JsonNode answer = search(node.endpoint(), v1, docs.get(17).vector());
        assertThat(answer.get("version").asLong()).isEqualTo(v1.version());
        assertThat(answer.get("hits").get(0).get("id").asText()).isEqualTo("h-17");
        assertThat(metric(node.endpoint(), "segment_home_fallback_total"))
                .isEqualTo(homeStore.list(segment.key()).size());
        assertThat(metric(node.endpoint(), "segment_corrupt_total")).isZero();
    }

    @Test
    void onlyTheFilesNotReplicatedYetAreReadFromTheHomeBucket() throws InterruptedException {
        // GIVEN a segment whose manifest and all files but one were replicated
        Catalog catalog = fixture.newCatalog();
        CollectionRecord collection = collection(catalog, "partly");
        List<Document> docs = ShardServiceFixture.documents("p", 60, DIMENSION, 12);
        SegmentRef segment = fixture.writeSegment(homeStore, collection, 0, docs, List.of());
        List<String> keys = homeStore.list(segment.key());
        String lagging = keys.stream().filter(k -> !k.endsWith("manifest.json")).findFirst().orElseThrow();
        keys.stream().filter(k -> !k.equals(lagging)).forEach(k -> replicate(k, fixture.store));
        CollectionRecord v1 = ShardServiceFixture.commit(catalog, collection, Map.of(0, List.of(segment)));
        // WHEN the node loads the shard
        ShardNode node = startNode("partly-1", catalog, new HomeBucket(HOME, homeStore));
        // THEN it serves the commit, having read exactly one object from the home bucket
        assertThat(node.awaitReady(Duration.ofSeconds(30))).isTrue();
        assertThat(search(node.endpoint(), v1, docs.get(3).vector()).get("hits").get(0).get("id").asText())
                .isEqualTo("p-3");
        assertThat(metric(node.endpoint(), "segment_home_fallback_total")).isEqualTo(1);
    }

    @Test
    void fileReadFromTheHomeBucketIsVerifiedLikeAnyDownload() throws Exception {
        // GIVEN a replicated manifest, and the one file not replicated yet damaged in the home bucket
        Catalog catalog = fixture.newCatalog();
        CollectionRecord collection = collection(catalog, "damaged");
        SegmentRef segment = fixture.writeSegment(homeStore, collection, 0,
                ShardServiceFixture.documents("d", 60, DIMENSION, 13), List.of());
        List<String> keys = homeStore.list(segment.key());
        String lagging = keys.stream().filter(k -> !k.endsWith("manifest.json")).findFirst().orElseThrow();
        keys.stream().filter(k -> !k.equals(lagging)).forEach(k -> replicate(k, fixture.store));
        byte[] bytes = read(homeStore, lagging);
        bytes[bytes.length / 2] ^= 0x5a;
        homeStore.put(lagging, bytes, "application/octet-stream");
        ShardServiceFixture.commit(catalog, collection, Map.of(0, List.of(segment)));
        // WHEN the node loads the shard
        ShardNode node = startNode("damaged-1", catalog, new HomeBucket(HOME, homeStore));
        // THEN the segment is refused as corrupt and never served
        URI endpoint = node.endpoint();
        assertThat(ShardServiceFixture.eventually(Duration.ofSeconds(15),
                () -> metric(endpoint, "segment_corrupt_total") >= 1)).isTrue();
        assertThat(node.ready()).isFalse();
        assertThat(node.appliedVersions()).doesNotContainKey("acme/damaged/0");
    }

    @Test
    void withoutAHomeBucketTheMissingSegmentIsRetriedUntilReplicated() throws InterruptedException {
        // GIVEN a commit whose segment is in the home bucket only, and a node with no home bucket configured
        Catalog catalog = fixture.newCatalog();
        CollectionRecord collection = collection(catalog, "no-home");
        List<Document> docs = ShardServiceFixture.documents("n", 60, DIMENSION, 14);
        SegmentRef segment = fixture.writeSegment(homeStore, collection, 0, docs, List.of());
        CollectionRecord v1 = ShardServiceFixture.commit(catalog, collection, Map.of(0, List.of(segment)));
        ShardNode node = startNode("no-home-1", catalog, null);
        // WHEN it tries to load the shard
        // THEN it does not serve it, answers 503 shard_not_loaded, and does not take the absence for corruption
        assertThat(node.awaitReady(Duration.ofSeconds(2))).isFalse();
        HttpResponse<String> loading = fixture.post(node.endpoint(), ShardServiceFixture.searchPath(v1, 0),
                Map.of("vector", docs.get(0).vector(), "k", 1));
        assertThat(loading.statusCode()).isEqualTo(503);
        assertThat(loading.body()).contains("shard_not_loaded");
        assertThat(metric(node.endpoint(), "segment_corrupt_total")).isZero();
        // AND once replication delivers the objects, a later retry loads it
        homeStore.list(segment.key()).forEach(k -> replicate(k, fixture.store));
        assertThat(node.awaitReady(Duration.ofSeconds(40))).isTrue();
        assertThat(search(node.endpoint(), v1, docs.get(5).vector()).get("hits").get(0).get("id").asText())
                .isEqualTo("n-5");
    }

    @Test
    void missingObjectIsReportedNamingTheSegmentAndTheFiles() {
        // GIVEN a segment absent from this region's bucket WHEN it is downloaded without a home bucket
        Catalog catalog = fixture.newCatalog();
        CollectionRecord collection = collection(catalog, "message");
        SegmentRef segment = fixture.writeSegment(homeStore, collection, 0,
                ShardServiceFixture.documents("m", 10, DIMENSION, 15), List.of());
        SegmentDownloader downloader = new SegmentDownloader(fixture.store, null,
                new ShardMetrics(new io.micrometer.core.instrument.simple.SimpleMeterRegistry()));
        // THEN the error is a NotFound that says what is missing and why it may be
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> downloader.download(segment,
                        fixture.root.resolve("dl-" + UUID.randomUUID())))
                .isInstanceOf(dev.strata.api.StrataException.NotFound.class)
                .hasMessage("segment " + segment.segmentId() + " is incomplete in this region's bucket under '"
                        + segment.key() + "': missing manifest.json (not replicated yet?), and no home bucket is"
                        + " configured (strata.home.bucket)");
    }

    private static CollectionRecord collection(Catalog catalog, String name) {
        return catalog.createCollection("acme", name, ShardServiceFixture.spec(DIMENSION, 1, 1), "test");
    }

    private static ShardNode startNode(String nodeId, Catalog catalog, HomeBucket home) {
        ShardNodeConfig config = ShardNodeConfig.local("test", nodeId, fixture.root.resolve(nodeId + "-" + UUID.randomUUID()))
                .withHeartbeat(Duration.ofMillis(250), Duration.ofSeconds(2));
        return fixture.startNode(config, catalog, fixture.store, home);
    }

    /** What S3 replication does: the same object under the same key in this region's bucket. */
    private static void replicate(String key, SegmentStore target) {
        target.put(key, read(homeStore, key), "application/octet-stream");
    }

    private static byte[] read(SegmentStore store, String key) {
        try (InputStream in = store.open(key)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode search(URI node, CollectionRecord collection, float[] vector) {
        HttpResponse<String> response = fixture.post(node, ShardServiceFixture.searchPath(collection, 0),
                Map.of("vector", vector, "k", 1));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return ShardServiceFixture.json(response);
    }

    private static double metric(URI endpoint, String name) {
        Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(name) + " ([0-9.E-]+)")
                .matcher(fixture.get(endpoint, "/metrics").body());
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : -1;
    }
}
