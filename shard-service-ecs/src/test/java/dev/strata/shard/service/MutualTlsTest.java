package dev.strata.shard.service;

import dev.strata.catalog.Catalog;
import dev.strata.catalog.CollectionRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** With TLS configured, the node accepts only clients that present a certificate it trusts (mutual TLS). */
class MutualTlsTest {

    private static final String PASSWORD = "changeit";
    private static ShardServiceFixture fixture;
    private static Path certs;
    private static URI node;
    private static CollectionRecord collection;

    @BeforeAll
    static void startNodeWithMutualTls() throws Exception {
        fixture = ShardServiceFixture.shared();
        certs = Files.createTempDirectory("strata-certs-");
        // Certificates made for this test: a server key pair for 127.0.0.1, a client key pair, and trust stores
        // holding the other side's certificate.
        keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                "-keystore", "server.p12", "-storetype", "PKCS12", "-storepass", PASSWORD);
        keytool("-genkeypair", "-alias", "client", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=strata-router", "-keystore", "client.p12", "-storetype", "PKCS12", "-storepass", PASSWORD);
        keytool("-exportcert", "-alias", "server", "-keystore", "server.p12", "-storepass", PASSWORD, "-file", "server.cer");
        keytool("-exportcert", "-alias", "client", "-keystore", "client.p12", "-storepass", PASSWORD, "-file", "client.cer");
        keytool("-importcert", "-noprompt", "-alias", "client", "-file", "client.cer", "-keystore", "server-trust.p12",
                "-storetype", "PKCS12", "-storepass", PASSWORD);
        keytool("-importcert", "-noprompt", "-alias", "server", "-file", "server.cer", "-keystore", "client-trust.p12",
                "-storetype", "PKCS12", "-storepass", PASSWORD);

        Catalog catalog = fixture.newCatalog();
        collection = catalog.createCollection("acme", "tls", ShardServiceFixture.spec(4, 1, 1), "test");
        ShardNodeConfig config = ShardNodeConfig.local("test", "tls-1", fixture.root.resolve("tls-" + UUID.randomUUID()))
                .withProperties(Map.of(
                        "micronaut.server.ssl.enabled", true,
                        "micronaut.server.ssl.port", -1,
                        "micronaut.server.ssl.build-self-signed", false,
                        "micronaut.server.ssl.client-authentication", "NEED",
                        "micronaut.server.ssl.key-store.path", "file:" + certs.resolve("server.p12"),
                        "micronaut.server.ssl.key-store.password", PASSWORD,
                        "micronaut.server.ssl.key-store.type", "PKCS12",
                        "micronaut.server.ssl.trust-store.path", "file:" + certs.resolve("server-trust.p12"),
                        "micronaut.server.ssl.trust-store.password", PASSWORD,
                        "micronaut.server.ssl.trust-store.type", "PKCS12"));
        ShardNode started = fixture.startNode(config, catalog, fixture.store);
        assertThat(started.awaitReady(Duration.ofSeconds(30))).isTrue();
        node = started.endpoint();
    }

    @AfterAll
    static void stop() {
        fixture.stopNodes();
    }

    @Test
    void endpointIsHttps() {
        assertThat(node.getScheme()).isEqualTo("https");
    }

    @Test
    void clientWithATrustedCertificateIsServed() throws Exception {
        // GIVEN a client that presents its certificate and trusts the server's
        try (HttpClient client = client(true)) {
            // WHEN it searches
            HttpResponse<String> response = client.send(search(), HttpResponse.BodyHandlers.ofString());
            // THEN it is answered
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(response.body()).contains("\"node\":\"tls-1\"");
        }
    }

    @Test
    void clientWithoutACertificateIsRefused() throws Exception {
        // GIVEN a client that trusts the server but has no certificate of its own
        try (HttpClient client = client(false)) {
            // WHEN it searches THEN the TLS handshake fails
            assertThatThrownBy(() -> client.send(search(), HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(IOException.class);
        }
    }

    private static HttpRequest search() {
        return HttpRequest.newBuilder(node.resolve(ShardServiceFixture.searchPath(collection, 0)))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"vector\":[1,0,0,0],\"k\":1}"))
                .build();
    }

    private static HttpClient client(boolean withCertificate) throws Exception {
        KeyStore trust = load("client-trust.p12");
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(withCertificate ? load("client.p12") : emptyStore(), PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(10)).build();
    }

    private static KeyStore load(String file) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(certs.resolve(file))) {
            store.load(in, PASSWORD.toCharArray());
        }
        return store;
    }

    private static KeyStore emptyStore() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, PASSWORD.toCharArray());
        return store;
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(certs.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("keytool " + String.join(" ", args) + ": " + output).isZero();
    }
}
