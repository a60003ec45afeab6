package dev.strata.local.bench;

import dev.strata.api.CollectionSpec;
import dev.strata.api.Match;
import dev.strata.segment.SegmentReader;
import dev.strata.segment.SegmentWriter;
import dev.strata.shard.ShardIndex;
import dev.strata.shard.ShardQuery;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * {@code strata-bench deletes}: builds one segment of the base vectors, then a tombstone segment deleting a
 * seeded random 10 % and another run deleting 50 % of the rows, and measures recall@10 against exact search over
 * the surviving rows (and QPS) through the shard's delete masks. Option {@code --width} (64).
 */
final class DeletesBench implements BenchCommand {
    static final double[] FRACTIONS = {0.0, 0.1, 0.5};

    @Override
    public String name() {
        return "deletes";
    }

    @Override
    public String summary() {
        return "recall after deleting 10 % and 50 % of the rows (truth over the survivors)";
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
        Path scratch = o.scratch("deletes");
        double build = SegmentBench.buildSegment(scratch.resolve("base"), data, spec, null);
        BruteForce brute = new BruteForce(data.base(), data.metric());
        try (SegmentReader base = SegmentReader.open(scratch.resolve("base"))) {
            for (double fraction : FRACTIONS) {
                boolean[] deleted = new boolean[n];
                List<String> tombstones = new ArrayList<>();
                Random rnd = new Random(42);
                int[] order = rnd.ints(0, n).distinct().limit((long) Math.round(fraction * n)).toArray();
                for (int r : order) {
                    deleted[r] = true;
                    tombstones.add(Integer.toString(r));
                }
                Path delDir = scratch.resolve("del-" + (int) (fraction * 100));
                SegmentWriter.write(delDir, "del", spec, List.of(), tombstones);
                try (SegmentReader del = SegmentReader.open(delDir); ShardIndex shard = new ShardIndex(List.of(base, del))) {
                    int[][] truth = brute.groundTruth(data.queries(), SegmentBench.K, i -> !deleted[i]);
                    var m = QueryRunner.run(nq, o.threads(), q -> {
                        List<Match> hits = shard.search(ShardQuery.of(data.queries()[q], SegmentBench.K, width));
                        int[] rows = new int[hits.size()];
                        for (int i = 0; i < rows.length; i++) {
                            rows[i] = Integer.parseInt(hits.get(i).id());
                        }
                        return rows;
                    });
                    long mask = shard.liveRows(0) == null ? 0 : shard.liveRows(0).ramBytes();
                    double ram = (base.residentBytes() + (double) o.threads() * base.scratchBytesPerThread()
                            + mask) / n;
                    BenchResult r = new BenchResult("strata", String.format(Locale.ROOT,
                            "deleted=%.0f%% live=%d width=%d", fraction * 100, shard.liveCount(), width), build,
                            BenchData.recall(truth, m.answers(), SegmentBench.K), m.qps(), m.p50Ms(), m.p99Ms(),
                            ram, o.threads(), Map.of("deleted_fraction", fraction, "live_rows", shard.liveCount(),
                                    "qps_cpu", Math.round(m.cpuQps())));
                    out.result(r);
                }
            }
        }
    }
}
