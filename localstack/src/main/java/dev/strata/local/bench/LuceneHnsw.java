package dev.strata.local.bench;

import dev.strata.api.VectorRules;
import dev.strata.api.Metric;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.KnnVectorsReader;
import org.apache.lucene.codecs.lucene104.Lucene104Codec;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.index.CodecReader;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LogDocMergePolicy;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.MMapDirectory;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The Lucene HNSW peer: one {@link KnnFloatVectorField} per document, {@link Lucene99HnswVectorsFormat} with the
 * same max degree (Lucene's M is half the layer-0 degree) and construction beam, {@link MMapDirectory},
 * force-merged to one segment, searched with {@link KnnFloatVectorQuery} (its k = the candidate list, ef).
 * Document ids equal row numbers (one indexing thread, order-preserving merge policy). Thread-safe searches.
 */
final class LuceneHnsw implements AutoCloseable {
    private static final String FIELD = "v";
    private final MMapDirectory directory;
    private final DirectoryReader reader;
    private final IndexSearcher searcher;
    final double buildSeconds;

    private LuceneHnsw(MMapDirectory directory, DirectoryReader reader, double buildSeconds) {
        this.directory = directory;
        this.reader = reader;
        this.searcher = new IndexSearcher(reader);
        this.searcher.setQueryCache(null);
        this.buildSeconds = buildSeconds;
    }

    static LuceneHnsw build(Path dir, float[][] base, Metric metric, int m, int beam) throws IOException {
        long t0 = System.nanoTime();
        MMapDirectory directory = new MMapDirectory(dir);
        IndexWriterConfig cfg = new IndexWriterConfig()
                .setCodec(new Lucene104Codec() {
                    @Override
                    public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
                        return new Lucene99HnswVectorsFormat(m, beam);
                    }
                })
                .setRAMBufferSizeMB(2048)
                .setMergePolicy(new LogDocMergePolicy())
                .setUseCompoundFile(false);
        VectorSimilarityFunction sim = metric == Metric.L2 ? VectorSimilarityFunction.EUCLIDEAN
                : metric == Metric.DOT ? VectorSimilarityFunction.MAXIMUM_INNER_PRODUCT
                : VectorSimilarityFunction.DOT_PRODUCT;
        try (IndexWriter writer = new IndexWriter(directory, cfg)) {
            for (float[] v : base) {
                Document doc = new Document();
                doc.add(new KnnFloatVectorField(FIELD, metric == Metric.COSINE ? VectorRules.normalised(v) : v, sim));
                writer.addDocument(doc);
            }
            writer.forceMerge(1);
            writer.commit();
        }
        DirectoryReader reader = DirectoryReader.open(directory);
        if (reader.leaves().size() != 1 || reader.maxDoc() != base.length) {
            throw new IllegalStateException("expected one Lucene segment of " + base.length + " docs, got "
                    + reader.leaves().size() + " segments, " + reader.maxDoc() + " docs");
        }
        return new LuceneHnsw(directory, reader, (System.nanoTime() - t0) / 1e9);
    }

    int[] search(float[] query, int ef, int k) {
        try {
            TopDocs top = searcher.search(new KnnFloatVectorQuery(FIELD, query, ef), k);
            int[] rows = new int[top.scoreDocs.length];
            int i = 0;
            for (ScoreDoc sd : top.scoreDocs) {
                rows[i++] = sd.doc;
            }
            return rows;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Vectors Lucene compares for one query at this ef (its visited count); an untimed pass. */
    long visited(float[] query, int ef) {
        try {
            LeafReader leaf = reader.leaves().get(0).reader();
            TopDocs top = leaf.searchNearestVectors(FIELD, query, ef,
                    org.apache.lucene.search.AcceptDocs.fromLiveDocs(null, leaf.maxDoc()), Integer.MAX_VALUE);
            return top.totalHits.value();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Bytes of the vector and graph files Lucene reads (memory-mapped) per vector. */
    double mappedBytesPerVector() {
        LeafReader leaf = reader.leaves().get(0).reader();
        KnnVectorsReader vr = ((CodecReader) leaf).getVectorReader();
        FieldInfo fi = leaf.getFieldInfos().fieldInfo(FIELD);
        long total = 0;
        for (long v : vr.getOffHeapByteSize(fi).values()) {
            total += v;
        }
        return (double) total / leaf.maxDoc();
    }

    @Override
    public void close() throws IOException {
        reader.close();
        directory.close();
    }
}
