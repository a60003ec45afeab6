package dev.strata.segment;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.api.Metric;
import io.github.jbellis.jvector.disk.ReaderSupplier;
import io.github.jbellis.jvector.disk.ReaderSupplierFactory;
import io.github.jbellis.jvector.graph.NodesIterator;
import io.github.jbellis.jvector.graph.disk.OnDiskGraphIndex;

import java.io.IOException;

import java.nio.MappedByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * An open, verified segment: memory-mapped files plus the parts kept in heap for search (the graph walk's codes,
 * the layer-0 adjacency of the graph). Layout of the files: {@link SegmentWriter}.
 *
 * <p>{@link #open} verifies the format version and the size and CRC32C of every file against the manifest before
 * anything is used; any mismatch throws {@link SegmentCorruptException} naming the file and both values, and no
 * reader is returned.
 *
 * <p>Thread-safety: after {@link #open} returns, every method may be called from any number of threads at once;
 * each search borrows its own scratch state ({@link SegmentSearcher}) from a pool. {@link #close} must be called
 * once, by the owner, when no search is running any more (the shard service reference-counts readers for that).
 *
 * <p>Scores: cosine and dot report the inner product (of normalised vectors for cosine); l2 reports
 * {@code 1 / (1 + squared distance)}. Higher is nearer for every metric.
 */
public final class SegmentReader implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private final Path dir;
    private final SegmentManifest manifest;
    private final BlobColumn ids;
    private final BlobColumn metadata;
    private final BlobColumn text;
    private final BlobColumn tombstones;
    private final FilterColumns columns;
    /** The graph walk's codes: product quantization ({@code pq.bin}) or two-bit scalar codes ({@code sq.bin}). */
    final PqCodes pq;
    final SqCodes sq;
    /** Full vectors for exact re-ranking, read in place from the mapped graph file. */
    final FullVectors vectors;
    final int[] adjacency;
    final int degree;
    final int entryNode;
    /** Adjacency of the sparse upper layers (index 0 = level 1), for the greedy descent to a layer-0 entry. */
    final List<Map<Integer, int[]>> upperLayers;
    private final java.util.concurrent.atomic.LongAdder searches = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder approximateScores = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder exactScores = new java.util.concurrent.atomic.LongAdder();
    private final ConcurrentLinkedQueue<SegmentSearcher> searchers = new ConcurrentLinkedQueue<>();
    private volatile boolean closed;

    private SegmentReader(Path dir, SegmentManifest manifest, BlobColumn ids, BlobColumn metadata, BlobColumn text,
                          BlobColumn tombstones, FilterColumns columns, PqCodes pq, SqCodes sq, FullVectors vectors,
                          int[] adjacency, int degree, int entryNode,
                          List<Map<Integer, int[]>> upperLayers) {
        this.dir = dir;
        this.manifest = manifest;
        this.ids = ids;
        this.metadata = metadata;
        this.text = text;
        this.tombstones = tombstones;
        this.columns = columns;
        this.pq = pq;
        this.sq = sq;
        this.vectors = vectors;
        this.adjacency = adjacency;
        this.degree = degree;
        this.entryNode = entryNode;
        this.upperLayers = upperLayers;
    }

    /**
     * Opens and verifies the segment in {@code dir}.
     *
     * @throws SegmentCorruptException when the manifest is missing or unreadable, its format version is unknown,
     *                                 or any file is missing, has the wrong size or the wrong CRC32C
     */
    public static SegmentReader open(Path dir) {
        SegmentManifest m = SegmentManifest.read(dir);
        if (m.formatVersion() != SegmentManifest.FORMAT_VERSION) {
            throw new SegmentCorruptException(SegmentFiles.MANIFEST, "segment " + dir + " has format version "
                    + m.formatVersion() + "; this reader reads version " + SegmentManifest.FORMAT_VERSION);
        }
        List<String> required = new ArrayList<>(List.of(SegmentFiles.IDS, SegmentFiles.METADATA, SegmentFiles.TEXT,
                SegmentFiles.COLUMNS, SegmentFiles.TOMBSTONES));
        if (m.rows() > 0) {
            required.add(SegmentFiles.GRAPH);
            if (!m.files().containsKey(SegmentFiles.PQ) && !m.files().containsKey(SegmentFiles.SQ)) {
                throw new SegmentCorruptException(SegmentFiles.SQ, "segment " + dir + ": the manifest lists neither "
                        + SegmentFiles.SQ + " nor " + SegmentFiles.PQ);
            }
        }
        for (String name : required) {
            if (!m.files().containsKey(name)) {
                throw new SegmentCorruptException(name, "segment " + dir + ": the manifest does not list " + name);
            }
        }
        for (var e : m.files().entrySet()) {
            verify(dir, e.getKey(), e.getValue());
        }
        BlobColumn ids = BlobColumn.open(SegmentFiles.IDS, SegmentFiles.map(dir.resolve(SegmentFiles.IDS)), m.rows());
        BlobColumn meta = BlobColumn.open(SegmentFiles.METADATA,
                SegmentFiles.map(dir.resolve(SegmentFiles.METADATA)), m.rows());
        BlobColumn text = BlobColumn.open(SegmentFiles.TEXT, SegmentFiles.map(dir.resolve(SegmentFiles.TEXT)), m.rows());
        BlobColumn dead = BlobColumn.open(SegmentFiles.TOMBSTONES,
                SegmentFiles.map(dir.resolve(SegmentFiles.TOMBSTONES)), m.tombstones());
        FilterColumns columns = FilterColumns.open(SegmentFiles.map(dir.resolve(SegmentFiles.COLUMNS)), m.rows());
        if (m.rows() == 0) {
            return new SegmentReader(dir, m, ids, meta, text, dead, columns, null, null, null, new int[0], 0, -1,
                    List.of());
        }
        PqCodes pq = m.files().containsKey(SegmentFiles.PQ)
                ? PqCodes.read(SegmentFiles.map(dir.resolve(SegmentFiles.PQ)), m.rows(), m.dimension()) : null;
        SqCodes sq = pq != null ? null
                : SqCodes.read(SegmentFiles.map(dir.resolve(SegmentFiles.SQ)), m.rows(), m.dimension());
        // jvector reads the graph once here: the adjacency is copied to heap and the vectors are read in place by
        // FullVectors, so jvector's own mapping is closed before the reader is returned
        try (ReaderSupplier supplier = ReaderSupplierFactory.open(dir.resolve(SegmentFiles.GRAPH));
             OnDiskGraphIndex graph = OnDiskGraphIndex.load(supplier)) {
            if (graph.size() != m.rows() || graph.getDimension() != m.dimension()) {
                throw new SegmentCorruptException(SegmentFiles.GRAPH, "segment " + dir + ": " + SegmentFiles.GRAPH
                        + " has " + graph.size() + " nodes of dimension " + graph.getDimension()
                        + "; the manifest says " + m.rows() + " rows of dimension " + m.dimension());
            }
            int degree = graph.maxDegree();
            int[] adjacency = new int[m.rows() * degree];
            Arrays.fill(adjacency, -1);
            int entry;
            List<Map<Integer, int[]>> upper = new ArrayList<>();
            try (OnDiskGraphIndex.View view = graph.getView()) {
                for (int node = 0; node < m.rows(); node++) {
                    NodesIterator it = view.getNeighborsIterator(0, node);
                    int j = 0;
                    while (it.hasNext() && j < degree) {
                        adjacency[node * degree + j++] = it.nextInt();
                    }
                }
                for (int level = 1; level <= graph.getMaxLevel(); level++) {
                    Map<Integer, int[]> layer = new java.util.HashMap<>();
                    NodesIterator nodes = graph.getNodes(level);
                    while (nodes.hasNext()) {
                        int node = nodes.nextInt();
                        NodesIterator it = view.getNeighborsIterator(level, node);
                        int[] neighbours = new int[it.size()];
                        for (int j = 0; j < neighbours.length && it.hasNext(); j++) {
                            neighbours[j] = it.nextInt();
                        }
                        layer.put(node, neighbours);
                    }
                    upper.add(layer);
                }
                entry = view.entryNode().node;
            }
            FullVectors vectors = FullVectors.locate(dir.resolve(SegmentFiles.GRAPH), graph, m.rows());
            return new SegmentReader(dir, m, ids, meta, text, dead, columns, pq, sq, vectors, adjacency, degree,
                    entry, List.copyOf(upper));
        } catch (IOException | RuntimeException e) {
            if (e instanceof SegmentCorruptException sce) {
                throw sce;
            }
            throw new SegmentCorruptException(SegmentFiles.GRAPH, "segment " + dir + ": " + SegmentFiles.GRAPH
                    + " cannot be read: " + e, e);
        }
    }

    private static void verify(Path dir, String name, SegmentManifest.FileInfo info) {
        Path file = dir.resolve(name);
        if (!Files.isRegularFile(file)) {
            throw new SegmentCorruptException(name, "segment " + dir + ": " + name + " is missing");
        }
        long size = SegmentFiles.size(file);
        if (size != info.bytes()) {
            throw new SegmentCorruptException(name, "segment " + dir + ": " + name + " is " + size
                    + " bytes; the manifest says " + info.bytes());
        }
        String crc = SegmentFiles.crc32c(file);
        if (!crc.equals(info.crc32c())) {
            throw new SegmentCorruptException(name, "segment " + dir + ": " + name + " has CRC32C " + crc
                    + "; the manifest says " + info.crc32c());
        }
    }

    public Path directory() {
        return dir;
    }

    public SegmentManifest manifest() {
        return manifest;
    }

    public String segmentId() {
        return manifest.segmentId();
    }

    public int rowCount() {
        return manifest.rows();
    }

    public int dimension() {
        return manifest.dimension();
    }

    public Metric metric() {
        return manifest.metric();
    }

    /** Id of row {@code row}. */
    public String id(int row) {
        return ids.string(row);
    }

    /** Metadata of row {@code row} (decoded from its JSON), or null when it has none. */
    public Map<String, Object> metadata(int row) {
        byte[] b = metadata.bytes(row);
        if (b == null) {
            return null;
        }
        try {
            return JSON.readValue(b, MAP);
        } catch (IOException e) {
            throw new SegmentCorruptException(SegmentFiles.METADATA, "segment " + dir + ": row " + row
                    + " metadata is not JSON: " + e.getMessage(), e);
        }
    }

    /** Text of row {@code row}, or null when it has none. */
    public String text(int row) {
        return text.string(row);
    }

    /** Number of ids this segment deletes from older segments. */
    public int tombstoneCount() {
        return manifest.tombstones();
    }

    /** The {@code i}-th id this segment deletes from older segments. */
    public String tombstone(int i) {
        return tombstones.string(i);
    }

    /** Per-field filter columns of this segment's metadata. */
    public FilterColumns columns() {
        return columns;
    }

    /**
     * The {@code k} rows nearest to {@code query} among {@code accept} (every row when null), best first.
     * Chooses a {@link SearchPlan} from the number of accepted rows.
     *
     * @param searchWidth candidate list size of the graph walk (ef); re-ranking depth too
     */
    public List<ScoredRow> search(float[] query, int k, int searchWidth, RowSet accept) {
        return search(query, k, searchWidth, accept, null);
    }

    /** As {@link #search(float[], int, int, RowSet)} with a forced plan (null = choose); for tests and benchmarks. */
    public List<ScoredRow> search(float[] query, int k, int searchWidth, RowSet accept, SearchPlan forced) {
        if (closed) {
            throw new IllegalStateException("segment " + segmentId() + " is closed");
        }
        if (query.length != dimension()) {
            throw new IllegalArgumentException("query has " + query.length + " values; segment dimension is "
                    + dimension());
        }
        int n = rowCount();
        int accepted = accept == null ? n : accept.cardinality();
        if (accepted == 0 || k <= 0) {
            return List.of();
        }
        RowSet acceptOrNull = accept == null || accept.isAll() ? null : accept;
        SearchPlan plan = forced != null ? forced : SearchPlan.choose(accepted, n, k);
        if (plan == SearchPlan.PQ_SCAN && acceptOrNull == null) {
            acceptOrNull = RowSet.all(n);
        }
        SegmentSearcher searcher = borrow();
        try {
            List<ScoredRow> rows = searcher.search(query, k, searchWidth, acceptOrNull, plan);
            searches.increment();
            approximateScores.add(searcher.approximateScores);
            exactScores.add(searcher.exactScores);
            return rows;
        } finally {
            searcher.approximateScores = 0;
            searcher.exactScores = 0;
            searchers.offer(searcher);
        }
    }

    /** The stored full vector of row {@code row} (L2-normalised under cosine), read from the mapped graph file. */
    public float[] vector(int row) {
        if (closed) {
            throw new IllegalStateException("segment " + segmentId() + " is closed");
        }
        Objects.checkIndex(row, rowCount());
        return vectors.read(row, new float[dimension()]);
    }

    private SegmentSearcher borrow() {
        SegmentSearcher searcher = searchers.poll();
        return searcher != null ? searcher : new SegmentSearcher(this);
    }

    /** Work done by searches so far: PQ scores and full-vector scores computed, per search on average. */
    public record SearchCounters(long searches, long approximateScores, long exactScores) {
        public double approximatePerSearch() {
            return searches == 0 ? 0 : (double) approximateScores / searches;
        }

        public double exactPerSearch() {
            return searches == 0 ? 0 : (double) exactScores / searches;
        }
    }

    /** Counters of the work searches have done (load-independent cost: scores computed per query). */
    public SearchCounters counters() {
        return new SearchCounters(searches.sum(), approximateScores.sum(), exactScores.sum());
    }

    /** Resets {@link #counters()}. */
    public void resetCounters() {
        searches.reset();
        approximateScores.reset();
        exactScores.reset();
    }

    /**
     * Heap and off-heap bytes this reader keeps resident for search, excluding the memory-mapped files and the
     * per-thread scratch: the graph walk's codes ({@link SqCodes} or {@link PqCodes}) and the layer-0 adjacency.
     */
    public long residentBytes() {
        long upper = 0;
        for (Map<Integer, int[]> layer : upperLayers) {
            for (int[] a : layer.values()) {
                upper += 4L * a.length + 64; // array, boxed key and map entry
            }
        }
        return (pq != null ? pq.ramBytes() : sq != null ? sq.ramBytes() : 0) + 4L * adjacency.length + upper;
    }

    /** Bytes of scratch state per concurrent search (visited stamps, lookup table, vectors). */
    public long scratchBytesPerThread() {
        if (rowCount() == 0) {
            return 0;
        }
        long codes = pq != null ? 4L * pq.subspaces * PqCodes.TABLE_STRIDE : 8L * 4 * sq.words + 8L * dimension();
        return 4L * rowCount() + codes + 8L * dimension();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        searchers.clear();
    }

    @Override
    public String toString() {
        return "SegmentReader[" + segmentId() + ", " + rowCount() + " rows, " + dir + "]";
    }

}
