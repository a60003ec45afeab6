package dev.strata.router;

import dev.strata.api.Document;
import dev.strata.catalog.NodeRecord;
import dev.strata.router.OtlpReceiver.ReceivedSpan;
import dev.strata.tls.TestCertificates;
import dev.strata.tls.TlsMaterial;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The router against the real shard service (its runnable jar, two nodes in child JVMs) requiring mutual TLS and
 * exporting spans, the way they run in AWS: a search through the Lambda entry point is answered over TLS and makes
 * one X-Ray trace across the router and both nodes; a router with a stranger's identity is refused. Skipped when the
 * shard service's jar has not been built ({@code ./mvnw -pl router-lambda -am verify} packages it first).
 */
class RealShardServiceTest {

    private static final String XRAY_ROOT = "5759e988bd862e3fe1be46a994272793";

    private static TestCertificates certs;
    private static OtlpReceiver receiver;
    private static RouterFixture fixture;
    private static final List<ShardServiceProcess> nodes = new ArrayList<>();
    private static List<Document> docs;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(Files.isRegularFile(ShardServiceProcess.JAR), "no shard service jar at "
                + ShardServiceProcess.JAR.toAbsolutePath().normalize() + "; build it with ./mvnw -pl shard-service-ecs"
                + " -am package (the router's -am build does)");
        certs = TestCertificates.shared();
        receiver = new OtlpReceiver();
        Map<String, Object> properties = new HashMap<>(routerIdentity(certs.client()));
        properties.put("strata.tracing.exporter", "otlp");
        properties.put("strata.tracing.otlp-endpoint", receiver.endpoint());
        properties.put("strata.tracing.batch", "true");
        // the first export of a JVM loads the exporter's classes: on a loaded test machine that can take longer than
        // the 200 ms a warm Lambda needs; the test asserts that the flush happens, not how fast
        properties.put("strata.tracing.flush-timeout", "10s");
        fixture = RouterFixture.startWithHttpShards(properties, true);
        fixture.fleet.uploadSegmentsTo(fixture.store);
        assertThat(fixture.lambda().put("/v1/collections/real", RouterFixture.ADMIN_KEY,
                "{\"dimension\":4,\"shards\":2,\"replicas\":1}").status()).isEqualTo(201);
        docs = ContractBase.randomDocuments(60, 4, 9);
        long version = fixture.fleet.ingest(RouterFixture.TENANT, "real", "real-batch", docs);
        for (String id : List.of("real-1", "real-2")) {
            nodes.add(ShardServiceProcess.start(fixture, id, certs.server(), receiver.endpoint()));
        }
        awaitNodesServing(version);
    }

    /** Waits until both nodes heartbeat an https endpoint and together have applied every shard of the collection. */
    private static void awaitNodesServing(long version) throws InterruptedException {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (true) {
            List<NodeRecord> live = fixture.catalog.liveNodes(ShardFleet.REGION, Instant.now()).stream()
                    .filter(n -> n.nodeId().startsWith("real-")).toList();
            Set<String> applied = live.stream().flatMap(n -> n.applied().entrySet().stream())
                    .filter(e -> e.getValue() >= version).map(Map.Entry::getKey).collect(Collectors.toSet());
            if (live.size() == 2 && applied.containsAll(Set.of(NodeRecord.shardKey(RouterFixture.TENANT, "real", 0),
                    NodeRecord.shardKey(RouterFixture.TENANT, "real", 1)))) {
                assertThat(live).allSatisfy(n -> assertThat(n.endpoint()).startsWith("https://127.0.0.1:"));
                return;
            }
            for (ShardServiceProcess node : nodes) {
                assertThat(node.alive()).as("shard service exited:\n" + node.logTail()).isTrue();
            }
            assertThat(System.nanoTime()).as("shard services not serving within 120 s: " + live + "\n"
                    + nodes.get(0).logTail()).isLessThan(deadline);
            Thread.sleep(250);
        }
    }

    @AfterAll
    static void stop() {
        nodes.forEach(ShardServiceProcess::close);
        if (fixture != null) {
            fixture.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    private static Map<String, Object> routerIdentity(TlsMaterial material) {
        return Map.of("strata.tls.ca-pem", material.caPem(), "strata.tls.cert-pem", material.certPem(),
                "strata.tls.key-pem", material.keyPem(), "strata.router.shard-timeout", "10s");
    }

    private static Reply search(Api api) {
        return api.post("/v1/collections/real/search", RouterFixture.ADMIN_KEY,
                "{\"vector\":" + ContractBase.json(docs.get(0).vector()) + ",\"k\":3}");
    }

    @Test
    void aSearchIsAnsweredOverMutualTlsAndTracedAcrossTheRouterAndBothShardServices()
            throws InterruptedException {
        // GIVEN both shard services requiring client certificates, and the router holding the deployment's identity
        receiver.clear();
        // WHEN API Gateway invokes the router with an X-Ray trace header
        Reply reply = search(fixture.lambda());
        List<ReceivedSpan> atReturn = receiver.spans();
        // THEN both shards answer over TLS
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        assertThat(reply.json().get("partial").asBoolean()).isFalse();
        assertThat(reply.json().get("matches").get(0).get("id").asText()).isEqualTo("doc-0");
        // AND the router's server span and its two client spans were exported before the invocation returned
        List<ReceivedSpan> clients = atReturn.stream()
                .filter(s -> "strata-router".equals(s.resource().get("service.name"))
                        && s.kind() == OtlpReceiver.CLIENT).toList();
        assertThat(clients).as(atReturn.toString()).hasSize(2)
                .allSatisfy(c -> assertThat(c.traceId()).isEqualTo(XRAY_ROOT));
        // AND each shard service continued that trace under the client span of its call (its batch exporter sends
        // within its 5 s schedule)
        Set<String> clientIds = clients.stream().map(ReceivedSpan::spanId).collect(Collectors.toSet());
        List<ReceivedSpan> shardSpans = receiver.await(s -> "strata-shard-service".equals(s.resource().get("service.name"))
                && s.kind() == OtlpReceiver.SERVER && XRAY_ROOT.equals(s.traceId()), 2, 20_000);
        assertThat(shardSpans).hasSize(2).allSatisfy(s -> assertThat(clientIds).contains(s.parentSpanId()));
        assertThat(shardSpans.stream().map(s -> s.resource().get("service.instance.id")).collect(Collectors.toSet()))
                .isSubsetOf(Set.of("real-1", "real-2"));
    }

    @Test
    void aRouterWithAStrangersIdentityIsRefusedByTheShardServices() {
        // GIVEN a router whose identity another CA signed
        try (RouterFixture.Router stranger = fixture.router(routerIdentity(certs.stranger()))) {
            // WHEN it searches
            Reply reply = search(stranger.api());
            // THEN no shard answers, and the error names the TLS failure
            assertThat(reply.status()).as(reply.body()).isEqualTo(503);
            assertThat(reply.json().at("/error/message").asText()).contains("TLS handshake with https://127.0.0.1:");
        }
    }
}
