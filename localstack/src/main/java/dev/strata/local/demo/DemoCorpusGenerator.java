package dev.strata.local.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.local.data.Texmex;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;

/**
 * Writes the committed demo corpus ({@code src/main/resources/demo/passages.jsonl.gz}) from a techdocs-style
 * directory ({@code passages.jsonl} whose line i is row i of {@code base.fvecs}).
 *
 * <p>Selection is deterministic: the corpus rows are already in a seeded random order, so for each source
 * repository the first rows in file order are taken, an equal quota per source (sources with fewer rows give
 * their share to the others). Each output line is an ingest document {@code {"id","vector","text","metadata"}}
 * with the stored vector (six decimals), so loading the demo needs no embedding. A {@code service} field
 * (e.g. {@code dynamodb}) is added to the metadata for filter examples.
 *
 * <p>Usage: {@code DemoCorpusGenerator DATA_DIR OUT_FILE [COUNT]} (default 2,000).
 */
public final class DemoCorpusGenerator {

    private DemoCorpusGenerator() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: DemoCorpusGenerator DATA_DIR OUT_FILE [COUNT]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        Path out = Path.of(args[1]);
        int count = args.length > 2 ? Integer.parseInt(args[2]) : 2_000;
        int written = generate(dir, out, count);
        System.out.printf(Locale.ROOT, "wrote %d passages to %s (%d bytes)%n", written, out, Files.size(out));
    }

    /** Writes {@code count} passages (fewer if the corpus is smaller) and returns how many were written. */
    public static int generate(Path dataDir, Path out, int count) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<ObjectNode> rows = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(dataDir.resolve("passages.jsonl"))) {
            for (String line; (line = r.readLine()) != null; ) {
                rows.add((ObjectNode) json.readTree(line));
            }
        }
        List<float[]> vectors = Texmex.readFvecs(dataDir.resolve("base.fvecs"), rows.size());
        Map<String, List<Integer>> bySource = new TreeMap<>();
        for (int i = 0; i < rows.size(); i++) {
            bySource.computeIfAbsent(service(rows.get(i).get("id").asText()), s -> new ArrayList<>()).add(i);
        }
        List<Integer> chosen = pickEvenly(bySource, Math.min(count, rows.size()));
        Files.createDirectories(out.toAbsolutePath().getParent());
        try (OutputStream file = Files.newOutputStream(out);
             Writer w = new OutputStreamWriter(new GZIPOutputStream(file), StandardCharsets.UTF_8)) {
            for (int row : chosen) {
                ObjectNode src = rows.get(row);
                ObjectNode meta = ((ObjectNode) src.get("metadata")).deepCopy();
                meta.put("service", service(src.get("id").asText()));
                w.write("{\"id\":" + json.writeValueAsString(src.get("id").asText())
                        + ",\"vector\":" + vectorJson(vectors.get(row))
                        + ",\"text\":" + json.writeValueAsString(src.get("text").asText())
                        + ",\"metadata\":" + json.writeValueAsString(meta) + "}");
                w.write('\n');
            }
        }
        return chosen.size();
    }

    /** Six decimals: the rounding error (5e-7 per value) is far below any neighbour gap. */
    static String vectorJson(float[] v) {
        StringBuilder sb = new StringBuilder(v.length * 10).append('[');
        for (int i = 0; i < v.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            String s = String.format(Locale.ROOT, "%.6f", v[i]);
            s = s.replaceFirst("0+$", "");
            sb.append(s.endsWith(".") ? s + "0" : s);
        }
        return sb.append(']').toString();
    }

    /** {@code aws-sagemaker/doc_source/x.md#0} → {@code sagemaker}. */
    static String service(String id) {
        String corpus = id.substring(0, Math.max(0, id.indexOf('/')));
        return corpus.replaceFirst("^(aws|amazon)-", "");
    }

    /** Round-robin over the sources (sorted by name) so every source gets an equal share while it has rows. */
    static List<Integer> pickEvenly(Map<String, List<Integer>> bySource, int count) {
        List<Integer> chosen = new ArrayList<>(count);
        int round = 0;
        while (chosen.size() < count) {
            boolean any = false;
            for (List<Integer> rows : bySource.values()) {
                if (round < rows.size() && chosen.size() < count) {
                    chosen.add(rows.get(round));
                    any = true;
                }
            }
            if (!any) {
                break;
            }
            round++;
        }
        chosen.sort(null);
        return chosen;
    }
}
