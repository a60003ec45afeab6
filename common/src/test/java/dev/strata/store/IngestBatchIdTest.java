package dev.strata.store;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

class IngestBatchIdTest {

    @Test
    void batchIdIsTheFirstHalfOfSha256OverBucketKeyAndVersion() throws Exception {
        // GIVEN an object and its ETag as S3 reports it (with quotes)
        String id = IngestBatchId.of("bucket", "ingest/acme/docs/a.jsonl", "\"9b2cf535f27731c974343645a3985328\"");
        // THEN it is the documented digest, quotes stripped
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(
                "bucket\ningest/acme/docs/a.jsonl\n9b2cf535f27731c974343645a3985328".getBytes(StandardCharsets.UTF_8));
        assertThat(id).isEqualTo(HexFormat.of().formatHex(digest, 0, 16)).hasSize(32);
    }

    @Test
    void anotherVersionOfTheSameKeyIsAnotherBatch() {
        assertThat(IngestBatchId.of("b", "ingest/t/c/x.jsonl", "v1")).isNotEqualTo(IngestBatchId.of("b", "ingest/t/c/x.jsonl", "v2"));
        assertThat(IngestBatchId.of("b", "ingest/t/c/x.jsonl", null)).isEqualTo(IngestBatchId.of("b", "ingest/t/c/x.jsonl", ""));
    }
}
