package dev.strata.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.api.CollectionSpec;
import dev.strata.api.Metric;
import dev.strata.api.Sharding;
import dev.strata.local.client.StrataHttpClient;
import dev.strata.local.demo.DemoCorpus;
import dev.strata.local.embed.OnnxEmbedder;
import software.amazon.awssdk.core.sync.RequestBody;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/**
 * {@code strata-local up}: starts the {@link LocalSystem} over the data directory, loads the demo collection as a
 * user would (create through the API, upload the corpus under {@code ingest/}), prints how to query it, and runs
 * until Ctrl-C, which stops everything cleanly.
 */
final class UpCommand {
    static final String DEMO_QUESTION = "How do I make a DynamoDB table scale automatically?";

    private UpCommand() {}

    static void run(LocalOptions options, PrintStream out) {
        long start = System.nanoTime();
        out.printf(Locale.ROOT, "strata-local: starting %d shard nodes, the router and the emulators over %s ...%n",
                options.nodes(), options.dataDir().toAbsolutePath());
        LocalSystem system = LocalSystem.start(LocalSystem.Config.of(options));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            out.println("strata-local: stopping ...");
            LocalEndpoints.remove(options.dataDir());
            system.close();
            out.println("strata-local: stopped");
            stopped.countDown();
        }, "strata-local-shutdown"));
        try {
            StrataHttpClient client = system.client();
            if (options.demo()) {
                loadDemo(system, client, out);
            }
            if (!system.awaitReady(Duration.ofSeconds(120))) {
                throw new IllegalStateException("the shard nodes did not load their shards within 120 s");
            }
            new LocalEndpoints(system.routerUri(), system.s3Endpoint(), system.bucket(), LocalSystem.TENANT,
                    ProcessHandle.current().pid()).write(options.dataDir());
            banner(system, options, out, (System.nanoTime() - start) / 1e9);
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Creates {@code demo} and uploads the committed corpus, unless it exists; waits until it is searchable. */
    static void loadDemo(LocalSystem system, StrataHttpClient client, PrintStream out) throws InterruptedException {
        String name = DemoCorpus.COLLECTION;
        StrataHttpClient.Answer existing = client.send("GET", "/v1/collections/" + name, null);
        if (existing.status() == 404) {
            int replicas = Math.min(2, system.config().nodes());
            client.createCollection(name, new CollectionSpec(OnnxEmbedder.DIMENSION, Metric.COSINE, DemoCorpus.SHARDS,
                    replicas, Sharding.HASH, OnnxEmbedder.MODEL, null, 0));
            String key = "ingest/" + LocalSystem.TENANT + "/" + name + "/demo-passages.jsonl.gz";
            system.s3().putObject(b -> b.bucket(system.bucket()).key(key),
                    RequestBody.fromBytes(DemoCorpus.gzippedJsonl()));
            out.printf(Locale.ROOT, "strata-local: loading the demo corpus into collection '%s' (s3://%s/%s) ...%n",
                    name, system.bucket(), key);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode described = client.describeCollection(name);
            if (described.path("version").asLong() > 0 && described.path("documentCount").asLong() > 0) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the demo collection was not ingested within 180 s; see the log above");
    }

    static void banner(LocalSystem system, LocalOptions options, PrintStream out, double seconds) {
        String url = system.routerUri().toString();
        out.printf(Locale.ROOT, """

                Strata is running (ready in %.1f s): %d shard nodes, router at %s
                  API key (tenant %s, admin): %s
                  S3 endpoint %s, bucket %s (drop JSONL under ingest/%s/<collection>/ to ingest)
                %s
                Ctrl-C stops everything; data stays in %s
                """, seconds, options.nodes(), url, LocalSystem.TENANT, options.apiKey(), system.s3Endpoint(),
                system.bucket(), LocalSystem.TENANT, options.demo() ? demoHint(url, options.apiKey()) : "",
                options.dataDir().toAbsolutePath());
    }

    private static String demoHint(String url, String key) {
        return String.format(Locale.ROOT, """
                  Try it:
                    curl -s -H 'Authorization: Bearer %s' -H 'Content-Type: application/json' \\
                      %s/v1/collections/demo/search \\
                      -d '{"text":"%s","k":3,"include":["metadata","text"]}'
                  or: bin/strata-local search "%s" --collection demo
                """, key, url, DEMO_QUESTION, DEMO_QUESTION);
    }

    static List<String> exampleQuestions() {
        return List.of(DEMO_QUESTION, "Which S3 storage class is cheapest for archives?",
                "How do I give a Lambda function access to an SQS queue?");
    }
}
