package dev.strata.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import software.amazon.awscdk.App;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.cxapi.CloudAssembly;
import software.amazon.awscdk.cxapi.CloudFormationStackArtifact;

/**
 * Synthesizes the app once per configuration and shares the result across test classes: jsii start-up and a
 * synth cost seconds, an assertion costs microseconds.
 *
 * <p>The Lambda and container artifacts are small placeholders in a temporary directory (an empty jar and a
 * one-line Dockerfile at the place the real one has in its build context), so the tests never depend on the
 * other modules having been packaged, and nothing is
 * built: synth only stages assets, it runs no Docker.
 */
final class SynthesizedStrata {
    static final String ACCOUNT = "000000000000";
    static final String HOME = "us-east-1";
    static final String PEER = "eu-west-1";
    static final CustomDomain DOMAIN = new CustomDomain("api.strata.example.com", "Z0123456789ABC", "strata.example.com");

    /** Two regions, concrete account (AZs from the committed cdk.context.json), custom domain. */
    static final SynthesizedStrata TWO_REGIONS = new SynthesizedStrata(ACCOUNT, List.of(HOME, PEER), Optional.of(DOMAIN),
            ShardCapacity.DEFAULT);

    private static SynthesizedStrata singleRegion;

    final StrataConfig config;
    final StrataApp.Stacks stacks;
    final CloudAssembly assembly;
    private final Map<String, Template> templates = new HashMap<>();

    private SynthesizedStrata(String account, List<String> regions, Optional<CustomDomain> domain,
                              ShardCapacity capacity) {
        Path work = tempDirectory();
        Artifacts artifacts = placeholderArtifacts(work);
        this.config = new StrataConfig(account, regions.getFirst(), regions, domain, capacity, artifacts, true,
                true);
        App app = App.Builder.create().outdir(work.resolve("cdk.out").toString()).context(cdkContext()).build();
        this.stacks = StrataApp.wire(app, config);
        this.assembly = app.synth();
    }

    /** The smallest layout: one region, account-agnostic, no custom domain, one instance, no NAT gateway. */
    static synchronized SynthesizedStrata singleRegion() {
        if (singleRegion == null) {
            singleRegion = new SynthesizedStrata(null, List.of(HOME), Optional.empty(),
                    new ShardCapacity("i4i.large", 1, 2, 0));
        }
        return singleRegion;
    }

    synchronized Template template(String stackName) {
        return templates.computeIfAbsent(stackName, name -> {
            CloudFormationStackArtifact artifact = assembly.getStackByName(name);
            @SuppressWarnings("unchecked")
            Map<String, Object> json = (Map<String, Object>) artifact.getTemplate();
            return Template.fromJSON(json);
        });
    }

    Template region(String region) {
        return template("Strata-" + region);
    }

    Template global() {
        return template("Strata-Global");
    }

    Template keys(String region) {
        return template("Strata-Keys-" + region);
    }

    /** The context the CLI would pass: cdk.json's context (feature flags) and the committed lookups. */
    static Map<String, Object> cdkContext() {
        ObjectMapper json = new ObjectMapper();
        Path module = Artifacts.findRepositoryRoot(Path.of("")).resolve("infra-cdk");
        try {
            Map<String, Object> cdk = json.readValue(module.resolve("cdk.json").toFile(), new TypeReference<>() {});
            @SuppressWarnings("unchecked")
            Map<String, Object> context = new HashMap<>((Map<String, Object>) cdk.get("context"));
            context.putAll(json.readValue(module.resolve("cdk.context.json").toFile(), new TypeReference<>() {}));
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Artifacts placeholderArtifacts(Path work) {
        try {
            Path image = Files.createDirectories(work.resolve("docker-context"));
            Path dockerfile = image.resolve(Artifacts.SHARD_DOCKERFILE);
            Files.createDirectories(dockerfile.getParent());
            Files.writeString(dockerfile, "FROM scratch\n");
            return new Artifacts(emptyJar(work.resolve("ingest-lambda.jar")), emptyJar(work.resolve("router-lambda.jar")),
                    image);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path emptyJar(Path path) throws IOException {
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(path))) {
            zip.putNextEntry(new ZipEntry("META-INF/MANIFEST.MF"));
            zip.write("Manifest-Version: 1.0\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return path;
    }

    private static void deleteRecursively(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // best effort at JVM exit: a leftover temporary directory is harmless
        }
    }

    private static Path tempDirectory() {
        try {
            Path dir = Files.createTempDirectory("strata-cdk-test");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteRecursively(dir)));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
