package dev.strata.local;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/**
 * Entry point of {@code bin/strata-local}: {@code up}, {@code ingest}, {@code search}. See {@code docs/local.md}.
 */
public final class StrataLocal {

    private StrataLocal() {}

    public static void main(String[] args) {
        PrintStream out = System.out;
        String apiKey = System.getenv(LocalOptions.API_KEY_ENV);
        String key = apiKey == null || apiKey.isBlank() ? LocalOptions.DEFAULT_API_KEY : apiKey;
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("help")) {
            usage(out);
            return;
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        try {
            switch (args[0]) {
                case "up" -> UpCommand.run(LocalOptions.parse(rest, apiKey), out);
                case "ingest" -> ClientCommands.ingest(rest, key, out);
                case "search" -> ClientCommands.search(rest, key, out);
                default -> throw new IllegalArgumentException("unknown command '" + args[0] + "'");
            }
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println("strata-local: " + e.getMessage());
            if (e instanceof IllegalArgumentException) {
                usage(System.err);
            }
            System.exit(2);
        }
    }

    static void usage(PrintStream out) {
        out.println("""
                usage:
                  strata-local up [--data-dir .strata-local] [--nodes 3] [--port 8080] [--no-demo]
                  strata-local ingest FILE.jsonl[.gz] --collection C [--data-dir DIR]
                  strata-local search "question" --collection C [--k 5] [--data-dir DIR]
                environment: STRATA_LOCAL_API_KEY (default strata-local-key), admin key of tenant 'local'""");
    }
}
