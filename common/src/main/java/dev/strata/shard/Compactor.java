package dev.strata.shard;

import dev.strata.api.CollectionSpec;
import dev.strata.api.Document;
import dev.strata.segment.RowSet;
import dev.strata.segment.SegmentManifest;
import dev.strata.segment.SegmentReader;
import dev.strata.segment.SegmentWriter;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Merges consecutive segments of a shard into one new segment that answers every query as they did together:
 * rows masked by a newer segment of the group (upserted or deleted) are dropped, the graph and PQ codes are
 * rebuilt from the stored vectors, metadata and text are carried over.
 *
 * <p>Tombstones are kept in the output (they may still mask rows of older segments outside the group) unless
 * {@code dropTombstones} is true, which is only correct when the group is the whole shard (its oldest segment is
 * the shard's oldest). The caller swaps the new segment in for the group atomically (one catalog commit).
 * Stateless and thread-safe; the input readers stay owned by the caller.
 */
public final class Compactor {
    private Compactor() {}

    public static SegmentManifest compact(List<SegmentReader> oldestFirst, Path outDir, String segmentId,
                                          CollectionSpec spec, boolean dropTombstones) {
        ShardIndex index = new ShardIndex(oldestFirst);
        List<Document> rows = new ArrayList<>((int) Math.min(Integer.MAX_VALUE, index.liveCount()));
        Set<String> tombstones = new LinkedHashSet<>();
        for (int i = 0; i < oldestFirst.size(); i++) {
            SegmentReader s = oldestFirst.get(i);
            RowSet live = index.liveRows(i);
            for (int r = 0; r < s.rowCount(); r++) {
                if (live == null || live.contains(r)) {
                    rows.add(new Document(s.id(r), s.vector(r), s.text(r), s.metadata(r)));
                }
            }
            if (!dropTombstones) {
                for (int t = 0; t < s.tombstoneCount(); t++) {
                    tombstones.add(s.tombstone(t));
                }
            }
        }
        return SegmentWriter.write(outDir, segmentId, spec, rows, tombstones);
    }
}
