package dev.strata.ingest;

import dev.strata.api.StrataException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IngestObjectTest {

    @Test
    void keyNamesTenantCollectionAndCompression() {
        IngestObject o = IngestObject.parse("b", "ingest/acme/docs/part-1.jsonl.gz", "\"etag1\"");
        assertThat(o.tenant()).isEqualTo("acme");
        assertThat(o.collection()).isEqualTo("docs");
        assertThat(o.gzip()).isTrue();
        assertThat(o.version()).isEqualTo("etag1");
        assertThat(o.rejectsKey()).isEqualTo("rejects/acme/docs/" + o.batchId() + ".jsonl");
    }

    @Test
    void batchIdIsStableAndChangesWithTheVersion() {
        String a = IngestObject.parse("b", "ingest/acme/docs/x.jsonl", "v1").batchId();
        assertThat(IngestObject.parse("b", "ingest/acme/docs/x.jsonl", "v1").batchId()).isEqualTo(a).hasSize(32);
        assertThat(IngestObject.parse("b", "ingest/acme/docs/x.jsonl", "v2").batchId()).isNotEqualTo(a);
    }

    @Test
    void keyOutsideTheLayoutIsRefused() {
        assertThatThrownBy(() -> IngestObject.parse("b", "ingest/acme/x.jsonl", "v"))
                .isInstanceOfSatisfying(StrataException.InvalidRequest.class,
                        e -> assertThat(e.code()).isEqualTo("invalid_ingest_key"))
                .hasMessage("ingest object key 'ingest/acme/x.jsonl' does not match ingest/{tenant}/{collection}/{name}.jsonl[.gz]");
        assertThatThrownBy(() -> IngestObject.parse("b", "ingest/acme/docs/x.csv", "v"))
                .isInstanceOf(StrataException.InvalidRequest.class);
    }
}
