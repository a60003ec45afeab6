package dev.strata.local.e2e;

import dev.strata.api.VectorRules;
import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.api.CollectionSpec;
import dev.strata.api.Consistency;
import dev.strata.api.Document;
import dev.strata.api.Match;
import dev.strata.api.Metric;
import dev.strata.api.SearchRequest;
import dev.strata.api.SearchResponse;
import dev.strata.api.Sharding;
import dev.strata.catalog.ApiKeyRecord.Role;
import dev.strata.local.LocalSystem;
import dev.strata.local.client.StrataHttpClient;
import dev.strata.local.data.ExactSearch;
import dev.strata.local.demo.DemoCorpus;
import dev.strata.local.embed.OnnxEmbedder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole local system driven as a user drives it, over HTTP and S3, on the committed demo corpus (2,000 real
 * passages; always runs). The collection is ingested through the documents API; a second copy through a
 * direct S3 upload.
 */
class DemoCorpusEndToEndTest {
    private static final String COLLECTION = "e2e-demo";
    private static LocalSystem system;
    private static StrataHttpClient admin;
    private static List<Document> corpus;

    @BeforeAll
    static void ingestThroughTheApi() {
        system = SharedSystem.get();
        admin = system.client();
        corpus = DemoCorpus.documents();
        admin.createCollection(COLLECTION, spec(4, 2));
        for (int from = 0; from < corpus.size(); from += 500) {
            JsonNode batch = admin.upsert(COLLECTION, corpus.subList(from, Math.min(corpus.size(), from + 500)), true);
            assertThat(batch.path("status").asText()).isEqualTo("applied");
        }
    }

    static CollectionSpec spec(int shards, int replicas) {
        return new CollectionSpec(OnnxEmbedder.DIMENSION, Metric.COSINE, shards, replicas, Sharding.HASH,
                OnnxEmbedder.MODEL, null, 0);
    }

    @Test
    void everyDocumentSentThroughTheApiIsCounted() {
        // describe is a bounded read: it may lag the last commit by the router's collection cache (1 s)
        JsonNode described = Waits.until("describe shows every document", Duration.ofSeconds(10), () -> {
            JsonNode d = admin.describeCollection(COLLECTION);
            return d.path("documentCount").asLong() >= corpus.size() ? d : null;
        });
        // other tests of this class may have added a few documents by now
        assertThat(described.path("documentCount").asLong()).isBetween((long) corpus.size(), corpus.size() + 10L);
        assertThat(described.path("version").asLong()).isGreaterThanOrEqualTo(4);
    }

    @Test
    void recallAtTenThroughTheWholePathIsAtLeast95PercentOfExact() {
        // GIVEN 100 queries that are not in the collection: normalised sums of two random passages' vectors
        List<float[]> vectors = corpus.stream().map(Document::vector).toList();
        Random random = new Random(7);
        double recallSum = 0;
        int queries = 100;
        for (int q = 0; q < queries; q++) {
            float[] a = vectors.get(random.nextInt(vectors.size()));
            float[] b = vectors.get(random.nextInt(vectors.size()));
            float[] query = new float[a.length];
            for (int i = 0; i < a.length; i++) {
                query[i] = a[i] + 0.5f * b[i];
            }
            query = VectorRules.normalised(query);
            List<String> exact = new ArrayList<>();
            for (int row : ExactSearch.topK(vectors, query, 10)) {
                exact.add(corpus.get(row).id());
            }
            // WHEN searching through the router
            SearchResponse response = admin.search(COLLECTION, StrataHttpClient.vectorQuery(query, 10));
            // THEN the answer is complete and close to exact
            assertThat(response.partial()).isFalse();
            Set<String> got = new HashSet<>();
            response.matches().forEach(m -> got.add(m.id()));
            recallSum += ExactSearch.recall(got, exact);
        }
        assertThat(recallSum / queries).isGreaterThanOrEqualTo(0.95);
    }

    @Test
    void aTextQueryOfAPassageFindsThatPassageFirst() {
        // GIVEN passages spread over the corpus
        int found = 0;
        int tried = 0;
        for (int i = 0; i < corpus.size(); i += 223) {
            Document passage = corpus.get(i);
            // WHEN searching with the passage's own text (embedded by the router with the ONNX model)
            SearchResponse response = admin.search(COLLECTION,
                    StrataHttpClient.textQuery(passage.text(), 3, List.of("text", "metadata")));
            tried++;
            // THEN it comes first (near-duplicate boilerplate may tie), with its text and metadata
            Match top = response.matches().get(0);
            if (top.id().equals(passage.id())) {
                found++;
                assertThat(top.score()).isGreaterThan(0.99f);
                assertThat(top.text()).isEqualTo(passage.text());
                assertThat(top.metadata()).containsEntry("service", passage.metadata().get("service"));
            } else {
                assertThat(response.matches()).extracting(Match::id).contains(passage.id());
            }
        }
        assertThat(found).isGreaterThanOrEqualTo(tried - 1);
    }

    @Test
    void aFilterReturnsOnlyMatchingDocuments() {
        float[] query = corpus.get(0).vector();
        // WHEN filtering on equality, on $in, and on a range within $and
        SearchResponse dynamo = admin.search(COLLECTION, withFilter(query, Map.of("service", "dynamodb")));
        SearchResponse queues = admin.search(COLLECTION,
                withFilter(query, Map.of("service", Map.of("$in", List.of("sqs", "sns")))));
        SearchResponse longEc2 = admin.search(COLLECTION, withFilter(query, Map.of("$and", List.of(
                Map.of("service", "ec2"), Map.of("words", Map.of("$gte", 200))))));
        // THEN every match satisfies it, and there are k of them (the corpus has enough)
        assertThat(dynamo.matches()).hasSize(10)
                .allSatisfy(m -> assertThat(m.metadata()).containsEntry("service", "dynamodb"));
        assertThat(queues.matches()).hasSize(10)
                .allSatisfy(m -> assertThat(m.metadata().get("service")).isIn("sqs", "sns"));
        assertThat(longEc2.matches()).isNotEmpty().allSatisfy(m -> {
            assertThat(m.metadata()).containsEntry("service", "ec2");
            assertThat(((Number) m.metadata().get("words")).intValue()).isGreaterThanOrEqualTo(200);
        });
    }

    @Test
    void anUpsertIsVisibleAfterWaitAndWithItsVersion() {
        // GIVEN a new document with its own direction
        float[] vector = VectorRules.normalised(corpus.get(11).vector().clone());
        vector[0] += 0.3f;
        vector = VectorRules.normalised(vector);
        Document doc = new Document("e2e-new-1", vector, "a brand new passage", Map.of("service", "new"));
        // WHEN it is upserted with wait=true
        JsonNode batch = admin.upsert(COLLECTION, List.of(doc), true);
        long version = batch.path("version").asLong();
        // THEN a search with minVersion = that version finds it first, answered at that version or later
        SearchResponse response = admin.search(COLLECTION, new SearchRequest(vector, null, 3, null,
                List.of("metadata"), null, version, null));
        assertThat(response.version()).isGreaterThanOrEqualTo(version);
        assertThat(response.matches().get(0).id()).isEqualTo("e2e-new-1");
        // AND a plain bounded search finds it within the lag bound (2 s)
        float[] q = vector;
        Waits.until("bounded read sees the upsert", Duration.ofSeconds(5), () ->
                admin.search(COLLECTION, StrataHttpClient.vectorQuery(q, 3)).matches().get(0).id()
                        .equals("e2e-new-1") ? true : null);
    }

    @Test
    void anUpsertOfAnExistingIdReplacesTheOlderRow() {
        // GIVEN an existing passage
        Document old = corpus.get(42);
        // WHEN it is upserted again with new metadata
        Map<String, Object> metadata = Map.of("service", "replaced", "edition", 2);
        long version = admin.upsert(COLLECTION, List.of(new Document(old.id(), old.vector(), old.text(), metadata)),
                true).path("version").asLong();
        // THEN its vector finds it once, with the new metadata only
        SearchResponse response = admin.search(COLLECTION, new SearchRequest(old.vector(), null, 10, null,
                List.of("metadata"), null, version, null));
        assertThat(response.matches()).filteredOn(m -> m.id().equals(old.id())).hasSize(1)
                .first().satisfies(m -> assertThat(m.metadata()).containsEntry("service", "replaced"));
    }

    @Test
    void aDeleteIsVisibleAfterWait() {
        // GIVEN a passage that its own vector finds
        Document victim = corpus.get(77);
        assertThat(admin.search(COLLECTION, StrataHttpClient.vectorQuery(victim.vector(), 5)).matches())
                .extracting(Match::id).contains(victim.id());
        // WHEN it is deleted with wait=true
        long version = admin.delete(COLLECTION, List.of(victim.id()), true).path("version").asLong();
        // THEN a search at that version no longer returns it, nor a fresh one
        assertThat(admin.search(COLLECTION, new SearchRequest(victim.vector(), null, 10, null, null, null, version,
                null)).matches()).extracting(Match::id).doesNotContain(victim.id());
        assertThat(admin.search(COLLECTION, new SearchRequest(victim.vector(), null, 10, null, null,
                Consistency.FRESH, null, null)).matches()).extracting(Match::id).doesNotContain(victim.id());
        // AND bounded reads stop returning it within the lag bound (2 s)
        Waits.until("bounded read misses the deleted passage", Duration.ofSeconds(5), () ->
                admin.search(COLLECTION, StrataHttpClient.vectorQuery(victim.vector(), 10)).matches().stream()
                        .noneMatch(m -> m.id().equals(victim.id())) ? true : null);
    }

    @Test
    void aFreshReadSeesABatchAsSoonAsItIsApplied() {
        // GIVEN a write sent without waiting
        float[] vector = VectorRules.normalised(corpus.get(5).vector().clone());
        vector[1] -= 0.4f;
        vector = VectorRules.normalised(vector);
        JsonNode accepted = admin.upsert(COLLECTION, List.of(new Document("e2e-fresh-1", vector, null, null)), false);
        String batch = accepted.path("batch").asText();
        // WHEN the batch is reported applied
        Waits.until("batch " + batch + " applied", Duration.ofSeconds(30),
                () -> "applied".equals(admin.batch(COLLECTION, batch).path("status").asText()) ? true : null);
        // THEN a fresh read sees it at once
        SearchResponse response = admin.search(COLLECTION, new SearchRequest(vector, null, 1, null, null,
                Consistency.FRESH, null, null));
        assertThat(response.matches().get(0).id()).isEqualTo("e2e-fresh-1");
    }

    @Test
    void aDirectS3UploadIsIngestedAndServed() {
        // GIVEN a second collection
        String name = "e2e-demo-s3";
        admin.createCollection(name, spec(2, 1));
        // WHEN the committed corpus file is uploaded under ingest/ as a user would
        system.s3().putObject(b -> b.bucket(system.bucket()).key("ingest/" + LocalSystem.TENANT + "/" + name
                + "/upload-1.jsonl.gz"), RequestBody.fromBytes(DemoCorpus.gzippedJsonl()));
        // THEN every passage is counted and served
        Waits.until("S3 upload ingested", Duration.ofSeconds(90), () ->
                admin.describeCollection(name).path("documentCount").asLong() == corpus.size() ? true : null);
        // (the count comes from the catalog; the replicas may still be loading the new segments)
        for (int i = 0; i < corpus.size(); i += 400) {
            Document d = corpus.get(i);
            Waits.until(d.id() + " served", Duration.ofSeconds(30), () -> {
                var matches = admin.search(name, StrataHttpClient.vectorQuery(d.vector(), 1)).matches();
                return !matches.isEmpty() && matches.get(0).id().equals(d.id()) ? true : null;
            });
        }
    }

    @Test
    void anotherTenantsKeySeesNothing() {
        // GIVEN an admin key of another tenant
        StrataHttpClient other = admin.withKey(system.createApiKey("other-tenant", Role.ADMIN));
        // WHEN it looks for this tenant's collection
        // THEN the collection does not exist for it
        StrataHttpClient.Answer describe = other.send("GET", "/v1/collections/" + COLLECTION, null);
        assertThat(describe.status()).isEqualTo(404);
        assertThat(describe.errorCode()).isEqualTo("collection_not_found");
        assertThat(other.send("POST", "/v1/collections/" + COLLECTION + "/search",
                StrataHttpClient.vectorQuery(corpus.get(0).vector(), 3)).status()).isEqualTo(404);
        assertThat(other.send("GET", "/v1/collections", null).body()).doesNotContain(COLLECTION);
    }

    @Test
    void rolesLimitWhatAKeyMayDo() {
        StrataHttpClient reader = admin.withKey(system.createApiKey(LocalSystem.TENANT, Role.READER));
        StrataHttpClient writer = admin.withKey(system.createApiKey(LocalSystem.TENANT, Role.WRITER));
        Document doc = new Document("e2e-role-1", corpus.get(3).vector(), null, null);
        // a reader searches but does not write
        assertThat(reader.send("POST", "/v1/collections/" + COLLECTION + "/search",
                StrataHttpClient.vectorQuery(doc.vector(), 1)).status()).isEqualTo(200);
        StrataHttpClient.Answer readerWrite = reader.send("POST", "/v1/collections/" + COLLECTION + "/documents",
                Map.of("documents", List.of(doc)));
        assertThat(readerWrite.status()).isEqualTo(403);
        assertThat(readerWrite.errorCode()).isEqualTo("forbidden");
        // a writer writes but does not create or drop collections
        assertThat(writer.send("POST", "/v1/collections/" + COLLECTION + "/documents",
                Map.of("documents", List.of(doc))).status()).isEqualTo(202);
        assertThat(writer.send("PUT", "/v1/collections/e2e-by-writer", spec(1, 1)).status()).isEqualTo(403);
        assertThat(writer.send("DELETE", "/v1/collections/" + COLLECTION, null).status()).isEqualTo(403);
        // no key, or an unknown one, is 401
        assertThat(admin.withKey(null).send("GET", "/v1/collections", null).status()).isEqualTo(401);
        StrataHttpClient.Answer unknown = admin.withKey("not-a-key-at-all").send("GET", "/v1/collections", null);
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(unknown.errorCode()).isEqualTo("unauthorized");
    }

    private static SearchRequest withFilter(float[] vector, Map<String, Object> filter) {
        return new SearchRequest(vector, null, 10, filter, List.of("metadata"), null, null, null);
    }
}
