package dev.strata.shard;

import dev.strata.api.Match;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Merges ranked match lists (from the segments of a shard, or from the shards of a collection) into one top-k
 * list: best score first, one match per id (the best-scored copy wins), ties broken by id so the order is
 * deterministic. Stateless and thread-safe; the router reuses it for scatter-gather.
 */
public final class TopKMerger {
    private TopKMerger() {}

    /**
     * @param lists ranked or unranked lists of matches; null lists and null entries are ignored
     * @param k     how many matches to keep (at least 0)
     */
    public static List<Match> merge(List<List<Match>> lists, int k) {
        if (k < 0) {
            throw new IllegalArgumentException("k is " + k + "; it must be at least 0");
        }
        Map<String, Match> best = new HashMap<>();
        for (List<Match> list : lists) {
            if (list == null) {
                continue;
            }
            for (Match m : list) {
                if (m == null) {
                    continue;
                }
                best.merge(m.id(), m, (a, b) -> compare(a, b) <= 0 ? a : b);
            }
        }
        List<Match> all = new ArrayList<>(best.values());
        all.sort(TopKMerger::compare);
        return all.size() <= k ? all : new ArrayList<>(all.subList(0, k));
    }

    /** Better first: higher score, then smaller id. */
    private static int compare(Match a, Match b) {
        int c = Float.compare(b.score(), a.score());
        return c != 0 ? c : a.id().compareTo(b.id());
    }
}
