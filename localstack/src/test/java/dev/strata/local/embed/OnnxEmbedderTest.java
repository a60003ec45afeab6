package dev.strata.local.embed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.api.StrataException;
import dev.strata.local.data.DataDirs;
import dev.strata.local.data.Texmex;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class OnnxEmbedderTest {
    private static OnnxEmbedder embedder;

    @BeforeAll
    static void load() {
        embedder = new OnnxEmbedder(100);
    }

    @AfterAll
    static void close() {
        embedder.close();
    }

    @Test
    void longPassagesReproduceTheCorpusVectorsEmbeddedWith256WordPieces() throws IOException {
        // GIVEN the first passages of the reference corpus and their stored vectors
        Path dir = dataDir();
        List<String> texts = firstTexts(dir.resolve("passages.jsonl"), 6);
        List<float[]> expected = Texmex.readFvecs(dir.resolve("base.fvecs"), 6);
        // WHEN embedding their text
        List<float[]> actual = embedder.embed(texts);
        // THEN each vector matches the stored one
        for (int i = 0; i < texts.size(); i++) {
            assertThat(cosine(actual.get(i), expected.get(i))).as("passage %d", i).isGreaterThan(0.99);
        }
    }

    @Test
    void queryTextReproducesTheQueryVectors() throws IOException {
        // GIVEN query texts and their stored vectors
        Path dir = dataDir();
        List<String> texts = firstTexts(dir.resolve("queries.jsonl"), 10);
        List<float[]> expected = Texmex.readFvecs(dir.resolve("query.fvecs"), 10);
        // WHEN embedding them one by one
        // THEN each matches
        for (int i = 0; i < texts.size(); i++) {
            assertThat(cosine(embedder.embed(texts.get(i)), expected.get(i))).as("query %d", i).isGreaterThan(0.99);
        }
    }

    @Test
    void vectorsAreUnitLengthAndOfTheModelDimension() {
        // WHEN embedding any text
        float[] v = embedder.embed("How do I create a DynamoDB table?");
        // THEN it has 384 values and norm 1
        assertThat(v).hasSize(OnnxEmbedder.DIMENSION);
        assertThat(Math.sqrt(dot(v, v))).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
    }

    @Test
    void repeatedTextIsServedFromTheCacheWithTheSameVector() {
        // GIVEN a text embedded once
        String text = "Which storage class is cheapest for archives?";
        float[] first = embedder.embed(text);
        // WHEN it is embedded again
        long start = System.nanoTime();
        float[] second = embedder.embed(text);
        long micros = (System.nanoTime() - start) / 1000;
        // THEN the same vector comes back, without running the model (well under a millisecond)
        assertThat(second).containsExactly(first);
        assertThat(micros).isLessThan(1_000);
        // AND mutating a returned vector does not poison the cache
        second[0] = 42f;
        assertThat(embedder.embed(text)[0]).isEqualTo(first[0]);
    }

    @Test
    void blankTextIsRejectedNamingItsPosition() {
        assertThatThrownBy(() -> embedder.embed(List.of("fine", " ")))
                .isInstanceOf(StrataException.InvalidRequest.class)
                .hasMessage("text[1] is empty; nothing to embed");
    }

    @Test
    void tokenizerIsRewrittenToTruncateAt256() throws IOException {
        JsonNode json = new ObjectMapper().readTree(OnnxEmbedder.tokenizerWithMaxLength(256));
        assertThat(json.path("truncation").path("max_length").asInt()).isEqualTo(256);
    }

    private static Path dataDir() {
        var dir = DataDirs.techdocs();
        assumeTrue(dir.isPresent(), DataDirs.missingMessage());
        return dir.get();
    }

    private static List<String> firstTexts(Path jsonl, int n) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<String> out = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(jsonl)) {
            String line;
            while (out.size() < n && (line = r.readLine()) != null) {
                out.add(json.readTree(line).get("text").asText());
            }
        }
        return out;
    }

    private static double cosine(float[] a, float[] b) {
        return dot(a, b) / Math.sqrt(dot(a, a) * dot(b, b));
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }
}
