package dev.strata.ingest;

import dev.strata.api.Match;
import dev.strata.catalog.SegmentRef;
import dev.strata.catalog.ShardRecord;
import dev.strata.segment.RowSet;
import dev.strata.segment.SegmentReader;
import dev.strata.shard.ShardIndex;
import dev.strata.shard.ShardQuery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a reader of the committed state sees, the way a shard service sees it: the segments each shard lists in
 * the catalog, downloaded from the store, opened with {@link SegmentReader} (checksums verified), masked by
 * {@link ShardIndex}, searched with it.
 */
final class ShardContents {

    private ShardContents() {}

    /** Live documents of the collection: id → stored vector (normalised under cosine). */
    static Map<String, float[]> visible(IngestFixture fx, String tenant, String collection) {
        Map<String, float[]> out = new HashMap<>();
        for (ShardIndex index : open(fx, tenant, collection)) {
            try (index) {
                for (int i = 0; i < index.segments().size(); i++) {
                    SegmentReader s = index.segments().get(i);
                    RowSet live = index.liveRows(i);
                    for (int r = 0; r < s.rowCount(); r++) {
                        if (live == null || live.contains(r)) {
                            float[] previous = out.put(s.id(r), s.vector(r));
                            if (previous != null) {
                                throw new AssertionError("id " + s.id(r) + " is visible twice");
                            }
                        }
                    }
                }
            }
        }
        return out;
    }

    /** Id of the best match over all shards (each searched with its {@link ShardIndex}). */
    static String nearest(IngestFixture fx, String tenant, String collection, float[] query) {
        Match best = null;
        for (ShardIndex index : open(fx, tenant, collection)) {
            try (index) {
                if (index.segments().isEmpty()) {
                    continue;
                }
                List<Match> hits = index.search(ShardQuery.of(query, 1, 64));
                if (!hits.isEmpty() && (best == null || hits.get(0).score() > best.score())) {
                    best = hits.get(0);
                }
            }
        }
        return best == null ? null : best.id();
    }

    private static List<ShardIndex> open(IngestFixture fx, String tenant, String collection) {
        List<ShardIndex> indexes = new ArrayList<>();
        try {
            Path root = Files.createTempDirectory(fx.workDir, "read-");
            for (ShardRecord shard : fx.catalog.getShards(tenant, collection, true)) {
                List<SegmentReader> readers = new ArrayList<>();
                for (SegmentRef ref : shard.segments()) {
                    Path dir = root.resolve(shard.shard() + "-" + ref.segmentId());
                    fx.store.downloadDirectory(ref.key(), dir);
                    SegmentReader reader = SegmentReader.open(dir);
                    if (!reader.manifest().checksum().equals(ref.checksum())) {
                        throw new AssertionError("segment " + ref.segmentId() + " checksum differs from the catalog");
                    }
                    readers.add(reader);
                }
                indexes.add(ShardIndex.owning(readers));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return indexes;
    }
}
