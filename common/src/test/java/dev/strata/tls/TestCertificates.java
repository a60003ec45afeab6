package dev.strata.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Certificates made for a test with the JDK's {@code keytool}: a private CA, a server identity for 127.0.0.1 /
 * localhost and a client identity, both signed by the CA, as {@link TlsMaterial} PEM text; plus a second, unrelated
 * CA's client identity (a stranger the server must refuse). Shared by the modules' mutual-TLS tests (test-jar).
 */
public record TestCertificates(TlsMaterial server, TlsMaterial client, TlsMaterial stranger) {

    private static final String PASSWORD = "changeit";
    private static TestCertificates shared;

    /** One set per test JVM (generation costs seconds), in a temporary directory. */
    public static synchronized TestCertificates shared() {
        if (shared == null) {
            try {
                shared = generate(Files.createTempDirectory("strata-test-certs-"));
            } catch (IOException e) {
                throw new IllegalStateException("no temporary directory for test certificates", e);
            }
        }
        return shared;
    }

    /** Generates everything under {@code dir} (a few seconds: keytool runs about ten times). */
    public static TestCertificates generate(Path dir) {
        try {
            Files.createDirectories(dir);
            String ca = authority(dir, "ca");
            String otherCa = authority(dir, "other-ca");
            TlsMaterial server = identity(dir, "ca", ca, "server", "CN=127.0.0.1", "SAN=ip:127.0.0.1,dns:localhost");
            TlsMaterial client = identity(dir, "ca", ca, "client", "CN=strata-router", null);
            TlsMaterial stranger = identity(dir, "other-ca", otherCa, "stranger", "CN=stranger", null);
            return new TestCertificates(server, client, stranger);
        } catch (IOException e) {
            throw new IllegalStateException("test certificates cannot be generated: " + e.getMessage(), e);
        }
    }

    private static String authority(Path dir, String alias) throws IOException {
        keytool(dir, "-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=Strata test " + alias, "-ext", "bc:c", "-keystore", alias + ".p12",
                "-storetype", "PKCS12", "-storepass", PASSWORD);
        keytool(dir, "-exportcert", "-rfc", "-alias", alias, "-keystore", alias + ".p12", "-storepass", PASSWORD,
                "-file", alias + ".pem");
        return Files.readString(dir.resolve(alias + ".pem"));
    }

    private static TlsMaterial identity(Path dir, String caAlias, String caPem, String alias, String dname, String san)
            throws IOException {
        keytool(dir, "-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", dname, "-keystore", alias + ".p12", "-storetype", "PKCS12", "-storepass", PASSWORD);
        keytool(dir, "-certreq", "-alias", alias, "-keystore", alias + ".p12", "-storepass", PASSWORD,
                "-file", alias + ".csr");
        List<String> gencert = new ArrayList<>(List.of("-gencert", "-rfc", "-alias", caAlias, "-keystore",
                caAlias + ".p12", "-storepass", PASSWORD, "-validity", "2", "-infile", alias + ".csr",
                "-outfile", alias + ".pem"));
        if (san != null) {
            gencert.addAll(List.of("-ext", san));
        }
        keytool(dir, gencert.toArray(String[]::new));
        String certPem = Files.readString(dir.resolve(alias + ".pem")) + caPem;
        return new TlsMaterial(caPem, certPem, privateKeyPem(dir.resolve(alias + ".p12"), alias));
    }

    private static String privateKeyPem(Path store, String alias) throws IOException {
        try (InputStream in = Files.newInputStream(store)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, PASSWORD.toCharArray());
            Key key = ks.getKey(alias, PASSWORD.toCharArray());
            return "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
                    + "\n-----END PRIVATE KEY-----\n";
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("cannot read the key of " + store + ": " + e.getMessage(), e);
        }
    }

    private static void keytool(Path dir, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of("-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("keytool " + String.join(" ", args) + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running keytool", e);
        }
    }
}
