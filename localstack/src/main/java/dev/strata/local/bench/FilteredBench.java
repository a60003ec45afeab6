package dev.strata.local.bench;

import dev.strata.api.CollectionSpec;
import dev.strata.api.Match;
import dev.strata.filter.Filter;
import dev.strata.segment.SearchPlan;
import dev.strata.segment.SegmentReader;
import dev.strata.shard.ShardIndex;
import dev.strata.shard.ShardQuery;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code strata-bench filtered}: gives every base row a synthetic attribute {@code sel} = a seeded pseudo-random
 * integer in 0..999, builds one segment, and searches with {@code {"sel":{"$lt":T}}} for selectivities 0.001,
 * 0.01, 0.1, 0.5 and 1 (T = 1, 10, 100, 500, 1000; the last is a real filter that matches every row). Ground truth
 * is exact search over the matching rows. Option {@code --width} (64).
 */
final class FilteredBench implements BenchCommand {
    static final double[] SELECTIVITIES = {0.001, 0.01, 0.1, 0.5, 1.0};

    @Override
    public String name() {
        return "filtered";
    }

    @Override
    public String summary() {
        return "recall and QPS of filtered search at selectivity 0.001, 0.01, 0.1, 0.5, 1";
    }

    static int attribute(int row) {
        long h = row * 0x9E3779B97F4A7C15L;
        h ^= h >>> 31;
        h *= 0xBF58476D1CE4E5B9L;
        h ^= h >>> 29;
        return (int) Long.remainderUnsigned(h, 1000);
    }

    @Override
    public void run(BenchOptions o) throws Exception {
        BenchData data = BenchData.load(o);
        BenchOutput out = new BenchOutput(o.json());
        int n = data.base().length;
        int nq = data.queries().length;
        int width = o.width();
        CollectionSpec spec = SegmentBench.spec(data, o);
        out.noteRun(data, SegmentBench.K, width);
        int[] sel = new int[n];
        List<Map<String, Object>> metadata = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            sel[i] = attribute(i);
            Map<String, Object> m = new HashMap<>();
            m.put("sel", sel[i]);
            metadata.add(m);
        }
        Path dir = o.scratch("filtered").resolve("seg");
        double build = SegmentBench.buildSegment(dir, data, spec, metadata);
        BruteForce brute = new BruteForce(data.base(), data.metric());
        try (SegmentReader reader = SegmentReader.open(dir); ShardIndex shard = new ShardIndex(List.of(reader))) {
            double ram = (reader.residentBytes() + (double) o.threads() * reader.scratchBytesPerThread()) / n;
            for (double s : SELECTIVITIES) {
                int below = (int) Math.round(s * 1000);
                Filter filter = Filter.parse(Map.of("sel", Map.of("$lt", below)));
                int[][] truth = brute.groundTruth(data.queries(), SegmentBench.K, i -> sel[i] < below);
                long matching = java.util.Arrays.stream(sel).filter(v -> v < below).count();
                var m = QueryRunner.run(nq, o.threads(), q -> {
                    List<Match> hits = shard.search(new ShardQuery(data.queries()[q], SegmentBench.K, width, filter,
                            false, false));
                    int[] rows = new int[hits.size()];
                    for (int i = 0; i < rows.length; i++) {
                        rows[i] = Integer.parseInt(hits.get(i).id());
                    }
                    return rows;
                });
                SearchPlan plan = SearchPlan.choose((int) matching, n, SegmentBench.K);
                BenchResult r = new BenchResult("strata", String.format(Locale.ROOT,
                        "selectivity=%s matching=%d plan=%s width=%d", s, matching, plan, width), build,
                        BenchData.recall(truth, m.answers(), SegmentBench.K), m.qps(), m.p50Ms(), m.p99Ms(), ram,
                        o.threads(), Map.of("selectivity", s, "matching_rows", matching, "plan", plan.name(),
                                "qps_cpu", Math.round(m.cpuQps())));
                out.result(r);
            }
        }
    }
}
