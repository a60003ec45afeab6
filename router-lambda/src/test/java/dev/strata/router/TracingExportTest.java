package dev.strata.router;

import dev.strata.api.Document;
import dev.strata.router.OtlpReceiver.ReceivedSpan;
import dev.strata.telemetry.TracingOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spans leave the router (DESIGN §9): the router on the Lambda entry point with {@code strata.tracing.exporter=otlp}
 * and batching on, two shard nodes over real HTTP that continue the trace, and an OTLP/HTTP receiver on loopback in
 * place of the ADOT collector extension.
 */
class TracingExportTest {

    private static final String XRAY_ROOT = "5759e988bd862e3fe1be46a994272793";
    private static final String API_GATEWAY_PARENT = "53995c3f42cd8ad8";

    private static OtlpReceiver receiver;
    private static RouterFixture fixture;
    private static final List<ShardNodeServer> nodes = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        receiver = new OtlpReceiver();
        fixture = RouterFixture.startWithHttpShards(Map.of(
                "strata.tracing.exporter", "otlp",
                "strata.tracing.otlp-endpoint", receiver.endpoint(),
                "strata.tracing.batch", "true",
                // the first export of a JVM loads the exporter's classes: slower than a warm Lambda on a loaded machine
                "strata.tracing.flush-timeout", "10s",
                "strata.tracing.function-name", "strata-router-test",
                "strata.tracing.function-version", "7",
                "strata.tracing.region", "eu-west-1",
                "strata.router.shard-timeout", "5s"), true);
        TracingOptions shardTracing = new TracingOptions("otlp", receiver.endpoint(), "strata-shard-service");
        for (String id : List.of("traced-1", "traced-2")) {
            ShardNodeServer node = ShardNodeServer.start(fixture.fleet, id, null, shardTracing);
            nodes.add(node);
            fixture.fleet.addNode(id, node.endpoint());
        }
    }

    @AfterAll
    static void stop() {
        nodes.forEach(ShardNodeServer::close);
        fixture.close();
        receiver.close();
    }

    @Test
    void oneSearchExportsTheServerSpanAndAClientSpanPerShardInTheCallersXrayTraceBeforeTheInvocationReturns()
            throws InterruptedException {
        // GIVEN a collection of two shards on two nodes that answer over HTTP
        Api api = fixture.lambda();
        assertThat(api.put("/v1/collections/traced", RouterFixture.ADMIN_KEY,
                "{\"dimension\":4,\"shards\":2,\"replicas\":1}").status()).isEqualTo(201);
        List<Document> docs = ContractBase.randomDocuments(40, 4, 3);
        fixture.fleet.ingest(RouterFixture.TENANT, "traced", "traced-batch", docs);
        receiver.clear();

        // WHEN API Gateway invokes the router with X-Amzn-Trace-Id Root=1-5759e988-...;Parent=53995c3f42cd8ad8
        Reply reply = api.post("/v1/collections/traced/search", RouterFixture.ADMIN_KEY,
                "{\"vector\":" + ContractBase.json(docs.get(0).vector()) + ",\"k\":3}");
        List<ReceivedSpan> atReturn = receiver.spans();

        // THEN the search is answered by both shards
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        assertThat(reply.json().get("partial").asBoolean()).isFalse();
        // AND by the time the invocation returned, the collector had the router's spans (batching is on: the
        // end-of-request flush sent them, not the 5 s batch timer)
        List<ReceivedSpan> router = atReturn.stream()
                .filter(s -> "strata-router".equals(s.resource().get("service.name"))).toList();
        ReceivedSpan server = router.stream().filter(s -> s.kind() == OtlpReceiver.SERVER).findFirst().orElseThrow(
                () -> new AssertionError("no router server span among " + atReturn));
        assertThat(server.name()).isEqualTo("search");
        assertThat(server.traceId()).isEqualTo(XRAY_ROOT);
        assertThat(server.parentSpanId()).isEqualTo(API_GATEWAY_PARENT);
        assertThat(server.attributes()).containsEntry("strata.collection", "traced");
        List<ReceivedSpan> clients = router.stream().filter(s -> s.kind() == OtlpReceiver.CLIENT).toList();
        assertThat(clients).hasSize(2).allSatisfy(c -> {
            assertThat(c.name()).isEqualTo("shard.search");
            assertThat(c.traceId()).isEqualTo(XRAY_ROOT);
            assertThat(c.parentSpanId()).isEqualTo(server.spanId());
        });
        assertThat(clients.stream().map(c -> c.attributes().get("strata.shard")).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder("0", "1");
        // AND the resource names the service and the Lambda function
        assertThat(server.resource()).containsEntry("service.name", "strata-router")
                .containsEntry("cloud.provider", "aws")
                .containsEntry("cloud.platform", "aws_lambda")
                .containsEntry("faas.name", "strata-router-test")
                .containsEntry("faas.version", "7")
                .containsEntry("cloud.region", "eu-west-1");

        // AND each shard node continued the same trace under the router's client span for its call
        Set<String> clientIds = clients.stream().map(ReceivedSpan::spanId).collect(Collectors.toSet());
        List<ReceivedSpan> shardSpans = receiver.await(s -> "strata-shard-service".equals(s.resource().get("service.name"))
                && s.kind() == OtlpReceiver.SERVER, 2, 10_000);
        assertThat(shardSpans).hasSize(2).allSatisfy(s -> {
            assertThat(s.traceId()).isEqualTo(XRAY_ROOT);
            assertThat(clientIds).contains(s.parentSpanId());
        });
        assertThat(shardSpans.stream().map(s -> s.resource().get("service.instance.id")).collect(Collectors.toSet()))
                .isSubsetOf(Set.of("traced-1", "traced-2"));
    }
}
