package dev.strata.shard;

import dev.strata.api.IndexParams;
import dev.strata.api.Limits;
import dev.strata.api.Match;
import dev.strata.api.StrataException;
import dev.strata.api.VectorRules;
import dev.strata.filter.Filter;
import dev.strata.segment.FilterMatcher;
import dev.strata.segment.RowSet;
import dev.strata.segment.ScoredRow;
import dev.strata.segment.SearchPlan;
import dev.strata.segment.SegmentReader;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A shard in process: its segments, oldest first, and the delete mask of each, computed once here. A row of a
 * segment is live unless a newer segment holds a row with the same id (an upsert) or a tombstone for it (a
 * delete); so an upsert or delete never shows a stale row, and no graph is ever modified.
 *
 * <p>A search runs on every segment with the rows it may accept (live rows, intersected with the filter's matches
 * computed from the segment's filter columns), and merges the per-segment top-k with {@link TopKMerger}.
 *
 * <p>Immutable after construction and thread-safe: any number of searches may run at once. A new commit builds
 * a new {@code ShardIndex} over the new list of readers (reusing the open ones) and swaps it in.
 *
 * <p>Ownership: by default the readers belong to the caller, which closes them when no index uses them any more
 * ({@link #close} then does nothing). {@link #owning} builds an index that closes its readers on {@link #close}.
 */
public final class ShardIndex implements AutoCloseable {
    private final List<SegmentReader> segments;
    private final RowSet[] live; // null entry: every row of that segment is live
    private final long liveCount;
    private final boolean ownsReaders;

    /** An index over {@code oldestFirst}, which stay owned by the caller. */
    public ShardIndex(List<SegmentReader> oldestFirst) {
        this(oldestFirst, false);
    }

    private ShardIndex(List<SegmentReader> oldestFirst, boolean ownsReaders) {
        this.segments = List.copyOf(oldestFirst);
        this.ownsReaders = ownsReaders;
        for (SegmentReader s : segments) {
            if (s.dimension() != segments.get(0).dimension() || s.metric() != segments.get(0).metric()) {
                throw new IllegalArgumentException("segment " + s.segmentId() + " has dimension " + s.dimension()
                        + " and metric " + s.metric().wireName() + "; segment " + segments.get(0).segmentId()
                        + " has " + segments.get(0).dimension() + " and " + segments.get(0).metric().wireName());
            }
        }
        this.live = new RowSet[segments.size()];
        Set<String> shadowed = new HashSet<>();
        long count = 0;
        for (int i = segments.size() - 1; i >= 0; i--) {
            SegmentReader s = segments.get(i);
            int n = s.rowCount();
            long[] words = new long[RowSet.words(n)];
            int masked = 0;
            for (int r = 0; r < n; r++) {
                if (shadowed.contains(s.id(r))) {
                    masked++;
                } else {
                    words[r >>> 6] |= 1L << r;
                }
            }
            live[i] = masked == 0 ? null : RowSet.ofWords(words, n);
            count += n - masked;
            for (int r = 0; r < n; r++) {
                shadowed.add(s.id(r));
            }
            for (int t = 0; t < s.tombstoneCount(); t++) {
                shadowed.add(s.tombstone(t));
            }
        }
        this.liveCount = count;
    }

    /** An index that closes {@code oldestFirst} when it is closed. */
    public static ShardIndex owning(List<SegmentReader> oldestFirst) {
        return new ShardIndex(oldestFirst, true);
    }

    /** The segments, oldest first. */
    public List<SegmentReader> segments() {
        return segments;
    }

    /** Live rows of segment {@code i} (index in {@link #segments()}), or null when every row is live. */
    public RowSet liveRows(int i) {
        return live[i];
    }

    /** Documents visible in this shard. */
    public long liveCount() {
        return liveCount;
    }

    /** Dimension of the shard's vectors, or 0 when it has no segment. */
    public int dimension() {
        return segments.isEmpty() ? 0 : segments.get(0).dimension();
    }

    /**
     * The {@code k} nearest live documents that pass the filter, best first.
     *
     * @throws StrataException.InvalidRequest for a vector of the wrong dimension or with NaN/infinite values,
     *                                        k outside 1..1000, or a search width outside 0..4096
     */
    public List<Match> search(ShardQuery q) {
        return search(q, null);
    }

    /**
     * The exact answer to {@code q}: the same live rows passing the filter that {@link #search} may return, every
     * one scored with its full vector (each segment's {@link SearchPlan#EXACT} plan), merged the same way. The
     * reference a served answer's recall is measured against; it costs a scan of the shard.
     */
    public List<Match> searchExact(ShardQuery q) {
        return search(q, SearchPlan.EXACT);
    }

    private List<Match> search(ShardQuery q, SearchPlan forced) {
        VectorRules.validateK(q.k());
        if (q.searchWidth() < 0 || q.searchWidth() > Limits.MAX_SEARCH_WIDTH) {
            throw new StrataException.InvalidRequest("searchWidth is " + q.searchWidth()
                    + "; it must be between 0 and " + Limits.MAX_SEARCH_WIDTH);
        }
        if (segments.isEmpty()) {
            return List.of();
        }
        validateVector(q.vector());
        int width = Math.max(q.k(), q.searchWidth() == 0 ? IndexParams.DEFAULTS.searchWidth() : q.searchWidth());
        Filter filter = q.filter() == null ? new Filter.MatchAll() : q.filter();
        List<List<Match>> perSegment = new ArrayList<>(segments.size());
        for (int i = 0; i < segments.size(); i++) {
            SegmentReader s = segments.get(i);
            if (s.rowCount() == 0) {
                continue;
            }
            RowSet accept = live[i];
            if (!filter.matchesAll()) {
                RowSet matches = FilterMatcher.rows(filter, s.columns(), s.rowCount());
                accept = accept == null ? matches : accept.and(matches);
            }
            List<ScoredRow> rows = forced == null ? s.search(q.vector(), q.k(), width, accept)
                    : s.search(q.vector(), q.k(), width, accept, forced);
            List<Match> matches = new ArrayList<>(rows.size());
            for (ScoredRow r : rows) {
                matches.add(new Match(s.id(r.row()), r.score(),
                        q.includeMetadata() ? s.metadata(r.row()) : null,
                        q.includeText() ? s.text(r.row()) : null));
            }
            perSegment.add(matches);
        }
        return TopKMerger.merge(perSegment, q.k());
    }

    private void validateVector(float[] v) {
        if (v == null) {
            throw new StrataException.InvalidRequest("vector is required");
        }
        if (v.length != dimension()) {
            throw new StrataException.InvalidRequest("vector has " + v.length + " values; the shard's dimension is "
                    + dimension());
        }
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                throw new StrataException.InvalidRequest("vector[" + i + "] is " + v[i]
                        + "; values must be finite numbers");
            }
        }
    }

    /** Closes the readers when this index owns them ({@link #owning}); otherwise does nothing. */
    @Override
    public void close() {
        if (ownsReaders) {
            for (SegmentReader s : segments) {
                s.close();
            }
        }
    }
}
