package dev.strata.local.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.api.Document;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A corpus directory in the techdocs format: {@code base.fvecs}, {@code query.fvecs}, {@code groundtruth.ivecs}
 * and, optionally, {@code passages.jsonl} (line i = row i: id, text, metadata). Without passages, row i has id
 * {@code "row-i"} and no text. Immutable after loading; thread-safe.
 *
 * @param base        the first rows of the base
 * @param queries     the query vectors
 * @param groundTruth exact neighbours of each query over the <em>full</em> base (row numbers), or empty
 * @param fullBase    whether {@code base} is the whole base (then {@code groundTruth} applies as is)
 */
public record Corpus(List<Document> base, List<float[]> queries, List<int[]> groundTruth, boolean fullBase) {

    /** Loads up to {@code limit} base rows (all when negative) and up to {@code queryLimit} queries. */
    public static Corpus load(Path dir, int limit, int queryLimit) {
        List<float[]> vectors = Texmex.readFvecs(dir.resolve("base.fvecs"), limit);
        List<float[]> queries = Texmex.readFvecs(dir.resolve("query.fvecs"), queryLimit);
        Path gt = dir.resolve("groundtruth.ivecs");
        List<int[]> truth = Files.isRegularFile(gt) ? Texmex.readIvecs(gt, queryLimit) : List.of();
        boolean full;
        try {
            long rows = vectors.isEmpty() ? 0 : Files.size(dir.resolve("base.fvecs")) / (4 + 4L * vectors.get(0).length);
            full = vectors.size() == rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Document> docs = new ArrayList<>(vectors.size());
        Path passages = dir.resolve("passages.jsonl");
        if (Files.isRegularFile(passages)) {
            ObjectMapper json = new ObjectMapper();
            try (BufferedReader r = Files.newBufferedReader(passages)) {
                for (int i = 0; i < vectors.size(); i++) {
                    String line = r.readLine();
                    if (line == null) {
                        throw new IllegalArgumentException(passages + " has " + i + " lines; base.fvecs has more rows");
                    }
                    JsonNode row = json.readTree(line);
                    @SuppressWarnings("unchecked")
                    Map<String, Object> metadata = row.has("metadata")
                            ? json.convertValue(row.get("metadata"), Map.class) : null;
                    docs.add(new Document(row.get("id").asText(), vectors.get(i),
                            row.has("text") ? row.get("text").asText() : null, metadata));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        } else {
            for (int i = 0; i < vectors.size(); i++) {
                docs.add(new Document("row-" + i, vectors.get(i), null, null));
            }
        }
        return new Corpus(List.copyOf(docs), List.copyOf(queries), List.copyOf(truth), full);
    }

    /** The ids of the exact top-k of query {@code q} over {@link #base}: the ground truth when it applies. */
    public List<String> exactIds(int q, int k) {
        List<String> ids = new ArrayList<>(k);
        if (fullBase && q < groundTruth.size() && groundTruth.get(q).length >= k) {
            for (int i = 0; i < k; i++) {
                ids.add(base.get(groundTruth.get(q)[i]).id());
            }
            return ids;
        }
        List<float[]> vectors = base.stream().map(Document::vector).toList();
        for (int row : ExactSearch.topK(vectors, queries.get(q), k)) {
            ids.add(base.get(row).id());
        }
        return ids;
    }
}
