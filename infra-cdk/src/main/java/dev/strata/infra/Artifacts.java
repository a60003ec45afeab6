package dev.strata.infra;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the deployable builds of the other modules are: the two shaded Lambda jars and the shard service's
 * Docker build context. The CDK app packages them as assets; it never copies or rebuilds them itself.
 *
 * @param ingestJar           shaded jar of {@code ingest-lambda}
 * @param routerJar           shaded jar of {@code router-lambda}
 * @param shardImageDirectory Docker build context of the shard service image: the repository root, since its
 *                            {@link #SHARD_DOCKERFILE} builds the module together with the parent pom and common
 */
public record Artifacts(Path ingestJar, Path routerJar, Path shardImageDirectory) {

    /** Relative to the repository root: the ingest Lambda's shaded jar. */
    public static final String DEFAULT_INGEST_JAR = "ingest-lambda/target/ingest-lambda.jar";
    /** Relative to the repository root: the router Lambda's shaded jar. */
    public static final String DEFAULT_ROUTER_JAR = "router-lambda/target/router-lambda.jar";
    /** The shard service's Dockerfile, relative to {@code shardImageDirectory}. */
    public static final String SHARD_DOCKERFILE = "shard-service-ecs/Dockerfile";

    public Artifacts {
        ingestJar = ingestJar.toAbsolutePath().normalize();
        routerJar = routerJar.toAbsolutePath().normalize();
        shardImageDirectory = shardImageDirectory.toAbsolutePath().normalize();
    }

    /** The default locations under {@code repositoryRoot}. */
    public static Artifacts underRepository(Path repositoryRoot) {
        return new Artifacts(
                repositoryRoot.resolve(DEFAULT_INGEST_JAR),
                repositoryRoot.resolve(DEFAULT_ROUTER_JAR),
                repositoryRoot);
    }

    /**
     * The repository root seen from {@code start}: the first directory upwards that holds {@code infra-cdk/cdk.json}.
     *
     * @throws IllegalStateException when no such directory exists
     */
    public static Path findRepositoryRoot(Path start) {
        for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("infra-cdk/cdk.json"))) {
                return dir;
            }
        }
        throw new IllegalStateException("repositoryRoot: no directory above '" + start.toAbsolutePath()
                + "' holds infra-cdk/cdk.json; pass -c repositoryRoot=<path>");
    }

    /**
     * Fails with a message naming the missing artifact and the command that builds it, so that a synth never
     * packages a stale or absent build.
     */
    public void requireBuilt() {
        requireFile(ingestJar, "ingest-lambda");
        requireFile(routerJar, "router-lambda");
        if (!Files.isRegularFile(shardImageDirectory.resolve(SHARD_DOCKERFILE))) {
            throw new IllegalStateException("shardImageDirectory: '" + shardImageDirectory
                    + "' has no " + SHARD_DOCKERFILE + "; the shard service image cannot be built");
        }
    }

    private static void requireFile(Path jar, String module) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(module + " artifact '" + jar + "' does not exist; build it with"
                    + " ./mvnw -pl " + module + " -am package -DskipTests");
        }
    }
}
