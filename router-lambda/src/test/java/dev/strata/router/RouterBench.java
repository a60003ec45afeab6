package dev.strata.router;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.api.Document;
import dev.strata.api.Match;
import dev.strata.api.ShardSearchRequest;
import dev.strata.catalog.NodeRecord;
import dev.strata.placement.PlacementTable;
import dev.strata.router.scatter.ShardTarget;
import dev.strata.shard.TopKMerger;

import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Program (not a test): router overhead and latency of a k=10 search over 4 shards on this machine. The corpus is
 * {@code $STRATA_DATA_DIR} or {@code ../shared/data/techdocs-dev} (texmex base/query/groundtruth files); its rows
 * are committed as real segments over 4 hash shards on 2 in-process shard nodes, with the catalog on DynamoDB
 * Local. Measured, one client thread, result cache off, every query once after a warm-up:
 * <ol>
 *   <li>direct: the same 4 shard searches issued in parallel through the in-process shard client and merged with
 *       {@link TopKMerger} (no router);</li>
 *   <li>router through the Lambda handler (API Gateway v2 event in, response event out);</li>
 *   <li>router over HTTP (Netty, JDK client on loopback).</li>
 * </ol>
 * Overhead = router percentile minus direct percentile. Prints a table (and {@code --json}).
 * Options: {@code --rows N} (default all), {@code --queries N} (default 1000), {@code --warmup N} (default 300).
 */
public final class RouterBench {

    private RouterBench() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = options(args);
        Path dir = dataDir();
        if (!Files.exists(dir.resolve("base.fvecs"))) {
            System.err.println("no corpus at " + dir + " (set STRATA_DATA_DIR); nothing measured");
            System.exit(2);
        }
        int rows = Integer.parseInt(opts.getOrDefault("rows", "" + Integer.MAX_VALUE));
        int queries = Integer.parseInt(opts.getOrDefault("queries", "1000"));
        int warmup = Integer.parseInt(opts.getOrDefault("warmup", "300"));
        List<float[]> base = readFvecs(dir.resolve("base.fvecs"), rows);
        List<float[]> query = readFvecs(dir.resolve("query.fvecs"), queries);
        List<int[]> truth = readIvecs(dir.resolve("groundtruth.ivecs"), queries);
        int dim = base.get(0).length;

        RouterFixture f = RouterFixture.start(Map.of(
                "strata.router.result-cache-entries", "0",
                "strata.router.rate-limit-per-second", "1000000",
                "strata.router.rate-limit-burst", "1000000",
                "strata.router.shard-timeout", "2s",
                // production defaults (the test fixture turns these caches off)
                "strata.router.node-cache-ttl", "1s",
                "strata.router.collection-cache-ttl", "1s"), null);
        try {
            f.fleet.addNode("node-1");
            f.fleet.addNode("node-2");
            Reply created = f.lambda().put("/v1/collections/bench", RouterFixture.ADMIN_KEY,
                    "{\"dimension\":" + dim + ",\"shards\":4,\"replicas\":1}");
            if (created.status() != 201) {
                throw new IllegalStateException(created.body());
            }
            List<Document> docs = new ArrayList<>(base.size());
            for (int i = 0; i < base.size(); i++) {
                docs.add(new Document("row-" + i, base.get(i), null, null));
            }
            long built = System.nanoTime();
            f.fleet.ingest(RouterFixture.TENANT, "bench", "bench-batch", docs);
            double buildSeconds = (System.nanoTime() - built) / 1e9;

            List<String> bodies = query.stream().map(q -> "{\"vector\":" + ContractBase.json(q) + ",\"k\":10}").toList();
            List<NodeRecord> live = f.catalog.liveNodes(ShardFleet.REGION, Instant.now());
            PlacementTable placement = PlacementTable.of(live);
            List<ShardTarget> targets = new ArrayList<>();
            for (int s = 0; s < 4; s++) {
                NodeRecord n = placement.replicasFor(RouterFixture.TENANT, "bench", s, 1).get(0);
                targets.add(new ShardTarget(n.nodeId(), n.endpoint(), RouterFixture.TENANT, "bench", s));
            }

            Map<String, double[]> results = new LinkedHashMap<>();
            Map<String, Double> recalls = new LinkedHashMap<>();
            results.put("direct (4 shards, in-process, merged)", run(query.size(), warmup, i -> {
                ShardSearchRequest r = new ShardSearchRequest(query.get(i), 10, 64, null, false, false, null);
                List<CompletableFuture<dev.strata.api.ShardSearchResponse>> calls = targets.stream()
                        .map(t -> f.fleet.client().search(t, r, Map.of())).toList();
                List<List<Match>> lists = calls.stream().map(c -> c.join().hits()).toList();
                return TopKMerger.merge(lists, 10).stream().map(Match::id).toList();
            }, truth, recalls));
            Api lambda = f.lambda();
            results.put("router via Lambda handler", run(query.size(), warmup,
                    i -> ids(lambda.post("/v1/collections/bench/search", RouterFixture.ADMIN_KEY, bodies.get(i))),
                    truth, recalls));
            Api http = f.http();
            results.put("router via HTTP (Netty)", run(query.size(), warmup,
                    i -> ids(http.post("/v1/collections/bench/search", RouterFixture.ADMIN_KEY, bodies.get(i))),
                    truth, recalls));
            print(results, recalls, base.size(), query.size(), buildSeconds, opts.containsKey("json"));
        } finally {
            f.close();
        }
        System.exit(0);
    }

    private interface Query {
        List<String> run(int i);
    }

    private static List<String> ids(Reply r) {
        if (r.status() != 200) {
            throw new IllegalStateException("search answered " + r.status() + ": " + r.body());
        }
        JsonNode body = r.json();
        if (body.get("partial").asBoolean()) {
            throw new IllegalStateException("partial answer: " + r.body());
        }
        List<String> ids = new ArrayList<>();
        body.get("matches").forEach(m -> ids.add(m.get("id").asText()));
        return ids;
    }

    /** Latencies in ms of each query after the warm-up, sorted. */
    private static double[] run(int n, int warmup, Query q, List<int[]> truth, Map<String, Double> recalls) {
        for (int i = 0; i < warmup; i++) {
            q.run(i % n);
        }
        double[] ms = new double[n];
        double hits = 0;
        for (int i = 0; i < n; i++) {
            long t = System.nanoTime();
            List<String> ids = q.run(i);
            ms[i] = (System.nanoTime() - t) / 1e6;
            Set<String> expected = new HashSet<>();
            for (int j = 0; j < 10; j++) {
                expected.add("row-" + truth.get(i)[j]);
            }
            hits += ids.stream().filter(expected::contains).count();
        }
        recalls.put("r" + recalls.size(), hits / (n * 10.0));
        Arrays.sort(ms);
        return ms;
    }

    private static double pct(double[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    private static void print(Map<String, double[]> results, Map<String, Double> recalls, int rows, int queries,
                              double buildSeconds, boolean json) {
        double[] direct = results.values().iterator().next();
        List<Double> recall = new ArrayList<>(recalls.values());
        String load = loadAverage();
        if (json) {
            StringBuilder sb = new StringBuilder("{\"rows\":" + rows + ",\"queries\":" + queries + ",\"cores\":"
                    + Runtime.getRuntime().availableProcessors() + ",\"load\":\"" + load + "\",\"results\":[");
            int i = 0;
            for (Map.Entry<String, double[]> e : results.entrySet()) {
                double[] v = e.getValue();
                sb.append(i == 0 ? "" : ",").append(String.format(java.util.Locale.ROOT,
                        "{\"path\":\"%s\",\"p50\":%.3f,\"p95\":%.3f,\"p99\":%.3f,\"mean\":%.3f,\"recall10\":%.4f}",
                        e.getKey(), pct(v, .5), pct(v, .95), pct(v, .99), Arrays.stream(v).average().orElse(0),
                        recall.get(i)));
                i++;
            }
            System.out.println(sb.append("]}"));
            return;
        }
        System.out.printf("Router search, k=10, 4 hash shards on 2 in-process nodes, %d rows x %d dims, %d queries, "
                + "1 client thread, result cache off; %d cores, load average %s; segments built in %.1f s%n%n",
                rows, 384, queries, Runtime.getRuntime().availableProcessors(), load, buildSeconds);
        System.out.println("| path | p50 ms | p95 ms | p99 ms | mean ms | overhead p50 | overhead p99 | recall@10 |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        int i = 0;
        for (Map.Entry<String, double[]> e : results.entrySet()) {
            double[] v = e.getValue();
            System.out.printf(java.util.Locale.ROOT, "| %s | %.2f | %.2f | %.2f | %.2f | %s | %s | %.3f |%n", e.getKey(),
                    pct(v, .5), pct(v, .95), pct(v, .99), Arrays.stream(v).average().orElse(0),
                    i == 0 ? "-" : String.format(java.util.Locale.ROOT, "%.2f", pct(v, .5) - pct(direct, .5)),
                    i == 0 ? "-" : String.format(java.util.Locale.ROOT, "%.2f", pct(v, .99) - pct(direct, .99)),
                    recall.get(i));
            i++;
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "n/a";
        }
    }

    static Path dataDir() {
        String env = System.getenv("STRATA_DATA_DIR");
        if (env != null) {
            return Path.of(env);
        }
        Path here = Path.of("").toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            Path candidate = p.resolve("../shared/data/techdocs-dev").normalize();
            if (Files.exists(candidate)) {
                return candidate;
            }
        }
        return Path.of("../shared/data/techdocs-dev");
    }

    static List<float[]> readFvecs(Path file, int limit) throws IOException {
        List<float[]> out = new ArrayList<>();
        try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            byte[] header = new byte[4];
            while (out.size() < limit && in.read(header) == 4) {
                int d = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).getInt();
                byte[] body = new byte[d * 4];
                in.readFully(body);
                float[] v = new float[d];
                ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
                out.add(v);
            }
        }
        return out;
    }

    static List<int[]> readIvecs(Path file, int limit) throws IOException {
        List<int[]> out = new ArrayList<>();
        try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            byte[] header = new byte[4];
            while (out.size() < limit && in.read(header) == 4) {
                int d = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).getInt();
                byte[] body = new byte[d * 4];
                in.readFully(body);
                int[] v = new int[d];
                ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(v);
                out.add(v);
            }
        }
        return out;
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--json")) {
                opts.put("json", "true");
            } else if (args[i].startsWith("--") && i + 1 < args.length) {
                opts.put(args[i].substring(2), args[++i]);
            }
        }
        return opts;
    }
}
