package dev.strata.shard.service;

import dev.strata.tls.TlsMaterial;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.env.Environment;
import io.micronaut.context.env.PropertySource;
import io.micronaut.core.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.security.KeyStore;
import java.util.Map;

/**
 * Turns {@link TlsSettings} into Micronaut's server TLS configuration before the HTTP server is built.
 *
 * <p>Why this shape: Micronaut 4.10 reads in-memory key material through named {@code CertificateProvider} beans
 * ({@code micronaut.server.ssl.key-name} / {@code trust-name}; here {@link PemCertificateProvider}), so no key is
 * written to disk; but whether the server speaks TLS at all, on which port and with which client authentication,
 * is plain configuration that bean conditions read. This eager bean derives that configuration from the PEM
 * settings (container secrets or properties) and adds it as a property source while the context starts, before
 * the server bean exists. The TLS port is the service port, so the task's port mapping and the routers' endpoint
 * stay the same. The management routes ({@code /health}, {@code /metrics}) move to plain HTTP on
 * {@link TlsSettings#managementPort()} ({@code endpoints.all.port}), for the callers inside the task that hold no
 * client certificate; search is served on the TLS port only.
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

    private final KeyStore keyStore;
    private final KeyStore trustStore;

    ServerTls(TlsSettings settings, Environment environment) {
        TlsMaterial material = settings.material();
        // Built here, once: broken material fails start-up now, and the certificate provider serves these.
        this.keyStore = material == null ? null : material.keyStore();
        this.trustStore = material == null ? null : material.trustStore();
        if (material == null) {
            return;
        }
        int port = environment.getProperty("micronaut.server.port", Integer.class).orElse(8080);
        int management = settings.managementPort() == 0 ? freePort() : settings.managementPort();
        environment.addPropertySource(PropertySource.of("strata-tls", Map.of(
                "endpoints.all.port", management,
                "micronaut.server.ssl.enabled", true,
                "micronaut.server.ssl.build-self-signed", false,
                "micronaut.server.ssl.port", port <= 0 ? -1 : port,
                "micronaut.server.ssl.key-name", PROVIDER,
                "micronaut.server.ssl.trust-name", PROVIDER,
                "micronaut.server.ssl.key.password", new String(TlsMaterial.STORE_PASSWORD),
                "micronaut.server.ssl.client-authentication", settings.clientAuthentication().name()), PRIORITY));
        LOG.info("mutual TLS on: HTTPS on port {}, client certificates {}; /health and /metrics on HTTP port {}",
                port <= 0 ? "(random)" : port, settings.clientAuth(), management);
    }

    /** A port free now (a route's own port cannot be "any": Micronaut binds it as given). */
    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port for the management listener", e);
        }
    }

    /** The node's key store (key and chain), or null when the node serves plain HTTP. */
    @Nullable
    KeyStore keyStore() {
        return keyStore;
    }

    /** The node's trust store (the CA only), or null when the node serves plain HTTP. */
    @Nullable
    KeyStore trustStore() {
        return trustStore;
    }
}
