package dev.strata.local.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the reference corpus: {@code $STRATA_DATA_DIR} if set, else {@code <repo root>/../shared/data/techdocs-dev},
 * the repository root being the nearest directory above the working directory that holds {@code mvnw}.
 */
public final class DataDirs {
    public static final String ENV = "STRATA_DATA_DIR";
    private static final String[] REQUIRED = {"base.fvecs", "query.fvecs", "groundtruth.ivecs", "passages.jsonl"};

    private DataDirs() {}

    /** The corpus directory when it exists and holds the texmex files and passages; empty otherwise. */
    public static Optional<Path> techdocs() {
        String env = System.getenv(ENV);
        Path dir = env != null && !env.isBlank() ? Path.of(env) : repoRoot().resolve("../shared/data/techdocs-dev");
        for (String f : REQUIRED) {
            if (!Files.isRegularFile(dir.resolve(f))) {
                return Optional.empty();
            }
        }
        return Optional.of(dir.normalize());
    }

    /** What a skipped test prints. */
    public static String missingMessage() {
        return "reference corpus not found: set " + ENV + " or place techdocs-dev at <repo>/../shared/data/";
    }

    /** The repository root: the nearest directory at or above the working directory that holds {@code mvnw}. */
    public static Path repoRoot() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("mvnw"))) {
                return p;
            }
        }
        return dir;
    }
}
