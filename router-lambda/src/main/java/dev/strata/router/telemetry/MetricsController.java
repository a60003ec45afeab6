package dev.strata.router.telemetry;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;

/** {@code GET /metrics}: Prometheus text of a router run as a local server. */
@Controller("/metrics")
@Requires(beans = MicrometerRouterMetrics.class)
public final class MetricsController {

    private final MicrometerRouterMetrics metrics;

    public MetricsController(MicrometerRouterMetrics metrics) {
        this.metrics = metrics;
    }

    @Get
    @Produces("text/plain; version=0.0.4; charset=utf-8")
    public String scrape() {
        return metrics.scrape();
    }
}
