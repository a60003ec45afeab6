package dev.strata.router;

import dev.strata.tls.TlsMaterial;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The real shard service, its runnable jar ({@code shard-service-ecs/target/shard-service-ecs.jar}, what the container
 * runs) in a child JVM on loopback: catalog in this JVM's DynamoDB Local, segments in its S3 server, mutual TLS
 * required from the PEM environment variables the ECS task definition sets ({@code STRATA_TLS_CA_PEM},
 * {@code _CERT_PEM}, {@code _KEY_PEM}, {@code STRATA_TLS_CLIENT_AUTH=required}), spans over OTLP. Its output goes to {@code target/shard-<id>.log}. A separate process because
 * the router and the shard service are two Micronaut applications: in one class path each would start the other's
 * beans. Closed (stopped) by the test.
 */
final class ShardServiceProcess implements AutoCloseable {

    /** The runnable jar, relative to this module's directory (Maven runs tests there). */
    static final Path JAR = Path.of("..", "shard-service-ecs", "target", "shard-service-ecs.jar");

    private final Process process;
    private final Path log;

    private ShardServiceProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /**
     * Starts node {@code nodeId} of region {@link ShardFleet#REGION} over the fixture's catalog and bucket, serving TLS
     * with {@code server} material, exporting spans to {@code otlpEndpoint}.
     */
    static ShardServiceProcess start(RouterFixture fixture, String nodeId, TlsMaterial server, String otlpEndpoint)
            throws IOException {
        Path dir = Files.createTempDirectory("strata-shard-" + nodeId);
        Map<String, String> properties = new TreeMap<>();
        properties.put("micronaut.server.host", "127.0.0.1");
        properties.put("micronaut.server.port", "-1");
        properties.put("strata.node.region", ShardFleet.REGION);
        properties.put("strata.node.id", nodeId);
        properties.put("strata.node.heartbeat-interval", "500ms");
        properties.put("strata.node.watch-interval", "250ms");
        properties.put("strata.cache.dir", dir.resolve("cache").toString());
        properties.put("strata.aws.region", "us-east-1");
        properties.put("strata.aws.table", fixture.table);
        properties.put("strata.aws.bucket", RouterFixture.BUCKET);
        properties.put("strata.aws.dynamodb-endpoint", fixture.dynamo.endpoint().toString());
        properties.put("strata.aws.s3-endpoint", fixture.s3.endpoint().toString());
        properties.put("aws.accessKeyId", dev.strata.emulator.EmbeddedS3.ACCESS_KEY);
        properties.put("aws.secretAccessKey", dev.strata.emulator.EmbeddedS3.SECRET_KEY);
        properties.put("strata.tracing.exporter", "otlp");
        properties.put("strata.tracing.otlp-endpoint", otlpEndpoint);
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"));
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.addAll(List.of("-jar", JAR.toAbsolutePath().normalize().toString()));
        Path log = Path.of("target", "shard-" + nodeId + ".log").toAbsolutePath();
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        // mutual TLS the way the ECS task definition sets it: the secret's PEM texts as environment variables
        builder.environment().put(TlsMaterial.CA_ENV, server.caPem());
        builder.environment().put(TlsMaterial.CERT_ENV, server.certPem());
        builder.environment().put(TlsMaterial.KEY_ENV, server.keyPem());
        builder.environment().put("STRATA_TLS_CLIENT_AUTH", "required");
        builder.environment().put("STRATA_TLS_MANAGEMENT_PORT", "0");
        Process process = builder.start();
        // never outlive the test JVM, even when it ends without running @AfterAll
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        return new ShardServiceProcess(process, log);
    }

    boolean alive() {
        return process.isAlive();
    }

    /** The last lines of the node's output (for assertion messages). */
    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
