package dev.strata.local.demo;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.api.Document;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * The demo corpus committed with the code: about 2,000 passages of AWS documentation (CC BY-SA 4.0, see
 * {@code demo/NOTICE.md}) with their all-MiniLM-L6-v2 vectors, as a gzipped JSONL ingest object that can be
 * uploaded under {@code ingest/} unchanged. Written by {@link DemoCorpusGenerator}. Stateless, thread-safe.
 */
public final class DemoCorpus {
    public static final String RESOURCE = "demo/passages.jsonl.gz";
    public static final String COLLECTION = "demo";
    public static final int SHARDS = 4;

    private DemoCorpus() {}

    /** The gzipped JSONL bytes, as committed. */
    public static byte[] gzippedJsonl() {
        try (InputStream in = open()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The passages, in file order. */
    public static List<Document> documents() {
        ObjectMapper json = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        List<Document> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(open()), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                out.add(json.readValue(line, Document.class));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static InputStream open() throws IOException {
        InputStream in = DemoCorpus.class.getClassLoader().getResourceAsStream(RESOURCE);
        if (in == null) {
            throw new IOException(RESOURCE + " is not on the class path");
        }
        return in;
    }
}
