package dev.strata.telemetry;

/**
 * Where a Strata process sends its spans (DESIGN §9), the same for the router and the shard service
 * ({@code strata.tracing.*}, env {@code STRATA_TRACING_EXPORTER}, {@code STRATA_TRACING_OTLP_ENDPOINT}).
 * Immutable; validated on construction.
 *
 * @param exporter     {@link #NONE} (spans are made, trace ids reach the logs and the shard calls, nothing is sent) or
 *                     {@link #OTLP} (OTLP/HTTP protobuf to the ADOT collector beside the process, which forwards to
 *                     X-Ray)
 * @param otlpEndpoint the OTLP/HTTP traces URL, e.g. {@code http://localhost:4318/v1/traces}; null = the exporter's
 *                     default, which is that URL
 * @param serviceName  {@code service.name} of the spans (X-Ray's segment name)
 */
public record TracingOptions(String exporter, String otlpEndpoint, String serviceName) {

    public static final String NONE = "none";
    public static final String OTLP = "otlp";

    public TracingOptions {
        if (!NONE.equals(exporter) && !OTLP.equals(exporter)) {
            throw new IllegalArgumentException("strata.tracing.exporter is '" + exporter + "'; one of none, otlp");
        }
        if (otlpEndpoint != null && otlpEndpoint.isBlank()) {
            otlpEndpoint = null;
        }
        if (otlpEndpoint != null && !otlpEndpoint.startsWith("http://") && !otlpEndpoint.startsWith("https://")) {
            throw new IllegalArgumentException("strata.tracing.otlp-endpoint is '" + otlpEndpoint
                    + "'; an http:// or https:// URL such as http://localhost:4318/v1/traces");
        }
        if (serviceName == null || serviceName.isBlank()) {
            throw new IllegalArgumentException("strata.tracing.service-name is blank; name the service, e.g."
                    + " strata-router");
        }
    }

    /** True when spans are exported over OTLP. */
    public boolean exports() {
        return OTLP.equals(exporter);
    }
}
