package dev.strata.local.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One line of a benchmark's output. The JSON keys are the contract of {@code --json}: {@code system},
 * {@code params}, {@code build_s}, {@code recall_at_10}, {@code qps}, {@code p50_ms}, {@code p99_ms},
 * {@code ram_bytes_per_vector}, {@code threads}, plus any {@code extra} keys of a subcommand.
 */
record BenchResult(String system, String params, double buildS, double recallAt10, double qps, double p50Ms,
                   double p99Ms, double ramBytesPerVector, int threads, Map<String, Object> extra) {

    private static final ObjectMapper JSON = new ObjectMapper();

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("system", system);
        m.put("params", params);
        m.put("build_s", round(buildS, 2));
        m.put("recall_at_10", round(recallAt10, 4));
        m.put("qps", round(qps, 0));
        m.put("p50_ms", round(p50Ms, 3));
        m.put("p99_ms", round(p99Ms, 3));
        m.put("ram_bytes_per_vector", round(ramBytesPerVector, 0));
        m.put("threads", threads);
        if (extra != null) {
            m.putAll(extra);
        }
        return m;
    }

    String toJson() {
        try {
            return JSON.writeValueAsString(toMap());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String header() {
        return String.format(Locale.ROOT, "%-12s %-34s %8s %7s %9s %9s %8s %8s %9s %3s",
                "system", "params", "build_s", "recall", "qps", "qps_cpu", "p50_ms", "p99_ms", "ram_B/vec", "thr");
    }

    String toRow() {
        Object cpu = extra == null ? null : extra.get("qps_cpu");
        return String.format(Locale.ROOT, "%-12s %-34s %8.2f %7.4f %9.0f %9s %8.3f %8.3f %9.0f %3d",
                system, params, buildS, recallAt10, qps, cpu == null ? "-" : cpu.toString(), p50Ms, p99Ms,
                ramBytesPerVector, threads);
    }

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
