package dev.strata.local.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.api.CollectionSpec;
import dev.strata.api.Document;
import dev.strata.api.IndexParams;
import dev.strata.api.Match;
import dev.strata.api.ShardSearchBinary;
import dev.strata.api.ShardSearchRequest;
import dev.strata.api.Sharding;
import dev.strata.catalog.Catalog;
import dev.strata.catalog.CatalogSchema;
import dev.strata.catalog.CollectionRecord;
import dev.strata.catalog.Commit;
import dev.strata.catalog.DynamoCatalog;
import dev.strata.catalog.SegmentRef;
import dev.strata.emulator.EmbeddedDynamoDb;
import dev.strata.emulator.EmbeddedS3;
import dev.strata.local.isolation.AppClassLoader;
import dev.strata.local.isolation.LocalShardNode;
import dev.strata.segment.SegmentManifest;
import dev.strata.segment.SegmentReader;
import dev.strata.segment.SegmentWriter;
import dev.strata.shard.ShardIndex;
import dev.strata.shard.ShardQuery;
import dev.strata.store.S3SegmentStore;
import dev.strata.store.SegmentStore;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * {@code strata-bench shard}: one shard served by one shard-service node over HTTP against the same shard
 * searched in process, in the same run, at the same search width and thread count; and the time from a commit
 * to the node serving it.
 *
 * <p>The corpus becomes one segment (ids are row numbers, so recall is checked against the ground truth). The
 * node runs in this JVM (isolated class loader, as in {@code strata-local}) on DynamoDB Local and an in-process
 * S3 server; the commit-to-served figure is measured from the catalog commit until a search with
 * {@code minVersion} of that commit succeeds. The HTTP client keeps one HTTP/1.1 keep-alive connection per thread
 * and sends pre-encoded bodies, so the figure measures the service, not the client; each request carries what the
 * router's {@code HttpShardClient} sends: the body form ({@code --protocol binary}, the default and the router's,
 * {@value ShardSearchBinary#MEDIA_TYPE}; or {@code json}), the {@code Accept} header and an {@code X-Amzn-Trace-Id}
 * (a distinct trace per query), and reads the answer in that form. Options beyond the common
 * ones: {@code --width N} (search width, default 64), {@code --degree}, {@code --beam}, {@code --pq},
 * {@code --warmup S} (seconds of untimed passes before each side is timed, default 20: the node's HTTP stack has
 * much more code for the JIT to compile than the bare search, and on two cores the compiler competes with it),
 * {@code --segment DIR} (reuse a segment built by an earlier run), {@code --node-property name=value[,...]}
 * (Micronaut properties of the node, for A/B runs of its settings), {@code --rounds N} (default 5: after both
 * sides are warm, N timed rounds of each side, alternating, so a burst of other work on the shared machine falls on
 * both; the figures sum the rounds).
 */
final class ShardBench implements BenchCommand {

    private static final int K = 10;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String name() {
        return "shard";
    }

    @Override
    public String summary() {
        return "one shard over HTTP to a shard-service node vs in process (k=10), and commit-to-served time";
    }

    @Override
    public void run(BenchOptions o) throws Exception {
        BenchData data = BenchData.load(o);
        BenchOutput out = new BenchOutput(o.json());
        int width = o.width();
        String protocol = o.extra().getOrDefault("protocol", "binary");
        if (!protocol.equals("binary") && !protocol.equals("json")) {
            throw new IllegalArgumentException("--protocol is '" + protocol + "'; it must be binary or json");
        }
        boolean binary = protocol.equals("binary");
        int rounds = Integer.parseInt(o.extra().getOrDefault("rounds", "5"));
        if (rounds < 1) {
            throw new IllegalArgumentException("--rounds is " + rounds + "; it must be at least 1");
        }
        // --node-property name=value[,name=value]: Micronaut properties of the node, for A/B runs of its settings
        // (e.g. strata.http.fast-path=false serves every search through the controller)
        Map<String, Object> nodeProperties = new LinkedHashMap<>();
        String given = o.extra().get("node-property");
        if (given != null && !given.isBlank()) {
            for (String pair : given.split(",")) {
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("--node-property '" + pair + "' is not name=value");
                }
                nodeProperties.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
            }
        }
        double warmup = Double.parseDouble(o.extra().getOrDefault("warmup", "20"));
        int threads = o.threads() > 1 ? o.threads() : 2 * Runtime.getRuntime().availableProcessors();
        CollectionSpec spec = new CollectionSpec(data.dimension(), data.metric(), 1, 1, Sharding.HASH, null,
                new IndexParams(Integer.parseInt(o.extra().getOrDefault("degree", "32")),
                        Integer.parseInt(o.extra().getOrDefault("beam", "100")),
                        Integer.parseInt(o.extra().getOrDefault("pq", "0")), width), 0).withDefaults().validate();
        out.note(String.format(Locale.ROOT, "data: %s, %d x %d, %d queries, metric %s; %s", data.dir(),
                data.base().length, data.dimension(), data.queries().length, data.metric().wireName(),
                BenchOutput.machine()));

        Path scratch = o.scratch("shard");
        // --segment DIR reuses a segment built by an earlier run (same data and parameters), else one is built.
        String reuse = o.extra().get("segment");
        Path segmentDir = reuse != null ? Path.of(reuse) : scratch.resolve("segment");
        double buildSeconds = 0;
        SegmentManifest manifest;
        if (reuse != null && java.nio.file.Files.isRegularFile(segmentDir.resolve("manifest.json"))) {
            manifest = SegmentManifest.read(segmentDir);
            if (manifest.rows() != data.base().length || manifest.dimension() != data.dimension()) {
                throw new IllegalArgumentException("--segment " + segmentDir + " holds " + manifest.rows() + " x "
                        + manifest.dimension() + "; the data is " + data.base().length + " x " + data.dimension());
            }
        } else {
            List<Document> docs = new ArrayList<>(data.base().length);
            for (int i = 0; i < data.base().length; i++) {
                docs.add(new Document(Integer.toString(i), data.base()[i], null, null));
            }
            long buildStart = System.nanoTime();
            manifest = SegmentWriter.write(segmentDir, "bench-" + System.nanoTime(), spec, docs, List.of());
            buildSeconds = (System.nanoTime() - buildStart) / 1e9;
        }
        int nq = data.queries().length;
        String params = String.format(Locale.ROOT, "M=%d beam=%d width=%d k=%d", spec.index().maxDegree(),
                spec.index().constructionBeam(), width, K);

        // In process: the same ShardIndex a node builds, called directly. Kept open while the node serves, so the
        // two sides are timed in alternating rounds.
        try (SegmentReader reader = SegmentReader.open(segmentDir)) {
            ShardIndex index = new ShardIndex(List.of(reader));
            IntFunction<int[]> inProcess = q -> ids(index.search(ShardQuery.of(data.queries()[q], K, width)));
            QueryRunner.run(nq, threads, inProcess, warmup);
            runHttp(data, out, spec, manifest, segmentDir, scratch, width, warmup, threads, rounds, binary, protocol,
                    nodeProperties, buildSeconds, params, inProcess);
        }
    }

    private void runHttp(BenchData data, BenchOutput out, CollectionSpec spec,
                         SegmentManifest manifest, Path segmentDir, Path scratch, int width, double warmup,
                         int threads, int rounds, boolean binary, String protocol,
                         Map<String, Object> nodeProperties, double buildSeconds, String params,
                         IntFunction<int[]> inProcess) throws Exception {
        int nq = data.queries().length;
        // Over HTTP: a node on the emulated catalog and store.
        try (EmbeddedDynamoDb dynamo = EmbeddedDynamoDb.start(); EmbeddedS3 s3 = EmbeddedS3.start(scratch.resolve("s3"), 0)) {
            DynamoDbClient client = dynamo.client();
            client.createTable(CatalogSchema.createTableRequest(CatalogSchema.DEFAULT_TABLE_NAME));
            Catalog catalog = DynamoCatalog.of(client, CatalogSchema.DEFAULT_TABLE_NAME);
            s3.createBucket("bench");
            SegmentStore store = new S3SegmentStore(s3.client(), "bench");
            CollectionRecord collection = catalog.createCollection("bench", "shard", spec, "local");
            String key = "segments/bench/shard/0/" + manifest.segmentId() + "/";
            store.uploadDirectory(segmentDir, key);

            // The router's module is hidden from the node's loader (its beans would start in the node's context).
            String router = "dev/strata/router/RouterApp.class";
            List<Path> hidden = ShardBench.class.getClassLoader().getResource(router) == null
                    ? List.of() : List.of(AppClassLoader.moduleOf(router));
            AppClassLoader loader = AppClassLoader.over("strata-shard-service", AppClassLoader.jvmClassPath(), hidden,
                    ShardBench.class.getClassLoader());
            try (LocalShardNode node = LocalShardNode.start(loader, "local", "bench-node",
                    scratch.resolve("cache"), Duration.ofMillis(500), Duration.ofSeconds(3), nodeProperties, catalog,
                    store)) {
                awaitReady(node);
                URI endpoint = node.endpoint();
                String path = "/internal/v1/shards/bench/shard/0/search";

                long committed = System.nanoTime();
                CollectionRecord v1 = catalog.commit(new Commit("bench", "shard", collection.version(),
                        Map.of(0, List.of(new SegmentRef(manifest.segmentId(), key, 0, manifest.rows(),
                                manifest.tombstones(), manifest.bytes(), manifest.checksum()))),
                        Map.of(), null, manifest.rows(), null));
                byte[] probe = body(binary, data.queries()[0], width, v1.version());
                double commitToServed;
                try (KeepAliveClient c = new KeepAliveClient(endpoint, path, binary)) {
                    while (c.post(probe, traceHeader(0)).status() != 200) {
                        if (System.nanoTime() - committed > 60_000_000_000L) {
                            throw new IllegalStateException("the node did not serve version " + v1.version() + " in 60 s");
                        }
                        Thread.sleep(5);
                    }
                    commitToServed = (System.nanoTime() - committed) / 1e9;
                }

                byte[][] bodies = new byte[nq][];
                byte[][] traces = new byte[nq][];
                for (int q = 0; q < nq; q++) {
                    bodies[q] = body(binary, data.queries()[q], width, null);
                    traces[q] = traceHeader(q + 1);
                }
                ThreadLocal<KeepAliveClient> clients = ThreadLocal.withInitial(
                        () -> new KeepAliveClient(endpoint, path, binary));
                List<KeepAliveClient> opened = java.util.Collections.synchronizedList(new ArrayList<>());
                IntFunction<int[]> overHttp = q -> {
                    KeepAliveClient c = clients.get();
                    if (c.fresh) {
                        c.fresh = false;
                        opened.add(c);
                    }
                    KeepAliveClient.Response r = c.post(bodies[q], traces[q]);
                    if (r.status() != 200) {
                        throw new IllegalStateException("HTTP " + r.status() + ": " + new String(r.body(), StandardCharsets.UTF_8));
                    }
                    return binary ? ids(ShardSearchBinary.decodeResponse(r.body()).hits()) : ids(r.body());
                };
                QueryRunner.run(nq, threads, overHttp, warmup);
                // Timed rounds alternate the two sides, so load from other work on the machine (and the node's own
                // background work: catalog polling, recall sampling) falls on both alike.
                Rounds local = new Rounds();
                Rounds http = new Rounds();
                for (int round = 0; round < rounds; round++) {
                    local.add(QueryRunner.run(nq, threads, inProcess, 0));
                    http.add(QueryRunner.run(nq, threads, overHttp, 0));
                }
                opened.forEach(KeepAliveClient::close);
                double localRecall = recall(data, local.answers());
                out.result(new BenchResult("in-process", params, buildSeconds, localRecall, local.qps(), local.p50Ms(),
                        local.p99Ms(), 0, threads, Map.of("cpu_us_per_query", Math.round(local.processCpuUsPerQuery()))));
                double httpRecall = recall(data, http.answers());
                Map<String, Object> extra = new LinkedHashMap<>();
                extra.put("commit_to_served_s", Math.round(commitToServed * 1000) / 1000.0);
                extra.put("qps_vs_in_process", Math.round(http.qps() / local.qps() * 1000) / 1000.0);
                extra.put("cpu_us_per_query", Math.round(http.processCpuUsPerQuery()));
                String label = params + " keep-alive HTTP/1.1 " + protocol
                        + (nodeProperties.isEmpty() ? "" : " " + nodeProperties);
                out.result(new BenchResult("http", label, buildSeconds, httpRecall,
                        http.qps(), http.p50Ms(), http.p99Ms(), 0, threads, extra));
                out.note(String.format(Locale.ROOT, "http/in-process QPS: %.2f (target >= 0.70; %d alternating rounds"
                        + " of %d queries a side); process CPU per query: %.0f us in process, %.0f us over HTTP (node"
                        + " and client); commit to served: %.3f s (segment of %d rows, %d bytes)", http.qps() / local.qps(),
                        rounds, nq * QueryRunner.TIMED_PASSES, local.processCpuUsPerQuery(),
                        http.processCpuUsPerQuery(), commitToServed, manifest.rows(), manifest.bytes()));
            }
        }
    }

    /**
     * Timed rounds of one side, summed: QPS is all queries over all timed seconds, CPU per query all process CPU
     * over all queries, p50/p99 the median of the rounds' own; answers are the last round's.
     */
    private static final class Rounds {
        private final List<QueryRunner.Measurement> all = new ArrayList<>();

        void add(QueryRunner.Measurement m) {
            all.add(m);
        }

        double qps() {
            double seconds = 0;
            for (QueryRunner.Measurement m : all) {
                seconds += 1 / m.qps();
            }
            return all.size() / seconds; // each round ran the same number of queries
        }

        double processCpuUsPerQuery() {
            return all.stream().mapToDouble(QueryRunner.Measurement::processCpuUsPerQuery).average().orElse(Double.NaN);
        }

        double p50Ms() {
            return median(all.stream().mapToDouble(QueryRunner.Measurement::p50Ms).toArray());
        }

        double p99Ms() {
            return median(all.stream().mapToDouble(QueryRunner.Measurement::p99Ms).toArray());
        }

        int[][] answers() {
            return all.getLast().answers();
        }

        private static double median(double[] values) {
            java.util.Arrays.sort(values);
            int n = values.length;
            return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
        }
    }

    private static void awaitReady(LocalShardNode node) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!node.ready()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("shard node not ready in 60 s");
            }
            Thread.sleep(20);
        }
    }

    /** The body the router's client sends for this query: the same record, in the chosen form. */
    private static byte[] body(boolean binary, float[] vector, int width, Long minVersion) {
        ShardSearchRequest request = new ShardSearchRequest(vector, K, width, null, false, false, minVersion);
        if (binary) {
            return ShardSearchBinary.encodeRequest(request);
        }
        try {
            return JSON.writeValueAsBytes(request);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An X-Ray trace header as the router propagates it: a distinct trace and parent span per query. */
    private static byte[] traceHeader(int q) {
        long epoch = System.currentTimeMillis() / 1000;
        String header = String.format(Locale.ROOT, "X-Amzn-Trace-Id: Root=1-%08x-%024x;Parent=%016x;Sampled=1\r\n",
                epoch, 0xbe9cL * 1_000_003L + q, 0x5eedL + q);
        return header.getBytes(StandardCharsets.US_ASCII);
    }

    private static int[] ids(List<Match> matches) {
        int[] ids = new int[matches.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = Integer.parseInt(matches.get(i).id());
        }
        return ids;
    }

    private static int[] ids(byte[] responseBody) {
        try {
            JsonNode hits = JSON.readTree(responseBody).get("hits");
            int[] ids = new int[hits.size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = Integer.parseInt(hits.get(i).get("id").asText());
            }
            return ids;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double recall(BenchData data, int[][] answers) {
        return data.groundTruth() == null ? Double.NaN : BenchData.recall(data.groundTruth(), answers, K);
    }
}
