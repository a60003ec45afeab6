package dev.strata.shard.service;

import dev.strata.tls.TlsMaterial;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.env.Environment;
import io.micronaut.context.env.PropertySource;
import io.micronaut.core.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * Turns {@link TlsSettings} into Micronaut's server TLS configuration before the HTTP server is built.
 *
 * <p>Why this shape: Micronaut 4.10 reads in-memory key material through named {@code CertificateProvider} beans
 * ({@code micronaut.server.ssl.key-name} / {@code trust-name}; here {@link PemCertificateProvider}), so no key is
 * written to disk; but whether the server speaks TLS at all, on which port and with which client authentication,
 * is plain configuration that bean conditions read. This eager bean derives that configuration from the PEM
 * settings (container secrets or properties) and adds it as a property source while the context starts, before
 * the server bean exists. The TLS port is the service port, so the task's port mapping and health check stay the
 * same; plain HTTP is no longer served.
 *
 * <p>Broken material fails start-up here, with the message of {@link TlsMaterial}. Immutable once constructed.
 */
@Context
final class ServerTls {

    /** Name of the {@link PemCertificateProvider} bean the server configuration points at. */
    static final String PROVIDER = "strata-pem";
    /** After the environment variables and configuration files, so the derived settings win. */
    private static final int PRIORITY = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(ServerTls.class);

    private final TlsMaterial material;

    ServerTls(TlsSettings settings, Environment environment) {
        this.material = settings.material();
        if (material == null) {
            return;
        }
        material.keyStore();
        material.trustStore();
        int port = environment.getProperty("micronaut.server.port", Integer.class).orElse(8080);
        environment.addPropertySource(PropertySource.of("strata-tls", Map.of(
                "micronaut.server.ssl.enabled", true,
                "micronaut.server.ssl.build-self-signed", false,
                "micronaut.server.ssl.port", port <= 0 ? -1 : port,
                "micronaut.server.ssl.key-name", PROVIDER,
                "micronaut.server.ssl.trust-name", PROVIDER,
                "micronaut.server.ssl.key.password", new String(TlsMaterial.STORE_PASSWORD),
                "micronaut.server.ssl.client-authentication", settings.clientAuthentication().name()), PRIORITY));
        LOG.info("mutual TLS on: HTTPS on port {}, client certificates {}", port <= 0 ? "(random)" : port,
                settings.clientAuth());
    }

    /** The node's TLS material, or null when the node serves plain HTTP. */
    @Nullable
    TlsMaterial material() {
        return material;
    }
}
