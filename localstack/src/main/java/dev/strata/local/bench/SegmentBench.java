package dev.strata.local.bench;

import dev.strata.api.VectorRules;
import dev.strata.api.CollectionSpec;
import dev.strata.api.Document;
import dev.strata.api.IndexParams;
import dev.strata.api.Sharding;
import dev.strata.segment.ScoredRow;
import dev.strata.segment.SegmentReader;
import dev.strata.segment.SegmentWriter;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code strata-bench segment}: builds Strata's segment, Lucene's HNSW (same max degree and beam) and a
 * brute-force scan over the base vectors, then sweeps the search width of each at k = 10 and prints recall,
 * QPS and latency side by side. Options: {@code --degree} (32), {@code --beam} (100), {@code --pq} (0 = two-bit
 * scalar codes, the default; N = product quantization with N subspaces), {@code --rounds} (2: every width of both
 * graphs is measured once per round, Strata and Lucene alternating, and the fastest round counts, so that a burst
 * of other work on the machine cannot decide the comparison).
 */
final class SegmentBench implements BenchCommand {
    static final int K = 10;
    /** One sweep for both graphs, so that neither gets finer steps near the recall target than the other. */
    static final int[] WIDTHS = {10, 15, 20, 25, 30, 35, 40, 45, 50, 60, 80, 100, 130, 160};

    @Override
    public String name() {
        return "segment";
    }

    @Override
    public String summary() {
        return "Strata segment vs Lucene HNSW vs brute force at k=10, sweeping the search width";
    }

    static CollectionSpec spec(BenchData data, BenchOptions o) {
        int degree = Integer.parseInt(o.extra().getOrDefault("degree", "32"));
        int beam = Integer.parseInt(o.extra().getOrDefault("beam", "100"));
        int pq = Integer.parseInt(o.extra().getOrDefault("pq", "0"));
        return new CollectionSpec(data.dimension(), data.metric(), 1, 1, Sharding.HASH, null,
                new IndexParams(degree, beam, pq, 64), 0).withDefaults().validate();
    }

    /** Builds a segment of the base vectors (id = row number) with optional metadata; returns seconds taken. */
    static double buildSegment(Path dir, BenchData data, CollectionSpec spec, List<Map<String, Object>> metadata) {
        List<Document> docs = new ArrayList<>(data.base().length);
        for (int i = 0; i < data.base().length; i++) {
            docs.add(new Document(Integer.toString(i), data.base()[i], null, metadata == null ? null : metadata.get(i)));
        }
        long t0 = System.nanoTime();
        SegmentWriter.write(dir, "bench", spec, docs, List.of());
        return (System.nanoTime() - t0) / 1e9;
    }

    static int[] rows(List<ScoredRow> hits) {
        int[] out = new int[hits.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = hits.get(i).row();
        }
        return out;
    }

    static int[][] truth(BenchData data, BruteForce brute) {
        if (data.groundTruth() != null && data.groundTruth()[data.queries().length - 1] != null
                && data.groundTruth()[0].length >= K) {
            return data.groundTruth();
        }
        return brute.groundTruth(data.queries(), K, null);
    }

    @Override
    public void run(BenchOptions o) throws Exception {
        BenchData data = BenchData.load(o);
        BenchOutput out = new BenchOutput(o.json());
        int n = data.base().length;
        int nq = data.queries().length;
        int threads = o.threads();
        CollectionSpec spec = spec(data, o);
        IndexParams p = spec.index();
        out.note(String.format(Locale.ROOT, "data: %s, %d x %d, %d queries, metric %s, k=%d", data.dir(), n,
                data.dimension(), nq, data.metric().wireName(), K));
        out.note(BenchOutput.machine());
        BruteForce brute = new BruteForce(data.base(), data.metric());
        int[][] truth = truth(data, brute);
        List<BenchResult> all = new ArrayList<>();

        Path segDir = o.scratch("segment").resolve("seg");
        double build = buildSegment(segDir, data, spec, null);
        int luceneM = Math.max(1, p.maxDegree() / 2);
        float[][] luceneQueries = new float[nq][];
        for (int q = 0; q < nq; q++) {
            luceneQueries[q] = data.metric() == dev.strata.api.Metric.COSINE
                    ? VectorRules.normalised(data.queries()[q]) : data.queries()[q];
        }
        int rounds = Integer.parseInt(o.extra().getOrDefault("rounds", "2"));
        out.note(String.format(Locale.ROOT, "each setting measured in %d rounds, Strata and Lucene alternating; "
                + "the fastest round is reported", rounds));
        try (SegmentReader reader = SegmentReader.open(segDir);
             LuceneHnsw lucene = LuceneHnsw.build(o.scratch("lucene"), data.base(), data.metric(), luceneM,
                     p.constructionBeam())) {
            double ram = (reader.residentBytes() + (double) threads * reader.scratchBytesPerThread()) / n;
            double mapped = (double) reader.manifest().bytes() / n;
            double luceneMapped = lucene.mappedBytesPerVector();
            Map<Integer, QueryRunner.Measurement> strataBest = new java.util.HashMap<>();
            Map<Integer, QueryRunner.Measurement> luceneBest = new java.util.HashMap<>();
            Map<Integer, SegmentReader.SearchCounters> counters = new java.util.HashMap<>();
            for (int round = 0; round < rounds; round++) {
                for (int w : WIDTHS) {
                    reader.resetCounters();
                    strataBest.merge(w, QueryRunner.run(nq, threads,
                            q -> rows(reader.search(data.queries()[q], K, w, null))), SegmentBench::faster);
                    counters.put(w, reader.counters());
                    luceneBest.merge(w, QueryRunner.run(nq, threads,
                            q -> lucene.search(luceneQueries[q], Math.max(w, K), K)), SegmentBench::faster);
                }
            }
            for (int w : WIDTHS) {
                var m = strataBest.get(w);
                var c = counters.get(w);
                BenchResult r = new BenchResult("strata", String.format(Locale.ROOT, "M=%d beam=%d %s width=%d",
                        p.maxDegree(), p.constructionBeam(), codes(spec), w), build,
                        BenchData.recall(truth, m.answers(), K), m.qps(), m.p50Ms(), m.p99Ms(), ram, threads,
                        Map.of("mapped_bytes_per_vector", Math.round(mapped), "qps_cpu", Math.round(m.cpuQps()),
                                "pq_scores_per_query", Math.round(c.approximatePerSearch()),
                                "full_scores_per_query", Math.round(c.exactPerSearch())));
                all.add(r);
                out.result(r);
            }
            for (int ef : WIDTHS) {
                var m = luceneBest.get(ef);
                long visited = 0;
                for (float[] q : luceneQueries) {
                    visited += lucene.visited(q, Math.max(ef, K));
                }
                BenchResult r = new BenchResult("lucene-hnsw", String.format(Locale.ROOT, "M=%d beam=%d ef=%d",
                        luceneM, p.constructionBeam(), ef), lucene.buildSeconds,
                        BenchData.recall(truth, m.answers(), K), m.qps(), m.p50Ms(), m.p99Ms(), luceneMapped,
                        threads, Map.of("mapped_bytes_per_vector", Math.round(luceneMapped),
                                "qps_cpu", Math.round(m.cpuQps()),
                                "full_scores_per_query", Math.round((double) visited / nq)));
                all.add(r);
                out.result(r);
            }
        }

        var m = QueryRunner.run(nq, threads, q -> brute.topK(data.queries()[q], K, null));
        BenchResult b = new BenchResult("brute-force", "exact scan, jvector VectorUtil", 0,
                BenchData.recall(truth, m.answers(), K), m.qps(), m.p50Ms(), m.p99Ms(), brute.ramBytesPerVector(),
                threads, Map.of("mapped_bytes_per_vector", 0, "qps_cpu", Math.round(m.cpuQps())));
        all.add(b);
        out.result(b);
        summary(out, all, 0.95);
    }

    /** The faster of two measurements of the same setting: interference from other work only ever slows a round. */
    private static QueryRunner.Measurement faster(QueryRunner.Measurement a, QueryRunner.Measurement b) {
        return a.qps() >= b.qps() ? a : b;
    }

    /** The graph walk's codes: two-bit scalar codes by default, PQ when {@code --pq} asks for subspaces. */
    static String codes(CollectionSpec spec) {
        return spec.index().pqSubspaces() > 0 ? "pq=" + spec.index().pqSubspaces() : "sq2";
    }

    static void summary(BenchOutput out, List<BenchResult> all, double target) {
        Map<String, BenchResult> best = new java.util.LinkedHashMap<>();
        for (BenchResult r : all) {
            if (r.recallAt10() >= target) {
                best.merge(r.system(), r, (a, b) -> a.qps() >= b.qps() ? a : b);
            }
        }
        out.note(String.format(Locale.ROOT, "best QPS at recall@10 >= %.2f:", target));
        for (BenchResult r : best.values()) {
            out.note(String.format(Locale.ROOT, "  %-12s %9.0f qps  recall %.4f  (%s)", r.system(), r.qps(),
                    r.recallAt10(), r.params()));
        }
        BenchResult s = best.get("strata");
        BenchResult l = best.get("lucene-hnsw");
        if (s != null && l != null) {
            out.note(String.format(Locale.ROOT, "  strata / lucene-hnsw = %.2fx", s.qps() / l.qps()));
        }
    }
}
