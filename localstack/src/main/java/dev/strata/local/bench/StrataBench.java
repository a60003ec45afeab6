package dev.strata.local.bench;

import java.util.List;
import java.util.Locale;

/**
 * Entry point of {@code bin/strata-bench}: {@code strata-bench <command> [options]}. Subcommands implement
 * {@link BenchCommand} and are listed in {@link #COMMANDS}; add a new one there.
 */
public final class StrataBench {

    /** The registry of subcommands, in the order the usage text lists them. */
    public static final List<BenchCommand> COMMANDS = List.of(
            new SegmentBench(),
            new FilteredBench(),
            new DeletesBench(),
            new ShardBench());

    private StrataBench() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help")) {
            usage();
            System.exit(args.length == 0 ? 2 : 0);
        }
        BenchCommand command = COMMANDS.stream().filter(c -> c.name().equals(args[0])).findFirst().orElse(null);
        if (command == null) {
            System.err.println("error: unknown command '" + args[0] + "'");
            usage();
            System.exit(2);
        }
        BenchOptions options;
        try {
            options = BenchOptions.parse(args, 1);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
            return;
        }
        try {
            command.run(options);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
        }
        System.exit(0);
    }

    private static void usage() {
        StringBuilder sb = new StringBuilder("usage: strata-bench <command> --data DIR [--json] [--threads N]"
                + " [--queries N] [--metric cosine|dot|l2] [--work DIR]\n\ncommands:\n");
        for (BenchCommand c : COMMANDS) {
            sb.append(String.format(Locale.ROOT, "  %-10s %s%n", c.name(), c.summary()));
        }
        System.err.print(sb);
    }
}
