package dev.strata.local.e2e;

import dev.strata.api.Document;
import dev.strata.api.Match;
import dev.strata.api.SearchResponse;
import dev.strata.local.LocalSystem;
import dev.strata.local.client.StrataHttpClient;
import dev.strata.local.data.Corpus;
import dev.strata.local.data.DataDirs;
import dev.strata.local.data.ExactSearch;
import dev.strata.local.data.Jsonl;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The reference corpus (techdocs-dev, or any corpus of its format in {@code $STRATA_DATA_DIR}) through the whole
 * local system: the first {@value #ROWS} rows, half through the documents API and half through one direct S3
 * upload, into a 4-shard collection; recall@10 of its queries against exact search. Skipped when the corpus is
 * absent.
 */
class TechdocsEndToEndTest {
    private static final int ROWS = 5_000;
    private static final int QUERIES = 200;
    private static final String COLLECTION = "e2e-techdocs";
    private static Corpus corpus;
    private static StrataHttpClient admin;

    @BeforeAll
    static void ingest() {
        var dir = DataDirs.techdocs();
        assumeTrue(dir.isPresent(), DataDirs.missingMessage());
        corpus = Corpus.load(dir.get(), ROWS, QUERIES);
        LocalSystem system = SharedSystem.get();
        admin = system.client();
        admin.createCollection(COLLECTION, DemoCorpusEndToEndTest.spec(4, 2));
        int half = corpus.base().size() / 2;
        // 400 documents with text and metadata stay well under the API's 6 MiB per call
        for (int from = 0; from < half; from += 400) {
            admin.upsert(COLLECTION, corpus.base().subList(from, Math.min(half, from + 400)), true);
        }
        system.s3().putObject(b -> b.bucket(system.bucket()).key("ingest/" + LocalSystem.TENANT + "/" + COLLECTION
                + "/second-half.jsonl.gz"), RequestBody.fromBytes(Jsonl.gzipped(corpus.base().subList(half,
                corpus.base().size()))));
        Waits.until("S3 half ingested", Duration.ofSeconds(120), () -> admin.describeCollection(COLLECTION)
                .path("documentCount").asLong() == corpus.base().size() ? true : null);
    }

    @Test
    void recallAtTenOfTheCorpusQueriesIsAtLeast95PercentOfExact() {
        double sum = 0;
        for (int q = 0; q < corpus.queries().size(); q++) {
            SearchResponse response = admin.search(COLLECTION, StrataHttpClient.vectorQuery(corpus.queries().get(q), 10));
            assertThat(response.partial()).isFalse();
            Set<String> got = new HashSet<>();
            response.matches().forEach(m -> got.add(m.id()));
            sum += ExactSearch.recall(got, corpus.exactIds(q, 10));
        }
        assertThat(sum / corpus.queries().size()).isGreaterThanOrEqualTo(0.95);
    }

    @Test
    void aPassageTextFindsThatPassage() {
        int first = 0;
        int tried = 0;
        for (int i = 0; i < corpus.base().size(); i += 997) {
            Document passage = corpus.base().get(i);
            if (passage.text() == null) {
                continue;
            }
            tried++;
            List<Match> matches = admin.search(COLLECTION, StrataHttpClient.textQuery(passage.text(), 3, null)).matches();
            assertThat(matches).extracting(Match::id).contains(passage.id());
            if (matches.get(0).id().equals(passage.id())) {
                first++;
            }
        }
        assertThat(first).isGreaterThanOrEqualTo(tried - 1);
    }
}
