package dev.strata.router.tls;

import dev.strata.tls.TlsMaterial;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

/**
 * How the router reaches shard services: with a TLS context presenting the router's certificate and trusting only the
 * deployment's CA ({@link #enabled()}), or plain HTTP ({@link #none()}). {@code source} says where the identity came
 * from, for logs and errors. Immutable; thread-safe.
 */
public record ShardTls(SSLContext context, String source) {

    /** No client identity: shard endpoints must be {@code http://}. */
    public static ShardTls none() {
        return new ShardTls(null, "none");
    }

    public boolean enabled() {
        return context != null;
    }

    /**
     * A TLS context from {@code material}. With {@code verifyHostname} false, a node's certificate must still chain to
     * {@link TlsMaterial#caPem()} but need not name the node's address (see {@link TlsConfig#verifyHostname()}).
     */
    public static ShardTls of(TlsMaterial material, boolean verifyHostname, String source) {
        if (verifyHostname) {
            return new ShardTls(material.sslContext(), source);
        }
        try {
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(material.keyStore(), TlsMaterial.STORE_PASSWORD);
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(material.trustStore());
            X509ExtendedTrustManager ca = null;
            for (TrustManager tm : trust.getTrustManagers()) {
                if (tm instanceof X509ExtendedTrustManager x) {
                    ca = x;
                }
            }
            if (ca == null) {
                throw new IllegalStateException("the JDK offers no X509ExtendedTrustManager");
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), new TrustManager[] {new ChainOnly(ca)}, null);
            return new ShardTls(context, source);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("TLS context from " + source + " cannot be built: " + e.getMessage(), e);
        }
    }

    /**
     * Checks the peer's chain against the CA without the endpoint-identification step: JSSE would wrap a plain
     * {@code X509TrustManager} and add that step itself, so this one is an {@link X509ExtendedTrustManager} whose
     * socket/engine variants call the chain-only checks.
     */
    private static final class ChainOnly extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager ca;

        ChainOnly(X509ExtendedTrustManager ca) {
            this.ca = ca;
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            ca.checkClientTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            ca.checkServerTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            ca.checkClientTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            ca.checkServerTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            ca.checkClientTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            ca.checkServerTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return ca.getAcceptedIssuers();
        }
    }
}
