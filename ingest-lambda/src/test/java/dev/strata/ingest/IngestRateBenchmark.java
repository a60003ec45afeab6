package dev.strata.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.api.CollectionSpec;
import dev.strata.api.Document;
import dev.strata.api.Metric;
import dev.strata.api.Sharding;
import dev.strata.catalog.BatchRecord;
import dev.strata.segment.SegmentWriter;
import dev.strata.shard.ShardingFunction;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Ingest rate benchmark (a program, not a test: it asserts nothing). Skipped unless {@code -Dstrata.bench=true}.
 * Ingests the techdocs corpus ({@code $STRATA_DATA_DIR} or {@code <repo>/../shared/data/techdocs-dev}: base.fvecs
 * vectors with passages.jsonl ids, texts and metadata) as one JSONL object through the whole pipeline into a
 * 4-shard hash collection on the embedded DynamoDB Local and s3proxy, and builds the same rows with a bare
 * {@link SegmentWriter} (one segment, and the same 4-way partition), then prints rows per second of each.
 *
 * <pre>./mvnw -B -ntp -o -pl ingest-lambda -am verify -Dtest=IngestRateBenchmark -Dstrata.bench=true \
 *     -Dsurefire.failIfNoSpecifiedTests=false</pre>
 */
class IngestRateBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();

    static Path dataDir() {
        String env = System.getenv("STRATA_DATA_DIR");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("mvnw"))) {
            dir = dir.getParent();
        }
        return dir == null ? Path.of("techdocs-dev-missing") : dir.resolve("../shared/data/techdocs-dev").normalize();
    }

    @Test
    void ingestRateAgainstBareBuild() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("strata.bench"), "benchmark: run with -Dstrata.bench=true");
        Path data = dataDir();
        Assumptions.assumeTrue(Files.exists(data.resolve("base.fvecs")) && Files.exists(data.resolve("passages.jsonl")),
                "techdocs data not found at " + data + " (set STRATA_DATA_DIR)");
        List<Document> rows = load(data);
        int dimension = rows.get(0).vector().length;
        StringBuilder jsonl = new StringBuilder(rows.size() * 6000);
        for (Document d : rows) {
            ObjectNode line = JSON.createObjectNode().put("id", d.id()).put("text", d.text());
            var v = line.putArray("vector");
            for (float f : d.vector()) {
                v.add(f);
            }
            line.set("metadata", JSON.valueToTree(d.metadata()));
            jsonl.append(line).append('\n');
        }
        CollectionSpec spec4 = new CollectionSpec(dimension, Metric.COSINE, 4, 1, Sharding.HASH, null, null, 0)
                .withDefaults().validate();
        System.out.printf("techdocs: %d rows × %d dims, JSONL %.1f MB, %d cores%n", rows.size(), dimension,
                jsonl.length() / 1e6, Runtime.getRuntime().availableProcessors());

        Path bare = Files.createTempDirectory("bare-build");
        // Warm-up: a small build so neither side pays the JIT for jvector alone.
        SegmentWriter.write(bare.resolve("warm"), "warm", spec4, rows.subList(0, 2000), Set.of());
        ShardingFunction sharding = ShardingFunction.of(spec4, List.of());
        Map<Integer, List<Document>> parts = new HashMap<>();
        for (Document d : rows) {
            parts.computeIfAbsent(sharding.shardOf(d.id(), d.vector()), s -> new ArrayList<>()).add(d);
        }
        long t0 = System.nanoTime();
        for (var e : parts.entrySet()) {
            SegmentWriter.write(bare.resolve("s" + e.getKey()), "s" + e.getKey(), spec4, e.getValue(), Set.of());
        }
        double bareFour = (System.nanoTime() - t0) / 1e9;
        System.out.printf("bare SegmentWriter, 4 segments (same partition): %.2f s, %.0f rows/s%n", bareFour,
                rows.size() / bareFour);

        double pipeline;
        BatchRecord batch;
        try (IngestFixture fx = new IngestFixture()) {
            fx.catalog.createCollection("bench", "techdocs", spec4, "local");
            String key = "ingest/bench/techdocs/all.jsonl";
            String etag = fx.put(key, jsonl.toString());
            jsonl = null;
            long p0 = System.nanoTime();
            batch = fx.pipeline().ingest(IngestFixture.BUCKET, key, etag);
            pipeline = (System.nanoTime() - p0) / 1e9;
            System.out.printf("pipeline (parse+validate+partition+build+upload+commit): %.2f s, %.0f rows/s%n",
                    pipeline, batch.accepted() / pipeline);
            fx.telemetryLines.stream().filter(l -> l.contains("ingest_timing") || l.contains("index_build"))
                    .forEach(System.out::println);
        }
        double bareOne = Double.NaN;
        if (!Boolean.getBoolean("strata.bench.skipOneSegment")) {
            t0 = System.nanoTime();
            SegmentWriter.write(bare.resolve("one"), "one", spec4, rows, Set.of());
            bareOne = (System.nanoTime() - t0) / 1e9;
        }
        SegmentBuilder.deleteTree(bare);
        System.out.printf("%n%-58s %10s %12s%n", "path", "seconds", "rows/s");
        System.out.printf("%-58s %10.2f %12.0f%n", "bare SegmentWriter, 1 segment", bareOne, rows.size() / bareOne);
        System.out.printf("%-58s %10.2f %12.0f%n", "bare SegmentWriter, 4 segments (same partition)", bareFour,
                rows.size() / bareFour);
        System.out.printf("%-58s %10.2f %12.0f%n", "pipeline: parse+validate+partition+build+upload+commit",
                pipeline, batch.accepted() / pipeline);
        System.out.printf("pipeline / bare 4 segments = %.0f %%, pipeline / bare 1 segment = %.0f %%; batch %s v%d%n",
                100 * bareFour / pipeline, 100 * bareOne / pipeline, batch.status(), batch.version());
    }

    /** base.fvecs rows with passages.jsonl ids, texts and metadata (line i is row i). */
    static List<Document> load(Path data) throws IOException {
        List<Document> rows = new ArrayList<>();
        try (DataInputStream vectors = new DataInputStream(new java.io.BufferedInputStream(
                Files.newInputStream(data.resolve("base.fvecs")), 1 << 20));
             BufferedReader passages = Files.newBufferedReader(data.resolve("passages.jsonl"), StandardCharsets.UTF_8)) {
            for (String line = passages.readLine(); line != null; line = passages.readLine()) {
                JsonNode p = JSON.readTree(line);
                float[] v = readFvec(vectors);
                @SuppressWarnings("unchecked")
                Map<String, Object> metadata = JSON.convertValue(p.get("metadata"), Map.class);
                rows.add(new Document(p.get("id").asText(), v, p.get("text").asText(), metadata));
            }
        }
        return rows;
    }

    private static float[] readFvec(InputStream in) throws IOException {
        byte[] header = in.readNBytes(4);
        int dim = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).getInt();
        byte[] body = in.readNBytes(4 * dim);
        float[] v = new float[dim];
        ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
        return v;
    }
}
