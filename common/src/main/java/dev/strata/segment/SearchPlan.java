package dev.strata.segment;

/**
 * How a segment answers one query, chosen from how many rows the query may accept (filter matches minus
 * deleted rows) and how many rows the segment has.
 *
 * <ul>
 *   <li>{@link #EXACT}: score every accepted row with its full vector. Chosen when few rows are accepted.</li>
 *   <li>{@link #PQ_SCAN}: score every accepted row with its PQ code, then re-rank the best candidates with
 *       full vectors. Chosen for selective filters, where a graph walk would visit many rejected rows.</li>
 *   <li>{@link #GRAPH}: walk the graph on PQ scores, accepting only accepted rows into the result list, with a
 *       search width widened as the accepted fraction falls; re-rank the result list with full vectors.</li>
 * </ul>
 */
public enum SearchPlan {
    EXACT, PQ_SCAN, GRAPH;

    /** Accepted rows at or below which a segment scans exactly. */
    static final int EXACT_MAX_ROWS = 1024;
    /** Accepted fraction below which a PQ scan beats a filtered graph walk. */
    static final double GRAPH_MIN_SELECTIVITY = 0.12;

    /** The plan for {@code accepted} of {@code rows} rows, for a query asking for {@code k}. */
    public static SearchPlan choose(int accepted, int rows, int k) {
        if (accepted <= Math.max(EXACT_MAX_ROWS, 2 * k)) {
            return EXACT;
        }
        if (accepted < GRAPH_MIN_SELECTIVITY * rows) {
            return PQ_SCAN;
        }
        return GRAPH;
    }
}
