package dev.strata.local;

import dev.strata.api.Match;
import dev.strata.api.SearchResponse;
import dev.strata.emulator.EmbeddedS3;
import dev.strata.local.client.StrataHttpClient;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code strata-local ingest} and {@code strata-local search}: what a user does against a running local system,
 * found through {@code <data dir>/endpoints.json}. Stateless.
 */
final class ClientCommands {

    private ClientCommands() {}

    /** {@code ingest FILE.jsonl[.gz] --collection C [--data-dir DIR]}: uploads the file under the ingest prefix. */
    static void ingest(List<String> args, String apiKey, PrintStream out) {
        List<String> rest = new ArrayList<>(args);
        Path dataDir = Path.of(LocalOptions.DEFAULT_DATA_DIR);
        String collection = null;
        Path file = null;
        while (!rest.isEmpty()) {
            String a = rest.remove(0);
            switch (a) {
                case "--collection" -> collection = LocalOptions.value(a, rest);
                case "--data-dir" -> dataDir = Path.of(LocalOptions.value(a, rest));
                default -> {
                    if (a.startsWith("--") || file != null) {
                        throw new IllegalArgumentException("unexpected argument '" + a
                                + "'; usage: ingest FILE.jsonl[.gz] --collection C [--data-dir DIR]");
                    }
                    file = Path.of(a);
                }
            }
        }
        if (file == null || collection == null) {
            throw new IllegalArgumentException("usage: ingest FILE.jsonl[.gz] --collection C [--data-dir DIR]");
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("file " + file + " does not exist");
        }
        String name = file.getFileName().toString();
        if (!name.endsWith(".jsonl") && !name.endsWith(".jsonl.gz")) {
            throw new IllegalArgumentException("file " + name + " must end in .jsonl or .jsonl.gz");
        }
        LocalEndpoints endpoints = LocalEndpoints.read(dataDir);
        String key = ingestKey(endpoints.tenant(), collection, name, System.currentTimeMillis());
        try (S3Client s3 = s3Client(endpoints)) {
            s3.putObject(b -> b.bucket(endpoints.bucket()).key(key), RequestBody.fromFile(file));
        }
        out.printf(Locale.ROOT, "uploaded %s to s3://%s/%s%n", file, endpoints.bucket(), key);
        out.printf(Locale.ROOT, "it is ingested on arrival; follow it with:%n  curl -s -H 'Authorization: Bearer %s' "
                + "%s/v1/collections/%s%n", apiKey, endpoints.router(), collection);
    }

    /** {@code search "question" --collection C [--k 5] [--data-dir DIR]}: prints the top matches. */
    static void search(List<String> args, String apiKey, PrintStream out) {
        List<String> rest = new ArrayList<>(args);
        Path dataDir = Path.of(LocalOptions.DEFAULT_DATA_DIR);
        String collection = null;
        String question = null;
        int k = 5;
        while (!rest.isEmpty()) {
            String a = rest.remove(0);
            switch (a) {
                case "--collection" -> collection = LocalOptions.value(a, rest);
                case "--data-dir" -> dataDir = Path.of(LocalOptions.value(a, rest));
                case "--k" -> k = LocalOptions.intValue(a, rest);
                default -> {
                    if (a.startsWith("--") || question != null) {
                        throw new IllegalArgumentException("unexpected argument '" + a
                                + "'; usage: search \"question\" --collection C [--k 5] [--data-dir DIR]");
                    }
                    question = a;
                }
            }
        }
        if (question == null || collection == null) {
            throw new IllegalArgumentException("usage: search \"question\" --collection C [--k 5] [--data-dir DIR]");
        }
        LocalEndpoints endpoints = LocalEndpoints.read(dataDir);
        StrataHttpClient client = new StrataHttpClient(endpoints.router(), apiKey);
        SearchResponse response = client.search(collection,
                StrataHttpClient.textQuery(question, k, List.of("metadata", "text")));
        printMatches(response, out);
    }

    static void printMatches(SearchResponse response, PrintStream out) {
        out.printf(Locale.ROOT, "%d matches (version %d, %.1f ms%s)%n", response.matches().size(), response.version(),
                response.tookMs(), response.partial() ? ", PARTIAL: shards " + response.missingShards() + " missing" : "");
        int rank = 1;
        for (Match m : response.matches()) {
            out.printf(Locale.ROOT, "%2d. %.4f  %s%n", rank++, m.score(), m.id());
            if (m.metadata() != null && m.metadata().get("title") != null) {
                out.printf(Locale.ROOT, "    %s%n", m.metadata().get("title"));
            }
            if (m.text() != null) {
                out.printf(Locale.ROOT, "    %s%n", abbreviate(m.text(), 240));
            }
        }
    }

    static String ingestKey(String tenant, String collection, String fileName, long millis) {
        String base = fileName.endsWith(".jsonl.gz") ? fileName.substring(0, fileName.length() - 9)
                : fileName.substring(0, fileName.length() - 6);
        String ext = fileName.substring(base.length());
        String safe = base.replaceAll("[^A-Za-z0-9._-]", "_");
        return "ingest/" + tenant + "/" + collection + "/" + safe + "-" + millis + ext;
    }

    static S3Client s3Client(LocalEndpoints endpoints) {
        return S3Client.builder()
                .endpointOverride(endpoints.s3())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(EmbeddedS3.ACCESS_KEY, EmbeddedS3.SECRET_KEY)))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    private static String abbreviate(String text, int max) {
        String flat = text.replaceAll("\\s+", " ").strip();
        return flat.length() <= max ? flat : flat.substring(0, max - 1) + "…";
    }
}
