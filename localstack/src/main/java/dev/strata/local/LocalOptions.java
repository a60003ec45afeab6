package dev.strata.local;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Options of {@code strata-local up}.
 *
 * @param dataDir directory holding the DynamoDB database, the S3 buckets and the nodes' segment caches; kept
 *                across restarts
 * @param nodes   shard-service nodes to start, 1..16
 * @param port    router port (0 = a free one)
 * @param demo    load the demo collection when it does not exist yet
 * @param apiKey  the admin key of tenant {@code local}
 */
public record LocalOptions(Path dataDir, int nodes, int port, boolean demo, String apiKey) {
    public static final String DEFAULT_DATA_DIR = ".strata-local";
    public static final String DEFAULT_API_KEY = "strata-local-key";
    public static final String API_KEY_ENV = "STRATA_LOCAL_API_KEY";
    public static final int MAX_NODES = 16;

    public LocalOptions {
        if (nodes < 1 || nodes > MAX_NODES) {
            throw new IllegalArgumentException("--nodes is " + nodes + "; it must be between 1 and " + MAX_NODES);
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("--port is " + port + "; it must be between 0 and 65535");
        }
        if (apiKey == null || apiKey.length() < 8) {
            throw new IllegalArgumentException(API_KEY_ENV + " must be at least 8 characters");
        }
    }

    /** Parses {@code [--data-dir DIR] [--nodes N] [--port P] [--no-demo]}; the key comes from the environment. */
    public static LocalOptions parse(List<String> args, String apiKeyFromEnv) {
        Path dataDir = Path.of(DEFAULT_DATA_DIR);
        int nodes = 3;
        int port = 8080;
        boolean demo = true;
        List<String> rest = new ArrayList<>(args);
        while (!rest.isEmpty()) {
            String flag = rest.remove(0);
            switch (flag) {
                case "--data-dir" -> dataDir = Path.of(value(flag, rest));
                case "--nodes" -> nodes = intValue(flag, rest);
                case "--port" -> port = intValue(flag, rest);
                case "--no-demo" -> demo = false;
                default -> throw new IllegalArgumentException("unknown option '" + flag
                        + "'; up takes --data-dir DIR, --nodes N, --port P, --no-demo");
            }
        }
        String key = apiKeyFromEnv == null || apiKeyFromEnv.isBlank() ? DEFAULT_API_KEY : apiKeyFromEnv;
        return new LocalOptions(dataDir, nodes, port, demo, key);
    }

    static String value(String flag, List<String> rest) {
        if (rest.isEmpty() || rest.get(0).startsWith("--")) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return rest.remove(0);
    }

    static int intValue(String flag, List<String> rest) {
        String v = value(flag, rest);
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " is '" + v + "'; it must be a whole number");
        }
    }
}
