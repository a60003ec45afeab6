package dev.strata.local.bench;

/**
 * One subcommand of {@code bin/strata-bench}. Implementations are registered in {@link StrataBench#COMMANDS};
 * each prints a table, or with {@code --json} one JSON object per line, and returns normally when done.
 */
public interface BenchCommand {

    /** The subcommand's name on the command line, e.g. {@code segment}. */
    String name();

    /** One line for the usage text. */
    String summary();

    /** Runs the benchmark with the parsed options. */
    void run(BenchOptions options) throws Exception;
}
