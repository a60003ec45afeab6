package dev.strata.shard.service;

import dev.strata.tls.TlsMaterial;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import io.micronaut.http.ssl.ClientAuthentication;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Mutual TLS of the search port ({@code strata.tls.*}; in ECS the container secrets {@code STRATA_TLS_CA_PEM},
 * {@code STRATA_TLS_CERT_PEM}, {@code STRATA_TLS_KEY_PEM} and the variable {@code STRATA_TLS_CLIENT_AUTH}).
 * All three PEM texts set: the node serves HTTPS only, presenting {@code certPem} and accepting clients whose
 * certificate {@code caPem} signed. None set: plain HTTP (local runs). Some set: start-up fails, naming the missing.
 *
 * @param caPem      CA certificate(s) trusted for client certificates
 * @param certPem    this node's certificate chain
 * @param keyPem     this node's PKCS#8 private key
 * @param clientAuth     {@code required} (handshake fails without a trusted client certificate) or {@code optional}
 * @param managementPort with TLS on, the plain-HTTP port of {@code /health} and {@code /metrics}, for the callers
 *                       inside the task that hold no client certificate (the container health check, the metrics
 *                       collector); the security group admits only the search port from outside
 */
@ConfigurationProperties("strata.tls")
public record TlsSettings(
        @Nullable String caPem,
        @Nullable String certPem,
        @Nullable String keyPem,
        @Bindable(defaultValue = "required") String clientAuth,
        @Bindable(defaultValue = "8081") int managementPort) {

    public TlsSettings {
        clientAuth = clientAuth == null ? "required" : clientAuth.trim().toLowerCase(Locale.ROOT);
        if (!clientAuth.equals("required") && !clientAuth.equals("optional")) {
            throw new IllegalArgumentException("strata.tls.client-auth (STRATA_TLS_CLIENT_AUTH) is '" + clientAuth
                    + "'; one of required, optional");
        }
        if (managementPort < 0 || managementPort > 65_535) {
            throw new IllegalArgumentException("strata.tls.management-port is " + managementPort
                    + "; it must be between 0 (a free port) and 65535");
        }
    }

    /** Default of {@link #managementPort()}. */
    static final int DEFAULT_MANAGEMENT_PORT = 8081;

    /** The PEM material, or null when TLS is off; fails naming the variables missing when only some are set. */
    @Nullable
    TlsMaterial material() {
        Map<String, String> env = new HashMap<>();
        put(env, TlsMaterial.CA_ENV, caPem);
        put(env, TlsMaterial.CERT_ENV, certPem);
        put(env, TlsMaterial.KEY_ENV, keyPem);
        return TlsMaterial.fromEnvironment(env);
    }

    /** What Micronaut's server asks of clients. */
    ClientAuthentication clientAuthentication() {
        return clientAuth.equals("optional") ? ClientAuthentication.WANT : ClientAuthentication.NEED;
    }

    private static void put(Map<String, String> env, String name, String value) {
        if (value != null) {
            env.put(name, value);
        }
    }
}
