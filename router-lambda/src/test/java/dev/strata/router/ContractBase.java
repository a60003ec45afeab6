package dev.strata.router;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.api.Document;
import dev.strata.catalog.ApiKeyRecord;
import dev.strata.router.auth.ApiKeys;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Shared set-up of the API contract tests: one router fixture per class, helpers to create and fill collections. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ContractBase {

    protected static final AtomicInteger NAMES = new AtomicInteger();
    protected RouterFixture fixture;

    protected abstract Api api();


    @BeforeAll
    void startRouter() {
        fixture = RouterFixture.shared();
    }

    protected String newCollection(int dimension) {
        return newCollection(dimension, 4, 2);
    }

    protected String newCollection(int dimension, int shards, int replicas) {
        String name = "c" + NAMES.incrementAndGet();
        Reply r = api().put("/v1/collections/" + name, RouterFixture.ADMIN_KEY,
                "{\"dimension\":" + dimension + ",\"shards\":" + shards + ",\"replicas\":" + replicas + "}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return name;
    }

    protected String newKey(String role) {
        Reply r = api().post("/v1/keys", RouterFixture.ADMIN_KEY, "{\"role\":\"" + role + "\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("key").asText();
    }

    /** Commits documents directly through the fleet (ingest's commit protocol) and returns the new version. */
    protected long commit(String collection, List<Document> documents) {
        return fixture.fleet.ingest(RouterFixture.TENANT, collection, "b" + NAMES.incrementAndGet(), documents);
    }

    protected static List<Document> randomDocuments(int count, int dimension, long seed) {
        java.util.Random random = new java.util.Random(seed);
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            float[] v = new float[dimension];
            for (int j = 0; j < dimension; j++) {
                v[j] = (float) random.nextGaussian();
            }
            docs.add(new Document("doc-" + i, v, "passage " + i,
                    Map.of("lang", i % 2 == 0 ? "en" : "de", "year", 2000 + i % 25)));
        }
        return docs;
    }

    protected static String json(float[] v) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            sb.append(i == 0 ? "" : ",").append(v[i]);
        }
        return sb.append(']').toString();
    }

    protected static List<String> ids(JsonNode matches) {
        List<String> ids = new ArrayList<>();
        matches.forEach(m -> ids.add(m.get("id").asText()));
        return ids;
    }
}
