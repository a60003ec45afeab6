package dev.strata.shard.service;

import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.ssl.CertificateProvider;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;

import java.security.KeyStore;

/**
 * The node's key and trust stores, built in memory from the PEM texts of {@link TlsSettings}: the key store holds
 * the node's key and chain, the trust store only the CA, so a client certificate of another CA fails the
 * handshake. Emitted once on subscription (the secrets change with a new task, not in place). Thread-safe.
 */
@Singleton
@Named(ServerTls.PROVIDER)
final class PemCertificateProvider implements CertificateProvider {

    private final ServerTls tls;

    PemCertificateProvider(ServerTls tls) {
        this.tls = tls;
    }

    @Override
    public String getName() {
        return ServerTls.PROVIDER;
    }

    @Override
    public Publisher<KeyStore> getKeyStore() {
        return Publishers.just(required(tls.keyStore()));
    }

    @Override
    public Publisher<KeyStore> getTrustStore() {
        return Publishers.just(required(tls.trustStore()));
    }

    private static KeyStore required(KeyStore store) {
        if (store == null) {
            throw new IllegalStateException("micronaut.server.ssl.key-name is '" + ServerTls.PROVIDER
                    + "' but no strata.tls PEM material is configured");
        }
        return store;
    }
}
