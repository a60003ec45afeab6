package dev.strata.shard.service;

import dev.strata.tls.TlsMaterial;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * The container's health check: exits 0 when the URL answers 200 within two seconds, 1 otherwise. Part of the
 * jar so the JRE image needs no curl. Without an argument it probes the liveness endpoint where the service
 * serves it: with mutual TLS ({@code STRATA_TLS_CERT_PEM} set) on the plain-HTTP management port
 * ({@code STRATA_TLS_MANAGEMENT_PORT}, default 8081), else on the service port ({@code MICRONAUT_SERVER_PORT},
 * default 8080).
 */
public final class HealthProbe {

    private HealthProbe() {}

    public static void main(String[] args) {
        String url = args.length > 0 ? args[0] : defaultUrl(System.getenv());
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
            HttpResponse<Void> response = client.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.discarding());
            System.exit(response.statusCode() == 200 ? 0 : 1);
        } catch (Exception e) {
            System.err.println("health check of " + url + " failed: " + e);
            System.exit(1);
        }
    }

    static String defaultUrl(Map<String, String> env) {
        String cert = env.get(TlsMaterial.CERT_ENV);
        String port = cert != null && !cert.isBlank()
                ? env.getOrDefault("STRATA_TLS_MANAGEMENT_PORT", String.valueOf(TlsSettings.DEFAULT_MANAGEMENT_PORT))
                : env.getOrDefault("MICRONAUT_SERVER_PORT", "8080");
        return "http://127.0.0.1:" + port + "/health/liveness";
    }
}
