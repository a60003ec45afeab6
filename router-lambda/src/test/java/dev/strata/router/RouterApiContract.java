package dev.strata.router;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.api.Document;
import dev.strata.catalog.ApiKeyRecord;
import dev.strata.router.auth.ApiKeys;
import dev.strata.store.IngestBatchId;
import org.junit.jupiter.api.AfterAll;
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

/**
 * The public API's collections, documents, batches, keys, auth and error rules, run through one entry point
 * ({@link #api()}): the Lambda handler or HTTP. Search behaviour is in {@link SearchContract}.
 */
abstract class RouterApiContract extends ContractBase {

    @Test
    void collectionIsCreatedDescribedListedAndDropped() {
        // GIVEN an admin key
        // WHEN a collection is created
        Reply created = api().put("/v1/collections/docs-life", RouterFixture.ADMIN_KEY,
                "{\"dimension\":8,\"metric\":\"dot\",\"shards\":3,\"replicas\":2,\"sharding\":\"hash\"}");
        // THEN it is described with its spec, version 0 and one entry per shard, listed, then dropped
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().at("/spec/dimension").asInt()).isEqualTo(8);
        Reply described = api().get("/v1/collections/docs-life", RouterFixture.ADMIN_KEY);
        assertThat(described.status()).isEqualTo(200);
        assertThat(described.json().get("version").asLong()).isZero();
        assertThat(described.json().at("/spec/metric").asText()).isEqualTo("dot");
        assertThat(described.json().get("shards")).hasSize(3);
        Reply listed = api().get("/v1/collections", RouterFixture.ADMIN_KEY);
        assertThat(listed.json().get("collections").findValuesAsText("name")).contains("docs-life");
        assertThat(api().delete("/v1/collections/docs-life", RouterFixture.ADMIN_KEY).status()).isEqualTo(204);
        Reply gone = api().get("/v1/collections/docs-life", RouterFixture.ADMIN_KEY);
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.errorCode()).isEqualTo("collection_not_found");
    }

    @Test
    void creatingAnExistingCollectionIs409() {
        String name = newCollection(4);
        Reply again = api().put("/v1/collections/" + name, RouterFixture.ADMIN_KEY, "{\"dimension\":4}");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.errorMessage()).contains(name);
    }

    @Test
    void specOutOfRangeIs400NamingTheField() {
        Reply r = api().put("/v1/collections/bad-spec", RouterFixture.ADMIN_KEY, "{\"dimension\":5000}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errorCode()).isEqualTo("invalid_request");
        assertThat(r.errorMessage()).contains("dimension is 5000").contains("4096");
    }

    @Test
    void invalidCollectionNameIs400() {
        Reply r = api().put("/v1/collections/Bad.Name", RouterFixture.ADMIN_KEY, "{\"dimension\":4}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errorMessage()).contains("Bad.Name");
    }

    @Test
    void unknownFieldIs400NamingIt() {
        Reply r = api().put("/v1/collections/unknown-field", RouterFixture.ADMIN_KEY, "{\"dimension\":4,\"dims\":4}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errorCode()).isEqualTo("unknown_field");
        assertThat(r.errorMessage()).contains("'dims'").contains("dimension");
    }

    @Test
    void malformedJsonIs400() {
        Reply r = api().put("/v1/collections/malformed", RouterFixture.ADMIN_KEY, "{\"dimension\":");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errorCode()).isEqualTo("malformed_json");
    }

    @Test
    void missingKeyIs401() {
        Reply r = api().get("/v1/collections", null);
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.errorCode()).isEqualTo("unauthorized");
        assertThat(r.errorMessage()).contains("Authorization");
    }

    @Test
    void unknownKeyIs401() {
        Reply r = api().get("/v1/collections", "sk_not_a_real_key");
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.errorMessage()).contains("not valid");
    }

    @Test
    void readerCannotWriteDocuments() {
        // GIVEN a reader key
        String name = newCollection(4);
        String reader = newKey("reader");
        // WHEN it posts documents
        Reply r = api().post("/v1/collections/" + name + "/documents", reader,
                "{\"documents\":[{\"id\":\"a\",\"vector\":[1,0,0,0]}]}");
        // THEN 403 naming the role needed; reading is allowed
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.errorCode()).isEqualTo("forbidden");
        assertThat(r.errorMessage()).contains("writer").contains("reader");
        assertThat(api().get("/v1/collections/" + name, reader).status()).isEqualTo(200);
    }

    @Test
    void writerCannotCreateCollectionsOrKeys() {
        String writer = newKey("writer");
        assertThat(api().put("/v1/collections/by-writer", writer, "{\"dimension\":4}").status()).isEqualTo(403);
        assertThat(api().post("/v1/keys", writer, "{\"role\":\"reader\"}").status()).isEqualTo(403);
    }

    @Test
    void createdKeyIsShownOnceAndStoredHashed() {
        Reply r = api().post("/v1/keys", RouterFixture.ADMIN_KEY, "{\"role\":\"writer\"}");
        assertThat(r.status()).isEqualTo(201);
        String key = r.json().get("key").asText();
        assertThat(r.json().get("tenant").asText()).isEqualTo(RouterFixture.TENANT);
        ApiKeyRecord stored = fixture.catalog.findApiKey(ApiKeys.hash(key)).orElseThrow();
        assertThat(stored.role()).isEqualTo(ApiKeyRecord.Role.WRITER);
        assertThat(stored.keyHash()).isNotEqualTo(key).hasSize(64);
        assertThat(api().get("/v1/collections", key).status()).isEqualTo(200);
    }

    @Test
    void unknownRoleIs400() {
        Reply r = api().post("/v1/keys", RouterFixture.ADMIN_KEY, "{\"role\":\"root\"}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errorMessage()).contains("'root'");
    }

    @Test
    void anotherTenantsCollectionIsNotFound() {
        // GIVEN a collection of tenant acme and an admin key of tenant globex
        String name = newCollection(4);
        String other = "sk_test_admin_globex_" + NAMES.incrementAndGet();
        String hash = ApiKeys.hash(other);
        fixture.catalog.putApiKey(new ApiKeyRecord(hash, ApiKeys.keyId(hash), "globex", ApiKeyRecord.Role.ADMIN,
                Instant.now()));
        // WHEN globex reads, searches, writes or drops it
        // THEN every call is 404 collection_not_found, never 403
        for (Reply r : List.of(
                api().get("/v1/collections/" + name, other),
                api().post("/v1/collections/" + name + "/search", other, "{\"vector\":[1,0,0,0]}"),
                api().post("/v1/collections/" + name + "/documents", other,
                        "{\"documents\":[{\"id\":\"a\",\"vector\":[1,0,0,0]}]}"),
                api().delete("/v1/collections/" + name, other))) {
            assertThat(r.status()).as(r.body()).isEqualTo(404);
            assertThat(r.errorCode()).isEqualTo("collection_not_found");
        }
        assertThat(api().get("/v1/collections", other).json().get("collections")).isEmpty();
        assertThat(api().get("/v1/collections/" + name, RouterFixture.ADMIN_KEY).status()).isEqualTo(200);
    }

    @Test
    void postedDocumentsBecomeOneJsonlObjectUnderIngest() throws Exception {
        // GIVEN a collection and a writer key
        String name = newCollection(4);
        String writer = newKey("writer");
        // WHEN two documents are posted
        Reply r = api().post("/v1/collections/" + name + "/documents", writer,
                "{\"documents\":[{\"id\":\"a\",\"vector\":[1,0,0,0],\"metadata\":{\"lang\":\"en\"}},"
                        + "{\"id\":\"b\",\"vector\":[0,1,0,0],\"text\":\"hello\"}]}");
        // THEN 202 with a pending batch, whose object holds one line per document
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        String batch = r.json().get("batch").asText();
        assertThat(r.json().get("status").asText()).isEqualTo("pending");
        String key = fixture.catalog.findBatch(RouterFixture.TENANT, name, batch).orElseThrow().objectKey();
        assertThat(key).startsWith("ingest/" + RouterFixture.TENANT + "/" + name + "/api-").endsWith(".jsonl");
        assertThat(batch).isEqualTo(IngestBatchId.of(RouterFixture.BUCKET, key, fixture.store.head(key).eTag()));
        assertThat(fixture.store.userMetadata(key)).containsKey("strata-key-id");
        String jsonl;
        try (InputStream in = fixture.store.open(key)) {
            jsonl = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(jsonl.lines()).hasSize(2);
        assertThat(jsonl.lines().findFirst().orElseThrow()).contains("\"id\":\"a\"").contains("\"lang\":\"en\"");
        Reply status = api().get("/v1/collections/" + name + "/batches/" + batch, writer);
        assertThat(status.status()).isEqualTo(200);
        assertThat(status.json().get("status").asText()).isEqualTo("pending");
    }

    @Test
    void deletesBecomeTombstoneLines() throws Exception {
        String name = newCollection(4);
        Reply r = api().post("/v1/collections/" + name + "/documents/delete", RouterFixture.ADMIN_KEY,
                "{\"ids\":[\"a\",\"b\"]}");
        assertThat(r.status()).isEqualTo(202);
        String key = fixture.catalog.findBatch(RouterFixture.TENANT, name, r.json().get("batch").asText())
                .orElseThrow().objectKey();
        try (InputStream in = fixture.store.open(key)) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines())
                    .containsExactly("{\"id\":\"a\",\"delete\":true}", "{\"id\":\"b\",\"delete\":true}");
        }
    }

    @Test
    void waitTrueAnswersOnceTheBatchIsApplied() throws Exception {
        // GIVEN ingest running in the background (what the S3 event and the ingest Lambda do)
        String name = newCollection(4);
        java.util.Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        String prefix = "ingest/" + RouterFixture.TENANT + "/" + name + "/";
        Thread ingest = Thread.ofVirtual().start(() -> {
            for (int i = 0; i < 400 && !Thread.currentThread().isInterrupted(); i++) {
                if (fixture.fleet.ingestPendingObjects(fixture.store, prefix, seen) > 0) {
                    return;
                }
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        // WHEN documents are posted with wait=true
        Reply r = api().post("/v1/collections/" + name + "/documents?wait=true", RouterFixture.ADMIN_KEY,
                "{\"documents\":[{\"id\":\"a\",\"vector\":[1,0,0,0]}]}");
        ingest.join(5000);
        // THEN the answer is the applied batch and its version
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().get("status").asText()).isEqualTo("applied");
        assertThat(r.json().get("version").asLong()).isEqualTo(1);
        assertThat(r.json().get("accepted").asInt()).isEqualTo(1);
        Reply batch = api().get("/v1/collections/" + name + "/batches/" + r.json().get("batch").asText(),
                RouterFixture.ADMIN_KEY);
        assertThat(batch.json().get("status").asText()).isEqualTo("applied");
    }

    @Test
    void unknownBatchIs404() {
        String name = newCollection(4);
        Reply r = api().get("/v1/collections/" + name + "/batches/api-nope", RouterFixture.ADMIN_KEY);
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.errorCode()).isEqualTo("batch_not_found");
    }

    @Test
    void moreDocumentsThanTheLimitIs413() {
        String name = newCollection(2);
        StringBuilder body = new StringBuilder("{\"documents\":[");
        for (int i = 0; i < 1001; i++) {
            body.append(i == 0 ? "" : ",").append("{\"id\":\"d").append(i).append("\",\"vector\":[1,0]}");
        }
        Reply r = api().post("/v1/collections/" + name + "/documents", RouterFixture.ADMIN_KEY, body + "]}");
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.errorCode()).isEqualTo("payload_too_large");
        assertThat(r.errorMessage()).contains("1001").contains("1000");
    }

    @Test
    void documentOfTheWrongDimensionIs400NamingIt() {
        String name = newCollection(4);
        Reply r = api().post("/v1/collections/" + name + "/documents", RouterFixture.ADMIN_KEY,
                "{\"documents\":[{\"id\":\"a\",\"vector\":[1,0,0,0]},{\"id\":\"b\",\"vector\":[1,0]}]}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errorMessage()).isEqualTo("documents[1].vector has 2 values; collection '" + name
                + "' has dimension 4");
    }

    @Test
    void textDocumentWithoutEmbeddingModelIs400() {
        String name = newCollection(4);
        Reply r = api().post("/v1/collections/" + name + "/documents", RouterFixture.ADMIN_KEY,
                "{\"documents\":[{\"id\":\"a\",\"text\":\"hello\"}]}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errorCode()).isEqualTo("no_embedding_model");
    }

    @Test
    void emptyDocumentListIs400() {
        String name = newCollection(4);
        Reply r = api().post("/v1/collections/" + name + "/documents", RouterFixture.ADMIN_KEY, "{\"documents\":[]}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errorMessage()).contains("documents is empty");
    }

    @Test
    void unknownRouteIs404WithTheErrorBody() {
        Reply r = api().get("/v1/nothing-here", RouterFixture.ADMIN_KEY);
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.errorCode()).isEqualTo("not_found");
    }

}
