package dev.strata.local.data;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.api.Document;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** Writes documents as an ingest object: gzipped JSONL, one {@link Document} a line. Stateless, thread-safe. */
public final class Jsonl {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Jsonl() {}

    public static byte[] gzipped(List<Document> docs) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            for (Document d : docs) {
                gz.write(JSON.writeValueAsBytes(d));
                gz.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
