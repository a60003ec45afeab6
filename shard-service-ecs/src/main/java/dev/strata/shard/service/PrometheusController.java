package dev.strata.shard.service;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;

/**
 * Prometheus text exposition at {@code /metrics}, where the scraper (and the CloudWatch agent) looks. The
 * management {@code metrics} endpoint (JSON) is disabled in {@code application.yml} so the path is free. Served on
 * the management port with the health endpoints when one is set ({@code endpoints.all.port}: with mutual TLS).
 */
@Controller(value = "/metrics", port = "${endpoints.all.port:}")
final class PrometheusController {

    private final PrometheusMeterRegistry registry;

    PrometheusController(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    @Get
    @Produces("text/plain; version=0.0.4; charset=utf-8")
    String scrape() {
        return registry.scrape();
    }
}
