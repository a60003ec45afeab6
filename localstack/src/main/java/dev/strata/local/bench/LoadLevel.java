package dev.strata.local.bench;

/**
 * One sustained-load level of the end-to-end benchmark; the {@code --json} object has exactly these keys.
 *
 * @param targetQps          rate the queries were scheduled at (open loop)
 * @param qps                answers per second achieved
 * @param p50Ms              median latency, from each query's scheduled start (so queueing counts)
 * @param p95Ms              95th percentile
 * @param p99Ms              99th percentile
 * @param errors             queries that failed or answered partially
 * @param recallAt10         mean recall@10 against exact search
 * @param searchableAfterS   seconds from the upload of a batch to its documents being returned
 */
public record LoadLevel(double targetQps, double qps, double p50Ms, double p95Ms, double p99Ms, long errors,
                        double recallAt10, double searchableAfterS) {

    public String toJson() {
        return String.format(java.util.Locale.ROOT, "{\"target_qps\":%.1f,\"qps\":%.1f,\"p50_ms\":%.2f,"
                        + "\"p95_ms\":%.2f,\"p99_ms\":%.2f,\"errors\":%d,\"recall_at_10\":%.4f,\"searchable_after_s\":%.3f}",
                targetQps, qps, p50Ms, p95Ms, p99Ms, errors, recallAt10, searchableAfterS);
    }
}
