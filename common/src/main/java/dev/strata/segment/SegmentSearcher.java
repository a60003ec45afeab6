package dev.strata.segment;

import dev.strata.api.Metric;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The scratch state of one search over one segment: the query prepared for the walk's codes (scalar codes or a
 * PQ lookup table), a visited-stamp array, the two heaps and a row buffer for exact scores. {@link SegmentReader}
 * pools these so concurrent queries never share one and steady-state queries allocate almost nothing. Not
 * thread-safe.
 */
final class SegmentSearcher {
    private final SegmentReader segment;
    /** PQ lookup table (PQ segments) or prepared query (scalar-code segments); the other is null. */
    private final float[] table;
    private final SqCodes.Query coded;
    private final int[] visited;
    private int epoch;
    private final LongHeap candidates = new LongHeap(256);
    private final LongHeap results = new LongHeap(256);
    private final float[] query;
    private final FullVectors.Scratch rowScratch;
    long approximateScores;
    /** Unvisited neighbours of the node being expanded, collected before any is scored. */
    private final int[] fresh;
    /** Keeps the bytes {@link SqCodes#touch} and {@link PqCodes#touch} read observable, so they are not dropped. */
    int touched;
    long exactScores;

    SegmentSearcher(SegmentReader segment) {
        this.segment = segment;
        this.table = segment.pq != null ? segment.pq.newTable() : null;
        this.coded = segment.sq != null ? new SqCodes.Query(segment.sq) : null;
        this.visited = new int[segment.rowCount()];
        this.fresh = new int[Math.max(1, segment.degree)];
        this.query = new float[segment.dimension()];
        this.rowScratch = new FullVectors.Scratch(segment.dimension());
    }

    /** Prepares the query (normalised under cosine) and returns the searcher for chaining. */
    private void setQuery(float[] q) {
        System.arraycopy(q, 0, query, 0, query.length);
        if (segment.metric() == Metric.COSINE) {
            double norm = 0;
            for (float v : query) {
                norm += (double) v * v;
            }
            if (norm > 0) {
                float inv = (float) (1.0 / Math.sqrt(norm));
                for (int i = 0; i < query.length; i++) {
                    query[i] *= inv;
                }
            }
        }
    }

    float exact(int row) {
        exactScores++;
        if (segment.metric() == Metric.L2) {
            return 1f / (1f + segment.vectors.squareDistance(query, row, rowScratch));
        }
        return segment.vectors.dot(query, row, rowScratch);
    }

    List<ScoredRow> search(float[] q, int k, int searchWidth, RowSet accept, SearchPlan plan) {
        setQuery(q);
        return switch (plan) {
            case EXACT -> exactScan(k, accept);
            case PQ_SCAN -> pqScan(k, searchWidth, accept);
            case GRAPH -> graph(k, searchWidth, accept);
        };
    }

    private List<ScoredRow> exactScan(int k, RowSet accept) {
        results.clear();
        int n = segment.rowCount();
        for (int r = accept == null ? 0 : accept.nextSetBit(0); r >= 0 && r < n;
             r = accept == null ? r + 1 : accept.nextSetBit(r + 1)) {
            results.pushBounded(LongHeap.key(exact(r), r), k);
        }
        return drain(results);
    }

    private List<ScoredRow> pqScan(int k, int searchWidth, RowSet accept) {
        prepareCodes();
        int depth = rerankDepth(k, searchWidth);
        candidates.clear();
        for (int r = accept.nextSetBit(0); r >= 0; r = accept.nextSetBit(r + 1)) {
            candidates.pushBounded(LongHeap.key(approximate(r), r), depth);
        }
        approximateScores += accept.cardinality();
        return rerank(candidates, k);
    }

    private List<ScoredRow> graph(int k, int searchWidth, RowSet accept) {
        prepareCodes();
        int n = segment.rowCount();
        double selectivity = accept == null ? 1.0 : (double) accept.cardinality() / n;
        int ef = Math.max(k, searchWidth);
        if (selectivity < 1.0) {
            ef = (int) Math.min(Math.max(ef, 4L * k) / selectivity, Math.max(ef, n));
        }
        if (++epoch == 0) {
            Arrays.fill(visited, 0);
            epoch = 1;
        }
        final int[] seen = visited;
        final int stamp = epoch;
        final int[] adjacency = segment.adjacency;
        final int stride = segment.degree;
        candidates.clear();
        results.clear();

        int entry = descend(segment.entryNode);
        seen[entry] = stamp;
        float s0 = approximate(entry);
        int scored = 1;
        candidates.push(~LongHeap.key(s0, entry));
        if (accept == null || accept.contains(entry)) {
            results.push(LongHeap.key(s0, entry));
        }
        while (candidates.size() > 0) {
            long best = ~candidates.pop();
            float bestScore = LongHeap.score(best);
            if (results.size() >= ef && bestScore < LongHeap.score(results.top())) {
                break;
            }
            int base = LongHeap.row(best) * stride;
            // first the unvisited neighbours, then their codes fetched together, then the scores
            final int[] batch = fresh;
            int count = 0;
            for (int j = 0; j < stride; j++) {
                int nb = adjacency[base + j];
                if (nb < 0) {
                    break;
                }
                if (seen[nb] != stamp) {
                    seen[nb] = stamp;
                    batch[count++] = nb;
                }
            }
            touched += table != null ? segment.pq.touch(batch, count) : segment.sq.touch(batch, count);
            for (int j = 0; j < count; j++) {
                int nb = batch[j];
                float s = approximate(nb);
                scored++;
                if (results.size() < ef || s > LongHeap.score(results.top())) {
                    candidates.push(~LongHeap.key(s, nb));
                    if (accept == null || accept.contains(nb)) {
                        results.pushBounded(LongHeap.key(s, nb), ef);
                    }
                }
            }
        }
        approximateScores += scored;
        int depth = rerankDepth(k, searchWidth);
        while (results.size() > depth) {
            results.pop();
        }
        return rerank(results, k);
    }

    /** Greedy walk down the sparse upper layers (HNSW) on code scores to a good layer-0 starting node. */
    private int descend(int entry) {
        List<java.util.Map<Integer, int[]>> layers = segment.upperLayers;
        int current = entry;
        float currentScore = approximate(current);
        int scored = 1;
        for (int level = layers.size(); level >= 1; level--) {
            java.util.Map<Integer, int[]> layer = layers.get(level - 1);
            boolean improved = true;
            while (improved) {
                improved = false;
                int[] neighbours = layer.get(current);
                if (neighbours == null) {
                    break;
                }
                for (int nb : neighbours) {
                    float s = approximate(nb);
                    scored++;
                    if (s > currentScore) {
                        currentScore = s;
                        current = nb;
                        improved = true;
                    }
                }
            }
        }
        approximateScores += scored;
        return current;
    }

    private void prepareCodes() {
        if (table != null) {
            segment.pq.fillTable(query, segment.metric() == Metric.L2, table);
        } else {
            segment.sq.prepare(query, segment.metric() == Metric.L2, coded);
        }
    }

    /** The graph walk's score of {@code row}: from its PQ or scalar codes, higher is nearer. */
    private float approximate(int row) {
        return table != null ? segment.pq.score(table, row) : segment.sq.score(coded, row);
    }

    /** Candidates re-ranked with full vectors: the search width, at least {@code k}. */
    static int rerankDepth(int k, int searchWidth) {
        return Math.max(k, searchWidth);
    }

    private List<ScoredRow> rerank(LongHeap approximate, int k) {
        int size = approximate.size();
        long[] keys = new long[size];
        int[] rows = new int[size];
        for (int i = 0; i < size; i++) {
            rows[i] = LongHeap.row(approximate.pop());
        }
        // the candidates' full vectors are rarely cached: start fetching all of them before scoring the first
        touched += segment.vectors.touch(rows, size);
        for (int i = 0; i < size; i++) {
            keys[i] = LongHeap.key(exact(rows[i]), rows[i]);
        }
        Arrays.sort(keys);
        int out = Math.min(k, size);
        List<ScoredRow> result = new ArrayList<>(out);
        for (int i = size - 1; i >= size - out; i--) {
            result.add(new ScoredRow(LongHeap.row(keys[i]), LongHeap.score(keys[i])));
        }
        return result;
    }

    private static List<ScoredRow> drain(LongHeap heap) {
        int size = heap.size();
        ScoredRow[] rows = new ScoredRow[size];
        for (int i = size - 1; i >= 0; i--) {
            long key = heap.pop();
            rows[i] = new ScoredRow(LongHeap.row(key), LongHeap.score(key));
        }
        return List.of(rows);
    }
}
