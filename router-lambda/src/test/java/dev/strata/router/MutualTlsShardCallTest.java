package dev.strata.router;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.sun.net.httpserver.HttpServer;
import dev.strata.api.Document;
import dev.strata.router.scatter.HttpShardClient;
import dev.strata.tls.TestCertificates;
import dev.strata.tls.TlsMaterial;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Router → shard mutual TLS (DESIGN §10): two shard nodes serve HTTPS on loopback and require a client certificate
 * signed by the deployment's CA; routers with the right identity (from {@code strata.tls.*-pem} or from a Secrets
 * Manager secret), with a stranger's, or with none, search them over real TLS.
 */
class MutualTlsShardCallTest {

    private static final String SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:router-tls-AbCdEf";

    private static TestCertificates certs;
    private static RouterFixture fixture;
    private static final List<ShardNodeServer> nodes = new ArrayList<>();
    private static List<Document> docs;

    @BeforeAll
    static void start() {
        certs = TestCertificates.shared();
        fixture = RouterFixture.startWithHttpShards(pems(certs.client()), false);
        for (String id : List.of("tls-1", "tls-2")) {
            ShardNodeServer node = ShardNodeServer.start(fixture.fleet, id, certs.server(), null);
            nodes.add(node);
            fixture.fleet.addNode(id, node.endpoint());
        }
        assertThat(fixture.lambda().put("/v1/collections/secure", RouterFixture.ADMIN_KEY,
                "{\"dimension\":4,\"shards\":2,\"replicas\":1}").status()).isEqualTo(201);
        docs = ContractBase.randomDocuments(40, 4, 5);
        fixture.fleet.ingest(RouterFixture.TENANT, "secure", "secure-batch", docs);
    }

    @AfterAll
    static void stop() {
        nodes.forEach(ShardNodeServer::close);
        fixture.close();
    }

    private static Map<String, Object> pems(TlsMaterial material) {
        return Map.of("strata.tls.ca-pem", material.caPem(), "strata.tls.cert-pem", material.certPem(),
                "strata.tls.key-pem", material.keyPem(), "strata.router.breaker-open-for", "10ms",
                "strata.router.shard-timeout", "10s");
    }

    private static Reply search(Api api) {
        return api.post("/v1/collections/secure/search", RouterFixture.ADMIN_KEY,
                "{\"vector\":" + ContractBase.json(docs.get(0).vector()) + ",\"k\":3}");
    }

    @Test
    void nodesAdvertiseHttpsEndpoints() {
        assertThat(fixture.catalog.liveNodes(ShardFleet.REGION, java.time.Instant.now()))
                .filteredOn(n -> n.nodeId().startsWith("tls-"))
                .hasSize(2).allSatisfy(n -> assertThat(n.endpoint()).startsWith("https://127.0.0.1:"));
    }

    @Test
    void routerWithTheDeploymentsClientIdentityIsAnsweredOverMutualTls() {
        // GIVEN the router holding the client identity signed by the deployment's CA (fixture)
        // WHEN it searches a collection whose two shards live on nodes that require client certificates
        Reply reply = search(fixture.lambda());
        // THEN both shards answer
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        assertThat(reply.json().get("partial").asBoolean()).isFalse();
        assertThat(reply.json().get("matches").get(0).get("id").asText()).isEqualTo("doc-0");
    }

    @Test
    void routerWithAStrangersIdentityGetsNoAnswerAndLogsTheTlsFailure() {
        // GIVEN a router whose identity comes from another CA (it neither trusts the nodes nor is trusted by them)
        try (RouterFixture.Router stranger = fixture.router(pems(certs.stranger()));
             LogCapture logs = new LogCapture()) {
            // WHEN it searches
            Reply reply = search(stranger.api());
            // THEN no shard answers: 503 naming the TLS failure of each node, and a warning in the logs
            assertThat(reply.status()).as(reply.body()).isEqualTo(503);
            assertThat(reply.json().at("/error/code").asText()).isEqualTo("shards_unavailable");
            assertThat(reply.json().at("/error/message").asText()).contains("TLS handshake with https://127.0.0.1:");
            assertThat(logs.warnings()).anySatisfy(m -> assertThat(m).contains("TLS handshake with https://127.0.0.1:")
                    .contains("failed").contains("not signed by the router's CA"));
        }
    }

    @Test
    void routerWhoseCertificateTheNodesDoNotTrustGetsNoAnswer() {
        // GIVEN a router that trusts the nodes' CA but presents a certificate of another CA
        TlsMaterial untrusted = new TlsMaterial(certs.client().caPem(), certs.stranger().certPem(),
                certs.stranger().keyPem());
        try (RouterFixture.Router router = fixture.router(pems(untrusted))) {
            // WHEN it searches THEN the nodes refuse it and no shard answers
            Reply reply = search(router.api());
            assertThat(reply.status()).as(reply.body()).isEqualTo(503);
            assertThat(reply.json().at("/error/message").asText()).contains("tls-1").contains("tls-2");
        }
    }

    @Test
    void routerWithoutAnIdentitySaysTheNodesNeedOne() {
        // GIVEN a router with no TLS material at all
        try (RouterFixture.Router plain = fixture.router(Map.of("strata.router.shard-timeout", "10s"))) {
            // WHEN it searches THEN it does not try plain HTTP against https nodes and says what is missing
            Reply reply = search(plain.api());
            assertThat(reply.status()).as(reply.body()).isEqualTo(503);
            assertThat(reply.json().at("/error/message").asText())
                    .contains("the router has no TLS client identity").contains("STRATA_TLS_SECRET_ARN");
        }
    }

    @Test
    void identityFromTheSecretsManagerSecretIsAnswered() throws Exception {
        // GIVEN the router's identity in a Secrets Manager secret as the CDK stack and docs/deploy.md shape it
        String secret = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(Map.of(
                "caPem", certs.client().caPem(), "certPem", certs.client().certPem(),
                "keyPem", certs.client().keyPem()));
        try (SecretsEndpoint secrets = new SecretsEndpoint(secret);
             RouterFixture.Router router = fixture.router(Map.of("strata.tls.secret-arn", SECRET_ARN,
                     "strata.router.shard-timeout", "10s"), secrets.client())) {
            // WHEN the router starts (reading the secret once) and searches
            Reply reply = search(router.api());
            // THEN it read that secret and the nodes answer
            assertThat(secrets.requestedIds).containsExactly(SECRET_ARN);
            assertThat(reply.status()).as(reply.body()).isEqualTo(200);
            assertThat(reply.json().get("partial").asBoolean()).isFalse();
        }
    }

    @Test
    void aSecretWithoutCertPemStopsStartUpNamingTheField() throws Exception {
        // GIVEN a secret whose certPem field is missing
        String secret = "{\"caPem\":" + quote(certs.client().caPem()) + ",\"keyPem\":"
                + quote(certs.client().keyPem()) + "}";
        try (SecretsEndpoint secrets = new SecretsEndpoint(secret)) {
            // WHEN the router starts THEN start-up fails with a message naming the secret and the field
            assertThatThrownBy(() -> fixture.router(Map.of("strata.tls.secret-arn", SECRET_ARN),
                    secrets.client()).close())
                    .hasStackTraceContaining("TLS secret " + SECRET_ARN + " has no field 'certPem'");
        }
    }

    @Test
    void anUnfilledSecretStopsStartUpNamingTheEmptyField() throws Exception {
        // GIVEN the secret as CloudFormation creates it, before the operator fills it
        String secret = "{\"caPem\":\"\",\"certPem\":\"\",\"keyPem\":\"\",\"unsetMarker\":\"x7\"}";
        try (SecretsEndpoint secrets = new SecretsEndpoint(secret)) {
            assertThatThrownBy(() -> fixture.router(Map.of("strata.tls.secret-arn", SECRET_ARN),
                    secrets.client()).close())
                    .hasStackTraceContaining("field 'caPem' is empty");
        }
    }

    private static String quote(String s) throws Exception {
        return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(s);
    }

    /** The Secrets Manager API on loopback (JSON 1.1, {@code GetSecretValue}) holding one secret string. */
    private static final class SecretsEndpoint implements AutoCloseable {
        final List<String> requestedIds = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final HttpServer server;
        private final AtomicReference<SecretsManagerClient> client = new AtomicReference<>();

        SecretsEndpoint(String secretString) throws Exception {
            var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", exchange -> {
                var request = mapper.readTree(exchange.getRequestBody());
                String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
                byte[] body;
                int status;
                if ("secretsmanager.GetSecretValue".equals(target)) {
                    String id = request.get("SecretId").asText();
                    requestedIds.add(id);
                    body = mapper.writeValueAsBytes(Map.of("ARN", id, "Name", "router-tls",
                            "SecretString", secretString, "VersionId", "v1"));
                    status = 200;
                } else {
                    body = "{\"__type\":\"InvalidRequestException\",\"message\":\"unsupported\"}"
                            .getBytes(StandardCharsets.UTF_8);
                    status = 400;
                }
                exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
                exchange.sendResponseHeaders(status, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
        }

        SecretsManagerClient client() {
            return client.updateAndGet(c -> c != null ? c : SecretsManagerClient.builder()
                    .endpointOverride(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
                    .region(Region.EU_WEST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                    .httpClientBuilder(UrlConnectionHttpClient.builder())
                    .build());
        }

        @Override
        public void close() {
            SecretsManagerClient c = client.get();
            if (c != null) {
                c.close();
            }
            server.stop(0);
        }
    }

    /** Captures the HTTP shard client's log lines while open. */
    private static final class LogCapture implements AutoCloseable {
        private final Logger logger = (Logger) LoggerFactory.getLogger(HttpShardClient.class);
        private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

        LogCapture() {
            appender.start();
            logger.addAppender(appender);
        }

        List<String> warnings() {
            return appender.list.stream().filter(e -> e.getLevel() == Level.WARN)
                    .map(ILoggingEvent::getFormattedMessage).toList();
        }

        @Override
        public void close() {
            logger.detachAppender(appender);
        }
    }
}
