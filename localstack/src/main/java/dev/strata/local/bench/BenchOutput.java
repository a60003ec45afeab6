package dev.strata.local.bench;

/** Prints results as a table (with a header) or as JSON lines; notes go to stderr in JSON mode. */
final class BenchOutput {
    private final boolean json;
    private boolean headerPrinted;

    BenchOutput(boolean json) {
        this.json = json;
    }

    void result(BenchResult r) {
        if (json) {
            System.out.println(r.toJson());
        } else {
            if (!headerPrinted) {
                System.out.println(BenchResult.header());
                headerPrinted = true;
            }
            System.out.println(r.toRow());
        }
        System.out.flush();
    }

    /** A line of context (data set, machine, summary): stdout for tables, stderr for JSON. */
    void note(String line) {
        (json ? System.err : System.out).println(line);
    }

    /** The header of a fixed-width run: the data, its shape, k and the width, then the machine. */
    void noteRun(BenchData data, int k, int width) {
        note(String.format(java.util.Locale.ROOT, "data: %s, %d x %d, %d queries, metric %s, k=%d, width=%d",
                data.dir(), data.base().length, data.dimension(), data.queries().length, data.metric().wireName(), k,
                width));
        note(machine());
    }

    static String machine() {
        double[] load = new double[1];
        try {
            load[0] = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        } catch (RuntimeException e) {
            load[0] = -1;
        }
        return String.format(java.util.Locale.ROOT, "machine: %d cores, JDK %s, load average %.2f",
                Runtime.getRuntime().availableProcessors(), Runtime.version(), load[0]);
    }
}
