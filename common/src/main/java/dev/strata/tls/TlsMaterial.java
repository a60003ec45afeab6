package dev.strata.tls;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One side's mutual-TLS identity as PEM text (DESIGN §10): the CA that signs the other side's certificates, this
 * side's certificate chain and its PKCS#8 private key. This is the form the deployment keeps in Secrets Manager
 * ({@code {"caPem","certPem","keyPem"}}) and passes to the shard tasks as {@code STRATA_TLS_CA_PEM},
 * {@code STRATA_TLS_CERT_PEM}, {@code STRATA_TLS_KEY_PEM}. Converts to in-memory key and trust stores, so no key
 * ever touches the disk. Immutable and thread-safe.
 *
 * @param caPem   one or more {@code CERTIFICATE} blocks: the peers this side trusts
 * @param certPem this side's certificate, then its intermediates
 * @param keyPem  this side's key, one {@code PRIVATE KEY} (PKCS#8) block, RSA or EC
 */
public record TlsMaterial(String caPem, String certPem, String keyPem) {

    /** Environment variables of the PEM texts (the shard task definition's container secrets). */
    public static final String CA_ENV = "STRATA_TLS_CA_PEM";
    public static final String CERT_ENV = "STRATA_TLS_CERT_PEM";
    public static final String KEY_ENV = "STRATA_TLS_KEY_PEM";

    /** The in-memory key store's password: the stores never leave the process, so it guards nothing. */
    public static final char[] STORE_PASSWORD = "strata".toCharArray();

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*?)-----END \\1-----");

    public TlsMaterial {
        require("caPem", caPem);
        require("certPem", certPem);
        require("keyPem", keyPem);
    }

    /** The material from {@link #CA_ENV}, {@link #CERT_ENV}, {@link #KEY_ENV}; null when none is set; an error when only some are. */
    public static TlsMaterial fromEnvironment(Map<String, String> env) {
        String ca = blankToNull(env.get(CA_ENV));
        String cert = blankToNull(env.get(CERT_ENV));
        String key = blankToNull(env.get(KEY_ENV));
        if (ca == null && cert == null && key == null) {
            return null;
        }
        if (ca == null || cert == null || key == null) {
            throw new IllegalArgumentException("mutual TLS needs all of " + CA_ENV + ", " + CERT_ENV + ", " + KEY_ENV
                    + "; missing: " + String.join(", ", missing(ca, cert, key)));
        }
        return new TlsMaterial(ca, cert, key);
    }

    /** A PKCS#12 key store holding this side's key under alias {@code strata} with its chain; password {@link #STORE_PASSWORD}. */
    public KeyStore keyStore() {
        try {
            List<Certificate> chain = certificates("certPem", certPem);
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("strata", privateKey(), STORE_PASSWORD, chain.toArray(Certificate[]::new));
            return store;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalArgumentException("TLS key store cannot be built: " + e.getMessage(), e);
        }
    }

    /** A PKCS#12 trust store holding every certificate of {@link #caPem()}. */
    public KeyStore trustStore() {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            int i = 0;
            for (Certificate ca : certificates("caPem", caPem)) {
                store.setCertificateEntry("ca-" + i++, ca);
            }
            return store;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalArgumentException("TLS trust store cannot be built: " + e.getMessage(), e);
        }
    }

    /** A TLS context presenting this side's certificate and trusting only {@link #caPem()}. */
    public SSLContext sslContext() {
        try {
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(keyStore(), STORE_PASSWORD);
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trustStore());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("TLS context cannot be built: " + e.getMessage(), e);
        }
    }

    private PrivateKey privateKey() {
        List<byte[]> blocks = blocks("keyPem", keyPem, "PRIVATE KEY");
        if (blocks.size() != 1) {
            throw new IllegalArgumentException("keyPem holds " + blocks.size()
                    + " PRIVATE KEY blocks; exactly one PKCS#8 key is expected");
        }
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(blocks.get(0));
        for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new IllegalArgumentException("keyPem is not an RSA, EC or Ed25519 PKCS#8 key");
    }

    private static List<Certificate> certificates(String field, String pem) throws GeneralSecurityException {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        List<Certificate> out = new ArrayList<>();
        for (byte[] der : blocks(field, pem, "CERTIFICATE")) {
            out.add(factory.generateCertificate(new ByteArrayInputStream(der)));
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(field + " holds no CERTIFICATE block");
        }
        return out;
    }

    private static List<byte[]> blocks(String field, String pem, String type) {
        List<byte[]> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(pem);
        while (m.find()) {
            if (m.group(1).equals(type)) {
                out.add(Base64.getMimeDecoder().decode(m.group(2).getBytes(StandardCharsets.US_ASCII)));
            } else if (type.equals("PRIVATE KEY") && m.group(1).endsWith("PRIVATE KEY")) {
                throw new IllegalArgumentException(field + " holds a '" + m.group(1) + "' block; convert it to PKCS#8"
                        + " ('openssl pkcs8 -topk8 -nocrypt')");
            }
        }
        return out;
    }

    private static void require(String field, String pem) {
        if (pem == null || !pem.contains("-----BEGIN ")) {
            throw new IllegalArgumentException(field + " is not PEM text (no '-----BEGIN' line)");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static List<String> missing(String ca, String cert, String key) {
        List<String> out = new ArrayList<>();
        if (ca == null) {
            out.add(CA_ENV);
        }
        if (cert == null) {
            out.add(CERT_ENV);
        }
        if (key == null) {
            out.add(KEY_ENV);
        }
        return out;
    }
}
