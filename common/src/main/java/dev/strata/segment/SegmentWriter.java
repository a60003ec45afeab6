package dev.strata.segment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.api.CollectionSpec;
import dev.strata.api.Document;
import dev.strata.api.IndexParams;
import dev.strata.api.Metric;
import dev.strata.api.StrataException;
import io.github.jbellis.jvector.graph.GraphIndexBuilder;
import io.github.jbellis.jvector.graph.ImmutableGraphIndex;
import io.github.jbellis.jvector.graph.ListRandomAccessVectorValues;
import io.github.jbellis.jvector.graph.RandomAccessVectorValues;
import io.github.jbellis.jvector.graph.disk.OnDiskGraphIndexWriter;
import io.github.jbellis.jvector.graph.disk.feature.FeatureId;
import io.github.jbellis.jvector.graph.disk.feature.InlineVectors;
import io.github.jbellis.jvector.graph.similarity.BuildScoreProvider;
import io.github.jbellis.jvector.quantization.PQVectors;
import io.github.jbellis.jvector.quantization.ProductQuantization;
import io.github.jbellis.jvector.util.PhysicalCoreExecutor;
import io.github.jbellis.jvector.vector.VectorSimilarityFunction;
import io.github.jbellis.jvector.vector.VectorizationProvider;
import io.github.jbellis.jvector.vector.types.VectorFloat;
import io.github.jbellis.jvector.vector.types.VectorTypeSupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Builds an immutable segment in an empty directory. A segment holds the rows of one shard written by one batch
 * (or one compaction), and the ids that batch deletes from older segments of the shard (tombstones).
 *
 * <h2>Files (format version {@value SegmentManifest#FORMAT_VERSION})</h2>
 * Every file but {@code graph.jvg} is little-endian and laid out by this package; row ordinal {@code r}
 * (0-based, in the order rows were given, after de-duplication) is the same in every file.
 * <ul>
 *   <li>{@code graph.jvg}: jvector's on-disk graph index ({@code OnDiskGraphIndexWriter}, jvector 4.0.2's current
 *       on-disk format, big-endian as jvector writes it): the Vamana/HNSW layer-0 adjacency of every row with its
 *       full-precision float32 vector inline ({@code INLINE_VECTORS}); node ordinal = row ordinal. Built with max
 *       degree {@code index.maxDegree}, beam {@code index.constructionBeam}, alpha 1.2, flat (no HNSW upper
 *       layers), exact scores. Read memory-mapped: vectors only for re-ranking and exact scans. Absent when {@code rows == 0}.</li>
 *   <li>{@code sq.bin} (the default, {@code index.pqSubspaces == 0}): two-bit scalar codes of every row after a
 *       fixed rotation, for the graph walk (layout and scoring in {@link SqCodes}). Absent when
 *       {@code rows == 0}.</li>
 *   <li>{@code pq.bin} instead of {@code sq.bin} when {@code index.pqSubspaces > 0}: product-quantization
 *       codebooks and one code per row (see {@link PqCodes} for the byte layout); that many subspaces, up to 256
 *       clusters trained on a seeded sample of at most {@value #PQ_TRAINING_ROWS} rows. Absent when
 *       {@code rows == 0}.</li>
 *   <li>{@code ids.bin}: a blob column (layout in {@link BlobColumn}) of the rows' ids, UTF-8.</li>
 *   <li>{@code metadata.bin}: a blob column of each row's metadata as a JSON object in UTF-8; empty = none.</li>
 *   <li>{@code text.bin}: a blob column of each row's text in UTF-8; empty = none.</li>
 *   <li>{@code columns.bin}: the metadata re-encoded per field for filtering (layout in {@link FilterColumns}).</li>
 *   <li>{@code tombstones.bin}: a blob column of the ids this segment deletes from older segments.</li>
 *   <li>{@code manifest.json}: written last (atomically renamed into place): format version, segment id,
 *       dimension, metric, row and tombstone counts, and each file's size and CRC32C
 *       ({@link SegmentManifest}).</li>
 * </ul>
 *
 * <h2>Rows</h2>
 * Rows must carry a finite vector of the spec's dimension. Under {@code cosine} vectors are L2-normalised before
 * anything is written (a zero vector is rejected). When an id occurs twice, the later row wins. A tombstone for an
 * id that is also a row of the same segment deletes only older copies: the row stays live.
 *
 * <p>Stateless; {@link #write} may be called from several threads for different directories. Graph build and PQ
 * training use jvector's shared fork-join pools.
 */
public final class SegmentWriter {
    private static final VectorTypeSupport VTS = VectorizationProvider.getInstance().getVectorTypeSupport();
    private static final ObjectMapper JSON = new ObjectMapper();
    static final float NEIGHBOR_OVERFLOW = 1.2f;
    static final float ALPHA = 1.2f;
    /**
     * No sparse upper layers: measured on techdocs-dev (25k x 384), an HNSW hierarchy did not reduce the PQ scores
     * per query at equal recall (566 vs 546 at width 30), so the flat Vamana graph from jvector's entry node is
     * kept. {@link SegmentReader} still descends upper layers when a graph has them.
     */
    static final boolean HIERARCHY = false;
    /** Rows PQ codebooks are trained on (a seeded sample when the segment is larger). */
    static final int PQ_TRAINING_ROWS = 8192;

    private SegmentWriter() {}

    /**
     * Writes a segment into {@code dir} (created if missing; must be empty) and returns its manifest.
     *
     * @param rows       documents with vectors (tombstone documents are not allowed here)
     * @param tombstones ids this segment deletes from older segments (may be empty)
     * @throws StrataException.InvalidRequest when a row breaks a rule (names the row, field and value)
     */
    public static SegmentManifest write(Path dir, String segmentId, CollectionSpec spec, List<Document> rows,
                                        Collection<String> tombstones) {
        CollectionSpec s = spec.withDefaults();
        try {
            Files.createDirectories(dir);
            try (Stream<Path> entries = Files.list(dir)) {
                if (entries.findAny().isPresent()) {
                    throw new IllegalArgumentException("segment directory " + dir + " is not empty");
                }
            }
            List<Document> unique = dedupe(rows);
            List<VectorFloat<?>> vectors = vectors(unique, s);
            int n = unique.size();
            if (n > 0) {
                RandomAccessVectorValues ravv = new ListRandomAccessVectorValues(vectors, s.dimension());
                if (s.index().pqSubspaces() > 0) {
                    writePq(dir.resolve(SegmentFiles.PQ), ravv, s);
                } else {
                    float[][] stored = new float[n][];
                    for (int r = 0; r < n; r++) {
                        VectorFloat<?> v = vectors.get(r);
                        stored[r] = new float[s.dimension()];
                        for (int i = 0; i < stored[r].length; i++) {
                            stored[r][i] = v.get(i);
                        }
                    }
                    SqCodes.write(dir.resolve(SegmentFiles.SQ), stored, s.dimension());
                }
                writeGraph(dir.resolve(SegmentFiles.GRAPH), ravv, s);
            }
            List<byte[]> ids = new ArrayList<>(n);
            List<byte[]> metadata = new ArrayList<>(n);
            List<byte[]> text = new ArrayList<>(n);
            List<Map<String, Object>> metaMaps = new ArrayList<>(n);
            for (Document d : unique) {
                ids.add(d.id().getBytes(StandardCharsets.UTF_8));
                Map<String, Object> m = d.metadata();
                metadata.add(m == null || m.isEmpty() ? null : json(m));
                metaMaps.add(m);
                text.add(d.text() == null || d.text().isEmpty() ? null : d.text().getBytes(StandardCharsets.UTF_8));
            }
            BlobColumn.write(dir.resolve(SegmentFiles.IDS), ids);
            BlobColumn.write(dir.resolve(SegmentFiles.METADATA), metadata);
            BlobColumn.write(dir.resolve(SegmentFiles.TEXT), text);
            FilterColumns.write(dir.resolve(SegmentFiles.COLUMNS), metaMaps);
            List<byte[]> dead = new ArrayList<>();
            for (String id : new LinkedHashSet<>(tombstones == null ? List.<String>of() : tombstones)) {
                dead.add(id.getBytes(StandardCharsets.UTF_8));
            }
            BlobColumn.write(dir.resolve(SegmentFiles.TOMBSTONES), dead);

            Map<String, SegmentManifest.FileInfo> files = new TreeMap<>();
            long total = 0;
            try (Stream<Path> entries = Files.list(dir)) {
                for (Path f : entries.sorted().toList()) {
                    long size = Files.size(f);
                    files.put(f.getFileName().toString(), new SegmentManifest.FileInfo(size, SegmentFiles.crc32c(f)));
                    total += size;
                }
            }
            SegmentManifest manifest = new SegmentManifest(SegmentManifest.FORMAT_VERSION, segmentId, s.dimension(),
                    s.metric(), n, dead.size(), files, total);
            manifest.write(dir);
            return manifest;
        } catch (IOException e) {
            throw new UncheckedIOException("writing segment " + segmentId + " in " + dir, e);
        }
    }

    private static List<Document> dedupe(List<Document> rows) {
        Map<String, Document> byId = new LinkedHashMap<>();
        for (int i = 0; i < rows.size(); i++) {
            Document d = rows.get(i);
            if (d == null || d.id() == null || d.id().isEmpty()) {
                throw new StrataException.InvalidRequest("rows[" + i + "].id is required");
            }
            if (d.isDelete()) {
                throw new StrataException.InvalidRequest("rows[" + i + "] (id '" + d.id()
                        + "') is a delete; pass deletes as tombstones");
            }
            byId.remove(d.id()); // a later copy takes the later position
            byId.put(d.id(), d);
        }
        return new ArrayList<>(byId.values());
    }

    private static List<VectorFloat<?>> vectors(List<Document> rows, CollectionSpec spec) {
        List<VectorFloat<?>> out = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            Document d = rows.get(i);
            float[] v = d.vector();
            String field = "rows[" + i + "].vector (id '" + d.id() + "')";
            if (v == null) {
                throw new StrataException.InvalidRequest(field + " is required");
            }
            if (v.length != spec.dimension()) {
                throw new StrataException.InvalidRequest(field + " has " + v.length
                        + " values; the segment's dimension is " + spec.dimension());
            }
            float[] copy = v.clone();
            double norm = 0;
            for (int j = 0; j < copy.length; j++) {
                if (!Float.isFinite(copy[j])) {
                    throw new StrataException.InvalidRequest(field + "[" + j + "] is " + copy[j]
                            + "; values must be finite numbers");
                }
                norm += (double) copy[j] * copy[j];
            }
            if (spec.metric() == Metric.COSINE) {
                if (norm == 0) {
                    throw new StrataException.InvalidRequest(field + " is all zeros; cosine needs a non-zero vector");
                }
                float inv = (float) (1.0 / Math.sqrt(norm));
                for (int j = 0; j < copy.length; j++) {
                    copy[j] *= inv;
                }
            }
            out.add(VTS.createFloatVector(copy));
        }
        return out;
    }

    static VectorSimilarityFunction similarity(Metric metric) {
        return metric == Metric.L2 ? VectorSimilarityFunction.EUCLIDEAN : VectorSimilarityFunction.DOT_PRODUCT;
    }

    /** PQ subspaces when the spec asks for PQ ({@code index.pqSubspaces > 0}), at most the dimension. */
    static int subspaces(IndexParams index, int dimension) {
        return Math.min(index.pqSubspaces(), dimension);
    }

    private static void writePq(Path file, RandomAccessVectorValues ravv, CollectionSpec spec) throws IOException {
        int n = ravv.size();
        int m = subspaces(spec.index(), spec.dimension());
        int clusters = Math.min(256, n);
        ProductQuantization pq = ProductQuantization.compute(trainingSample(ravv), m, clusters,
                spec.metric() == Metric.L2);
        PQVectors encoded = (PQVectors) pq.encodeAll(ravv, PhysicalCoreExecutor.pool());
        byte[] codes = new byte[n * m];
        for (int r = 0; r < n; r++) {
            var code = encoded.get(r);
            for (int j = 0; j < m; j++) {
                codes[r * m + j] = code.get(j);
            }
        }
        PqCodes.write(file, pq, codes, n);
    }

    /**
     * At most {@value #PQ_TRAINING_ROWS} rows, drawn with a fixed seed: k-means cost grows with the training set
     * while codebook quality stops improving long before (256 clusters need a few thousand points).
     */
    private static RandomAccessVectorValues trainingSample(RandomAccessVectorValues ravv) {
        int n = ravv.size();
        if (n <= PQ_TRAINING_ROWS) {
            return ravv;
        }
        java.util.Random rnd = new java.util.Random(0x5eed);
        int[] rows = rnd.ints(0, n).distinct().limit(PQ_TRAINING_ROWS).sorted().toArray();
        List<VectorFloat<?>> sample = new ArrayList<>(rows.length);
        for (int r : rows) {
            sample.add(ravv.getVector(r));
        }
        return new ListRandomAccessVectorValues(sample, ravv.dimension());
    }

    private static void writeGraph(Path file, RandomAccessVectorValues ravv, CollectionSpec spec) throws IOException {
        IndexParams p = spec.index();
        BuildScoreProvider bsp = BuildScoreProvider.randomAccessScoreProvider(ravv, similarity(spec.metric()));
        try (GraphIndexBuilder builder = new GraphIndexBuilder(bsp, spec.dimension(), p.maxDegree(),
                p.constructionBeam(), NEIGHBOR_OVERFLOW, ALPHA, HIERARCHY, true)) {
            ImmutableGraphIndex graph = builder.build(ravv);
            try (OnDiskGraphIndexWriter writer = new OnDiskGraphIndexWriter.Builder(graph, file)
                    .with(new InlineVectors(spec.dimension()))
                    .build()) {
                writer.write(Map.of(FeatureId.INLINE_VECTORS, ord -> new InlineVectors.State(ravv.getVector(ord))));
            }
        }
    }

    private static byte[] json(Map<String, Object> metadata) {
        try {
            return JSON.writeValueAsBytes(metadata);
        } catch (JsonProcessingException e) {
            throw new StrataException.InvalidRequest("metadata is not serialisable as JSON: " + e.getOriginalMessage());
        }
    }
}
