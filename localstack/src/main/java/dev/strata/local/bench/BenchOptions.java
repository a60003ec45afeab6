package dev.strata.local.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Options shared by the benchmark subcommands: {@code --data DIR} (texmex base.fvecs, query.fvecs,
 * groundtruth.ivecs), {@code --json}, {@code --threads N} (search threads, default 1), {@code --queries N}
 * (default: all), {@code --metric cosine|dot|l2} (default cosine), {@code --work DIR} (scratch directory).
 * Unknown {@code --name value} pairs are kept for subcommands that define more.
 */
public record BenchOptions(Path data, boolean json, int threads, int queries, String metric, Path work,
                           Map<String, String> extra) {

    public static BenchOptions parse(String[] args, int from) {
        Path data = null;
        boolean json = false;
        int threads = 1;
        int queries = Integer.MAX_VALUE;
        String metric = "cosine";
        Path work = null;
        Map<String, String> extra = new HashMap<>();
        for (int i = from; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--json" -> json = true;
                case "--data" -> data = Path.of(value(args, ++i, a));
                case "--threads" -> threads = Integer.parseInt(value(args, ++i, a));
                case "--queries" -> queries = Integer.parseInt(value(args, ++i, a));
                case "--metric" -> metric = value(args, ++i, a);
                case "--work" -> work = Path.of(value(args, ++i, a));
                default -> {
                    if (!a.startsWith("--")) {
                        throw new IllegalArgumentException("unexpected argument '" + a + "'");
                    }
                    extra.put(a.substring(2), value(args, ++i, a));
                }
            }
        }
        if (threads < 1) {
            throw new IllegalArgumentException("--threads is " + threads + "; it must be at least 1");
        }
        return new BenchOptions(data, json, threads, queries, metric, work, extra);
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args[i];
    }

    /** {@code --width N}: the search width a fixed-width benchmark runs at (default 64). */
    public int width() {
        String w = extra.getOrDefault("width", "64");
        try {
            return Integer.parseInt(w);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--width is '" + w + "'; it must be a whole number");
        }
    }

    /** The data directory; fails clearly when it was not given or lacks the texmex files. */
    public Path requireData() {
        if (data == null) {
            throw new IllegalArgumentException("--data DIR is required (a directory with base.fvecs, query.fvecs"
                    + " and optionally groundtruth.ivecs)");
        }
        for (String f : new String[]{"base.fvecs", "query.fvecs"}) {
            if (!Files.isRegularFile(data.resolve(f))) {
                throw new IllegalArgumentException("--data " + data + " has no " + f);
            }
        }
        return data;
    }

    /** A scratch directory for indexes, created under --work or the system temp dir, deleted when the JVM exits. */
    public Path scratch(String name) throws java.io.IOException {
        Path base = work != null ? work : Path.of(System.getProperty("java.io.tmpdir"));
        Files.createDirectories(base);
        Path dir = Files.createTempDirectory(base, "strata-bench-" + name + "-");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
        return dir;
    }

    private static void deleteTree(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException | RuntimeException e) {
            System.err.println("strata-bench: could not delete scratch directory " + dir + ": " + e.getMessage());
        }
    }
}
