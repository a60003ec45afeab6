package dev.strata.local.bench;

import dev.strata.api.CollectionSpec;
import dev.strata.api.Document;
import dev.strata.api.Metric;
import dev.strata.api.SearchResponse;
import dev.strata.api.Sharding;
import dev.strata.local.LocalEndpoints;
import dev.strata.local.LocalOptions;
import dev.strata.local.LocalSystem;
import dev.strata.local.client.StrataHttpClient;
import dev.strata.local.data.Corpus;
import dev.strata.local.data.ExactSearch;
import dev.strata.local.data.Jsonl;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code strata-bench e2e --data DIR [--json]}: the whole local system end to end. Starts it (or attaches to a
 * running {@code strata-local up} with {@code --attach DATA_DIR}), ingests DIR's base vectors into a 4-shard
 * collection through S3 uploads, measures upload → searchable on held-back batches, then runs the corpus queries
 * open loop at several sustained rates and reports achieved QPS, latency percentiles (from each query's due
 * time), errors and recall@10 against exact search. Between levels a one-document write bumps the collection
 * version, so the router's versioned result cache starts cold at every level and no query repeats within one.
 *
 * <p>Options: {@code --rows N} (default all), {@code --queries N} (1000), {@code --rates 50,100,200,400},
 * {@code --seconds S} (10 per level at most), {@code --nodes N} (3), {@code --shards N} (4), {@code --json}.
 */
public final class E2eBench implements BenchCommand {
    private static final int HELD_BACK_BATCHES = 3;
    private static final int HELD_BACK_ROWS = 100;
    private static final Duration SETTLE_QUIET = Duration.ofSeconds(30);

    record Options(Path data, boolean json, int rows, int queries, double[] rates, int seconds, int nodes, int shards,
                   Path attach) {
        static Options parse(List<String> args) {
            Path data = null;
            Path attach = null;
            boolean json = false;
            int rows = -1;
            int queries = 1000;
            double[] rates = {50, 100, 200, 400};
            int seconds = 10;
            int nodes = 3;
            int shards = 4;
            List<String> rest = new ArrayList<>(args);
            while (!rest.isEmpty()) {
                String flag = rest.remove(0);
                switch (flag) {
                    case "--data" -> data = Path.of(next(flag, rest));
                    case "--attach" -> attach = Path.of(next(flag, rest));
                    case "--json" -> json = true;
                    case "--rows" -> rows = Integer.parseInt(next(flag, rest));
                    case "--queries" -> queries = Integer.parseInt(next(flag, rest));
                    case "--rates" -> rates = Arrays.stream(next(flag, rest).split(","))
                            .mapToDouble(Double::parseDouble).toArray();
                    case "--seconds" -> seconds = Integer.parseInt(next(flag, rest));
                    case "--nodes" -> nodes = Integer.parseInt(next(flag, rest));
                    case "--shards" -> shards = Integer.parseInt(next(flag, rest));
                    default -> throw new IllegalArgumentException("unknown option '" + flag + "'");
                }
            }
            if (data == null) {
                throw new IllegalArgumentException("--data DIR is required (base.fvecs, query.fvecs, groundtruth.ivecs)");
            }
            return new Options(data, json, rows, queries, rates, seconds, nodes, shards, attach);
        }

        private static String next(String flag, List<String> rest) {
            if (rest.isEmpty()) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            return rest.remove(0);
        }
    }

    /** Registered in {@link StrataBench#COMMANDS}. */
    public E2eBench() {}

    @Override
    public String name() {
        return "e2e";
    }

    @Override
    public String summary() {
        return "whole local system: upload -> searchable, open-loop QPS levels, p50/p95/p99, recall@10";
    }

    @Override
    public void run(BenchOptions options) throws Exception {
        List<String> args = new ArrayList<>(List.of("--data", options.requireData().toString()));
        if (options.json()) {
            args.add("--json");
        }
        if (options.queries() != Integer.MAX_VALUE) {
            args.addAll(List.of("--queries", Integer.toString(options.queries())));
        }
        options.extra().forEach((k, v) -> args.addAll(List.of("--" + k, v)));
        int code = run(args, System.out);
        if (code != 0) {
            throw new IllegalArgumentException("e2e: bad options " + args);
        }
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(List.of(args), System.out));
    }

    /** Runs the benchmark; returns the process exit code. */
    public static int run(List<String> args, PrintStream out) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("e2e: " + e.getMessage());
            System.err.println("usage: strata-bench e2e --data DIR [--json] [--rows N] [--queries N] "
                    + "[--rates 50,100,200,400] [--seconds S] [--nodes N] [--shards N] [--attach DATA_DIR]");
            return 2;
        }
        PrintStream log = options.json() ? System.err : out;
        Corpus corpus = Corpus.load(options.data(), options.rows(), options.queries());
        log.printf(Locale.ROOT, "e2e: %d base rows, %d queries, dimension %d, %d cores%n", corpus.base().size(),
                corpus.queries().size(), corpus.base().get(0).vector().length,
                Runtime.getRuntime().availableProcessors());
        LocalSystem owned = null;
        try {
            StrataHttpClient client;
            S3Client s3;
            String bucket;
            if (options.attach() != null) {
                LocalEndpoints endpoints = LocalEndpoints.read(options.attach());
                String key = System.getenv(LocalOptions.API_KEY_ENV);
                client = new StrataHttpClient(endpoints.router(),
                        key == null || key.isBlank() ? LocalOptions.DEFAULT_API_KEY : key);
                s3 = dev.strata.local.LocalAccess.s3(endpoints);
                bucket = endpoints.bucket();
            } else {
                long t0 = System.nanoTime();
                owned = LocalSystem.start(LocalSystem.Config.forTests(options.nodes()));
                owned.awaitReady(Duration.ofSeconds(60));
                log.printf(Locale.ROOT, "e2e: local system with %d nodes started in %.1f s%n", options.nodes(),
                        (System.nanoTime() - t0) / 1e9);
                client = owned.client();
                s3 = owned.s3();
                bucket = owned.bucket();
            }
            List<LoadLevel> levels = bench(options, corpus, client, s3, bucket, log);
            if (options.json()) {
                levels.forEach(l -> out.println(l.toJson()));
            } else {
                printTable(levels, out);
            }
            return 0;
        } finally {
            if (owned != null) {
                owned.close();
            }
        }
    }

    static List<LoadLevel> bench(Options options, Corpus corpus, StrataHttpClient client, S3Client s3, String bucket,
                                 PrintStream log) throws InterruptedException {
        String collection = "bench-" + Long.toString(System.currentTimeMillis(), 36);
        int dimension = corpus.base().get(0).vector().length;
        client.createCollection(collection, new CollectionSpec(dimension, Metric.COSINE, options.shards(), 1,
                Sharding.HASH, null, null, 0));
        List<Document> base = corpus.base();
        int heldBack = Math.min(HELD_BACK_BATCHES * HELD_BACK_ROWS, base.size() / 10);
        int bulk = base.size() - heldBack;
        String prefix = "ingest/" + LocalSystem.TENANT + "/" + collection + "/";
        long t0 = System.nanoTime();
        for (int from = 0, part = 0; from < bulk; from += 5_000, part++) {
            byte[] object = Jsonl.gzipped(base.subList(from, Math.min(bulk, from + 5_000)));
            String key = prefix + "bulk-" + part + ".jsonl.gz";
            s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(object));
        }
        awaitCount(client, collection, bulk, Duration.ofMinutes(10));
        double bulkSeconds = (System.nanoTime() - t0) / 1e9;
        log.printf(Locale.ROOT, "e2e: ingested %d rows through S3 in %.1f s (%.0f rows/s)%n", bulk, bulkSeconds,
                bulk / bulkSeconds);

        double[] searchable = new double[HELD_BACK_BATCHES];
        int batchRows = heldBack / HELD_BACK_BATCHES;
        for (int b = 0; b < HELD_BACK_BATCHES; b++) {
            List<Document> batch = base.subList(bulk + b * batchRows, bulk + (b + 1) * batchRows);
            searchable[b] = uploadUntilSearchable(client, s3, bucket, prefix + "late-" + b + ".jsonl.gz", collection,
                    batch);
            log.printf(Locale.ROOT, "e2e: batch of %d rows searchable %.3f s after its upload%n", batch.size(),
                    searchable[b]);
        }
        Arrays.sort(searchable);
        double searchableMedian = searchable[searchable.length / 2];
        awaitCount(client, collection, bulk + HELD_BACK_BATCHES * batchRows, Duration.ofMinutes(1));

        List<List<String>> exact = new ArrayList<>();
        for (int q = 0; q < corpus.queries().size(); q++) {
            exact.add(corpus.exactIds(q, 10));
        }
        awaitSettled(client, collection, log);
        warmUp(client, collection, corpus);
        List<LoadLevel> levels = new ArrayList<>();
        for (double rate : options.rates()) {
            int count = (int) Math.min(corpus.queries().size(), Math.round(rate * options.seconds()));
            bumpVersion(client, collection, dimension);
            OpenLoopLoad.Result r = OpenLoopLoad.run(rate, count, i -> {
                SearchResponse response = client.search(collection,
                        StrataHttpClient.vectorQuery(corpus.queries().get(i), 10));
                if (response.partial()) {
                    return Double.NaN;
                }
                Set<String> got = new HashSet<>();
                response.matches().forEach(m -> got.add(m.id()));
                return ExactSearch.recall(got, exact.get(i));
            });
            LoadLevel level = new LoadLevel(rate, r.achievedQps(), r.percentile(0.50), r.percentile(0.95),
                    r.percentile(0.99), r.errors(), r.meanRecall(), searchableMedian);
            log.printf(Locale.ROOT, "e2e: %s%n", level.toJson());
            levels.add(level);
        }
        return levels;
    }

    private static double uploadUntilSearchable(StrataHttpClient client, S3Client s3, String bucket, String key,
                                                String collection, List<Document> batch) throws InterruptedException {
        byte[] object = Jsonl.gzipped(batch);
        Document probe = batch.get(batch.size() - 1);
        long start = System.nanoTime();
        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(object));
        long deadline = start + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            SearchResponse r = client.search(collection, StrataHttpClient.vectorQuery(probe.vector(), 1));
            if (!r.matches().isEmpty() && r.matches().get(0).id().equals(probe.id())) {
                return (System.nanoTime() - start) / 1e9;
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException("batch " + key + " was not searchable within 60 s");
    }

    private static void awaitCount(StrataHttpClient client, String collection, long count, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (client.describeCollection(collection).path("documentCount").asLong() < count) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("collection " + collection + " did not reach " + count
                        + " documents within " + timeout);
            }
            Thread.sleep(100);
        }
    }

    /**
     * Waits until no commit has landed for {@link #SETTLE_QUIET}: the bulk load leaves several segments per shard
     * and the ingest side compacts them right after (a 20-second build each on two cores). Load levels measured
     * while that runs would time the compaction, not the serving path; this is what a quiet index costs.
     */
    private static void awaitSettled(StrataHttpClient client, String collection, PrintStream log)
            throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + Duration.ofMinutes(10).toNanos();
        long version = client.describeCollection(collection).path("version").asLong();
        long changedAt = System.nanoTime();
        while (System.nanoTime() - changedAt < SETTLE_QUIET.toNanos()) {
            if (System.nanoTime() > deadline) {
                log.printf(Locale.ROOT, "e2e: the collection was still changing after 10 minutes; measuring anyway%n");
                return;
            }
            Thread.sleep(500);
            long now = client.describeCollection(collection).path("version").asLong();
            if (now != version) {
                version = now;
                changedAt = System.nanoTime();
            }
        }
        log.printf(Locale.ROOT, "e2e: index settled at version %d (compactions done) after %.1f s%n", version,
                (System.nanoTime() - start) / 1e9);
    }

    private static void warmUp(StrataHttpClient client, String collection, Corpus corpus) {
        for (int i = 0; i < Math.min(200, corpus.queries().size()); i++) {
            client.search(collection, StrataHttpClient.vectorQuery(corpus.queries().get(i), 10));
        }
    }

    /** A one-document write: the collection's version moves, so the versioned result cache starts cold. */
    private static void bumpVersion(StrataHttpClient client, String collection, int dimension) {
        float[] v = new float[dimension];
        v[dimension - 1] = 1;
        client.upsert(collection, List.of(new Document("bench-sentinel", v, null, null)), true);
    }

    static void printTable(List<LoadLevel> levels, PrintStream out) {
        out.printf(Locale.ROOT, "%n%10s %9s %9s %9s %9s %7s %10s %12s%n", "target_qps", "qps", "p50_ms", "p95_ms",
                "p99_ms", "errors", "recall@10", "searchable_s");
        for (LoadLevel l : levels) {
            out.printf(Locale.ROOT, "%10.0f %9.1f %9.2f %9.2f %9.2f %7d %10.4f %12.3f%n", l.targetQps(), l.qps(),
                    l.p50Ms(), l.p95Ms(), l.p99Ms(), l.errors(), l.recallAt10(), l.searchableAfterS());
        }
    }
}
