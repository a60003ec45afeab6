package dev.strata.shard.service;

import dev.strata.catalog.Catalog;
import dev.strata.catalog.CollectionRecord;
import dev.strata.catalog.NodeRecord;
import dev.strata.tls.TestCertificates;
import dev.strata.tls.TlsMaterial;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * With the PEM texts the task definition passes ({@code STRATA_TLS_CA_PEM}, {@code STRATA_TLS_CERT_PEM},
 * {@code STRATA_TLS_KEY_PEM}), the node serves HTTPS and accepts only clients with a certificate of its CA.
 */
class MutualTlsTest {

    private static final TestCertificates CERTS = TestCertificates.shared();
    private static ShardServiceFixture fixture;
    private static Catalog catalog;
    private static CollectionRecord collection;
    private static URI node;
    private static URI management;
    private static ShardNode started;

    @BeforeAll
    static void startNodeWithMutualTls() throws Exception {
        fixture = ShardServiceFixture.shared();
        catalog = fixture.newCatalog();
        collection = catalog.createCollection("acme", "tls", ShardServiceFixture.spec(4, 1, 1), "test");
        started = fixture.startNode(config("tls-1", nodeEnvironment(CERTS.server(), null)), catalog,
                fixture.store);
        assertThat(started.awaitReady(Duration.ofSeconds(30))).isTrue();
        node = started.endpoint();
        management = started.managementEndpoint();
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
    void heartbeatAdvertisesTheHttpsEndpoint() {
        // GIVEN the node heartbeats WHEN routers read the live nodes THEN they find an https endpoint on its port
        List<NodeRecord> nodes = catalog.liveNodes("test", Instant.now());
        assertThat(nodes).singleElement().satisfies(n -> {
            assertThat(n.nodeId()).isEqualTo("tls-1");
            assertThat(n.endpoint()).isEqualTo("https://127.0.0.1:" + node.getPort());
        });
    }

    @Test
    void clientWithACertificateOfTheCaIsServed() throws Exception {
        // GIVEN a client presenting the router's certificate, signed by the CA
        try (HttpClient client = client(CERTS.client().sslContext())) {
            long fastBefore = started.context().getBean(ShardSearchFastPathInstaller.class).answered();
            // WHEN it searches
            HttpResponse<String> response = client.send(search(node), HttpResponse.BodyHandlers.ofString());
            // THEN it is answered, by the fast path, which sits above the TLS handler that checked the certificate
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(response.body()).contains("\"node\":\"tls-1\"");
            assertThat(started.context().getBean(ShardSearchFastPathInstaller.class).answered()).isEqualTo(fastBefore + 1);
        }
    }

    @Test
    void clientWithACertificateOfAnotherCaIsRefused() throws Exception {
        // GIVEN a client that trusts the node but presents a certificate another CA signed
        try (HttpClient client = client(context(CERTS.stranger().keyStore(), CERTS.server().trustStore()))) {
            // WHEN it searches THEN the handshake fails
            assertThatThrownBy(() -> client.send(search(node), HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(IOException.class);
        }
    }

    @Test
    void clientWithoutACertificateIsRefused() throws Exception {
        // GIVEN a client that trusts the node but has no certificate of its own
        try (HttpClient client = client(context(null, CERTS.server().trustStore()))) {
            // WHEN it searches THEN the handshake fails
            assertThatThrownBy(() -> client.send(search(node), HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(IOException.class);
        }
    }

    @Test
    void healthAndMetricsAreServedOverPlainHttpOnTheManagementPort() {
        // GIVEN the callers inside the task (container health check, metrics collector) have no client certificate
        assertThat(management.getScheme()).isEqualTo("http");
        assertThat(management.getPort()).isNotEqualTo(node.getPort());
        // WHEN they call the management port THEN liveness and the Prometheus text answer
        assertThat(fixture.get(management, "/health/liveness").statusCode()).isEqualTo(200);
        HttpResponse<String> metrics = fixture.get(management, "/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("segment_cache_bytes");
    }

    @Test
    void searchIsNotServedOnTheManagementPort() {
        // GIVEN a caller without a certificate WHEN it searches on the plain-HTTP management port THEN it is not found
        HttpResponse<String> response = fixture.post(management, ShardServiceFixture.searchPath(collection, 0),
                Map.of("vector", new float[] {1, 0, 0, 0}, "k", 1));
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).doesNotContain("\"hits\"");
    }

    @Test
    void containerHealthCheckProbesTheManagementPortWhenTlsIsOn() {
        // GIVEN the task's environment with and without the TLS secrets WHEN the health probe picks its URL
        // THEN it is the plain-HTTP management port with TLS, the service port without
        assertThat(HealthProbe.defaultUrl(environment(CERTS.server(), null)))
                .isEqualTo("http://127.0.0.1:8081/health/liveness");
        assertThat(HealthProbe.defaultUrl(Map.of())).isEqualTo("http://127.0.0.1:8080/health/liveness");
    }

    @Test
    void optionalClientAuthenticationServesAClientWithoutACertificate() throws Exception {
        // GIVEN a node with STRATA_TLS_CLIENT_AUTH=optional
        ShardNode optional = fixture.startNode(config("tls-optional", nodeEnvironment(CERTS.server(), "optional")),
                fixture.newCatalog(), fixture.store);
        // WHEN a client without a certificate calls it THEN the TLS handshake succeeds (the shard is not placed there)
        try (HttpClient client = client(context(null, CERTS.server().trustStore()))) {
            HttpResponse<String> response = client.send(search(optional.endpoint()),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(404);
        } finally {
            optional.close();
        }
    }

    @Test
    void partialPemConfigurationFailsStartUpNamingTheMissingVariable() {
        // GIVEN the CA and the certificate but no key
        Map<String, String> env = environment(CERTS.server(), null);
        env.remove(TlsMaterial.KEY_ENV);
        // WHEN the node starts THEN it refuses, naming the variable
        assertThatThrownBy(() -> ShardNode.start(config("tls-partial", env), fixture.newCatalog(), fixture.store))
                .hasStackTraceContaining("missing: STRATA_TLS_KEY_PEM");
    }

    @Test
    void unknownClientAuthenticationModeFailsStartUp() {
        // GIVEN STRATA_TLS_CLIENT_AUTH=sometimes
        Map<String, String> env = environment(CERTS.server(), "sometimes");
        // WHEN the node starts THEN it refuses, naming the setting, the value and the choices
        assertThatThrownBy(() -> ShardNode.start(config("tls-bad-mode", env), fixture.newCatalog(), fixture.store))
                .hasStackTraceContaining("STRATA_TLS_CLIENT_AUTH) is 'sometimes'; one of required, optional");
    }

    private static ShardNodeConfig config(String nodeId, Map<String, String> env) {
        return ShardNodeConfig.local("test", nodeId, fixture.root.resolve(nodeId + "-" + UUID.randomUUID()))
                .withHeartbeat(Duration.ofMillis(250), Duration.ofSeconds(2))
                .withEnvironment(env);
    }

    /** The variables the ECS task definition sets from the TLS secret. */
    private static Map<String, String> environment(TlsMaterial server, String clientAuth) {
        Map<String, String> env = new HashMap<>(Map.of(
                TlsMaterial.CA_ENV, server.caPem(),
                TlsMaterial.CERT_ENV, server.certPem(),
                TlsMaterial.KEY_ENV, server.keyPem()));
        if (clientAuth != null) {
            env.put("STRATA_TLS_CLIENT_AUTH", clientAuth);
        }
        return env;
    }

    /** As {@link #environment} with a free management port (several nodes share this JVM). */
    private static Map<String, String> nodeEnvironment(TlsMaterial server, String clientAuth) {
        Map<String, String> env = environment(server, clientAuth);
        env.put("STRATA_TLS_MANAGEMENT_PORT", "0");
        return env;
    }

    private static HttpRequest search(URI base) {
        return HttpRequest.newBuilder(base.resolve(ShardServiceFixture.searchPath(collection, 0)))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"vector\":[1,0,0,0],\"k\":1}"))
                .build();
    }

    private static HttpClient client(SSLContext context) {
        return HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** A context presenting {@code keys} (none when null) and trusting {@code trust}. */
    private static SSLContext context(KeyStore keys, KeyStore trust) throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        if (keys == null) {
            keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
        }
        kmf.init(keys, TlsMaterial.STORE_PASSWORD);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context;
    }
}
