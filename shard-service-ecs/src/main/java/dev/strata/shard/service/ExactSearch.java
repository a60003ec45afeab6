package dev.strata.shard.service;

import dev.strata.api.Match;
import dev.strata.filter.Filter;
import dev.strata.segment.FilterMatcher;
import dev.strata.segment.RowSet;
import dev.strata.segment.ScoredRow;
import dev.strata.segment.SearchPlan;
import dev.strata.segment.SegmentReader;
import dev.strata.shard.ShardIndex;
import dev.strata.shard.ShardQuery;
import dev.strata.shard.TopKMerger;

import java.util.ArrayList;
import java.util.List;

/**
 * The exact answer to a shard query: the same rows {@link ShardIndex#search} may return (live rows that pass the
 * filter), each segment scanned with the segment's own {@link SearchPlan#EXACT} plan (every accepted row scored with
 * its full vector), merged like a search. The reference a served answer's recall is measured against. Stateless.
 */
final class ExactSearch {

    private ExactSearch() {}

    /** The {@code k} nearest live rows passing the filter, best first; ids and scores only. */
    static List<Match> search(ShardIndex index, ShardQuery query) {
        Filter filter = query.filter() == null ? new Filter.MatchAll() : query.filter();
        List<SegmentReader> segments = index.segments();
        List<List<Match>> perSegment = new ArrayList<>(segments.size());
        for (int i = 0; i < segments.size(); i++) {
            SegmentReader segment = segments.get(i);
            if (segment.rowCount() == 0) {
                continue;
            }
            RowSet accept = index.liveRows(i);
            if (!filter.matchesAll()) {
                RowSet matches = FilterMatcher.rows(filter, segment.columns(), segment.rowCount());
                accept = accept == null ? matches : accept.and(matches);
            }
            List<ScoredRow> rows = segment.search(query.vector(), query.k(), query.k(), accept, SearchPlan.EXACT);
            List<Match> matches = new ArrayList<>(rows.size());
            for (ScoredRow row : rows) {
                matches.add(new Match(segment.id(row.row()), row.score(), null, null));
            }
            perSegment.add(matches);
        }
        return TopKMerger.merge(perSegment, query.k());
    }
}
