package dev.strata.shard.service;

import dev.strata.catalog.CollectionRecord;
import dev.strata.catalog.SegmentRef;
import dev.strata.shard.ShardIndex;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The NVMe segment cache: bounded by bytes, LRU over unused segments, reference counted views. */
class SegmentCacheTest {

    private static ShardServiceFixture fixture;
    private static final List<SegmentRef> SEGMENTS = new ArrayList<>();

    @BeforeAll
    static void uploadThreeSegments() {
        fixture = ShardServiceFixture.shared();
        CollectionRecord collection = new CollectionRecord("acme", "cache", ShardServiceFixture.spec(4, 1, 1), 0,
                "test", Instant.now(), Instant.now(), null, 0, List.of());
        for (int i = 0; i < 3; i++) {
            SEGMENTS.add(fixture.writeSegment(fixture.store, collection, 0,
                    ShardServiceFixture.documents("c" + i, 30, 4, i), List.of()));
        }
    }

    private static SegmentCache cache(Path dir, long maxBytes, SimpleMeterRegistry registry) {
        return new SegmentCache(dir, maxBytes, true, fixture.store, new ShardMetrics(registry));
    }

    @Test
    void leastRecentlyUsedIdleSegmentIsEvictedOverTheBound() throws Exception {
        // GIVEN a cache that holds two segments but not three (their files plus manifests)
        long bound = SEGMENTS.get(0).bytes() * 5 / 2;
        SegmentCache cache = cache(Files.createTempDirectory("cache-"), bound, new SimpleMeterRegistry());
        CachedSegment first = cache.acquire(SEGMENTS.get(0));
        CachedSegment second = cache.acquire(SEGMENTS.get(1));
        first.release();
        second.release();
        // WHEN a third is loaded
        CachedSegment third = cache.acquire(SEGMENTS.get(2));
        // THEN the least recently used idle one is gone, the others stay, and the bytes are within the bound
        assertThat(cache.contains(SEGMENTS.get(0))).isFalse();
        assertThat(cache.contains(SEGMENTS.get(1))).isTrue();
        assertThat(cache.contains(SEGMENTS.get(2))).isTrue();
        assertThat(cache.bytes()).isLessThanOrEqualTo(bound);
        third.release();
    }

    @Test
    void segmentInUseIsNeverEvicted() throws Exception {
        // GIVEN a cache bound smaller than one segment, and a segment held by a view
        SegmentCache cache = cache(Files.createTempDirectory("cache-"), 1, new SimpleMeterRegistry());
        CachedSegment held = cache.acquire(SEGMENTS.get(0));
        // WHEN another is loaded and released
        cache.acquire(SEGMENTS.get(1)).release();
        // THEN the held one is still there and open; the released one went
        assertThat(cache.contains(SEGMENTS.get(0))).isTrue();
        assertThat(held.inUse()).isTrue();
        assertThat(held.reader().rowCount()).isEqualTo(30);
        assertThat(cache.contains(SEGMENTS.get(1))).isFalse();
        held.release();
        assertThat(held.inUse()).isFalse();
    }

    @Test
    void filesLeftByAPreviousRunAreReusedAsHits() throws Exception {
        // GIVEN a cache directory filled by an earlier process
        Path dir = Files.createTempDirectory("cache-");
        cache(dir, 1L << 30, new SimpleMeterRegistry()).acquire(SEGMENTS.get(0)).release();
        // WHEN a new cache opens it and the segment is needed again
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        SegmentCache restarted = cache(dir, 1L << 30, registry);
        CachedSegment again = restarted.acquire(SEGMENTS.get(0));
        // THEN it is a hit (no download) and the segment reads fine
        assertThat(registry.get("segment_cache_requests").tag("result", "hit").counter().count()).isEqualTo(1);
        assertThat(registry.get("segment_cache_requests").tag("result", "miss").counter().count()).isZero();
        assertThat(again.reader().rowCount()).isEqualTo(30);
        again.release();
    }

    @Test
    void retiredViewKeepsItsSegmentsOpenUntilTheLastSearchReleasesIt() throws Exception {
        // GIVEN a replica serving a view, and a search holding that view
        SegmentCache cache = cache(Files.createTempDirectory("cache-"), 1L << 30, new SimpleMeterRegistry());
        CachedSegment segment = cache.acquire(SEGMENTS.get(0));
        ShardReplica replica = new ShardReplica(new ShardKey("acme", "cache", 0), ShardServiceFixture.spec(4, 1, 1));
        replica.swap(new ReplicaView(1, List.of(segment), new ShardIndex(List.of(segment.reader())), Instant.now()));
        ReplicaView inSearch = replica.acquire();
        // WHEN a commit swaps in a view without that segment
        CachedSegment next = cache.acquire(SEGMENTS.get(1));
        replica.swap(new ReplicaView(2, List.of(next), new ShardIndex(List.of(next.reader())), Instant.now()));
        // THEN the old segment stays open for the running search, and closes when it ends
        assertThat(segment.inUse()).isTrue();
        assertThat(inSearch.segments().get(0).reader().rowCount()).isEqualTo(30);
        assertThat(replica.appliedVersion()).isEqualTo(2);
        inSearch.release();
        assertThat(segment.inUse()).isFalse();
        assertThat(next.inUse()).isTrue();
        replica.retire();
        assertThat(next.inUse()).isFalse();
    }
}
