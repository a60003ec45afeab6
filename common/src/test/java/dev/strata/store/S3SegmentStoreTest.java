package dev.strata.store;

import dev.strata.api.StrataException;
import dev.strata.emulator.EmbeddedS3;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class S3SegmentStoreTest {

    private static EmbeddedS3 s3;
    private static S3SegmentStore store;

    @BeforeAll
    static void startS3() {
        s3 = EmbeddedS3.start();
        s3.createBucket("strata-test");
        store = new S3SegmentStore(s3.client(), "strata-test", 5L * 1024 * 1024);
    }

    @AfterAll
    static void stopS3() {
        s3.close();
    }

    @Test
    void directoryRoundTripsIncludingAMultipartFile(@TempDir Path tmp) throws Exception {
        // GIVEN a segment directory with a small file and an 11 MiB file (3 parts of at most 5 MiB)
        Path dir = Files.createDirectories(tmp.resolve("seg"));
        Files.writeString(dir.resolve("manifest.json"), "{\"rows\":3}");
        byte[] big = new byte[11 * 1024 * 1024 + 17];
        new Random(7).nextBytes(big);
        Files.write(dir.resolve("vectors.bin"), big);
        // WHEN it is uploaded and downloaded elsewhere
        store.uploadDirectory(dir, "segments/t/c/0/s1/");
        Path back = tmp.resolve("back");
        store.downloadDirectory("segments/t/c/0/s1/", back);
        // THEN both files come back byte for byte and are listed under the prefix
        assertThat(Files.readString(back.resolve("manifest.json"))).isEqualTo("{\"rows\":3}");
        assertThat(Files.readAllBytes(back.resolve("vectors.bin"))).isEqualTo(big);
        assertThat(store.list("segments/t/c/0/s1/"))
                .containsExactlyInAnyOrder("segments/t/c/0/s1/manifest.json", "segments/t/c/0/s1/vectors.bin");
        assertThat(store.head("segments/t/c/0/s1/vectors.bin").size()).isEqualTo(big.length);
    }

    @Test
    void putOpenAndDeletePrefix() throws Exception {
        // GIVEN two objects under a prefix and one outside it
        store.put("rejects/t/c/b1.jsonl", "a\n".getBytes(StandardCharsets.UTF_8), "application/x-ndjson");
        store.put("rejects/t/c/b2.jsonl", "b\n".getBytes(StandardCharsets.UTF_8), "application/x-ndjson");
        store.put("rejects/t/d/b3.jsonl", "c\n".getBytes(StandardCharsets.UTF_8), "application/x-ndjson");
        try (InputStream in = store.open("rejects/t/c/b1.jsonl")) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("a\n");
        }
        // WHEN the prefix is deleted
        store.deletePrefix("rejects/t/c/");
        // THEN only the object outside it is left
        assertThat(store.list("rejects/t/")).containsExactly("rejects/t/d/b3.jsonl");
    }

    @Test
    void userMetadataRoundTrips() {
        store.put("ingest/t/c/a.jsonl", new byte[]{1}, "application/x-ndjson", java.util.Map.of("strata-key-id", "k1"));
        assertThat(store.userMetadata("ingest/t/c/a.jsonl")).containsEntry("strata-key-id", "k1");
    }

    @Test
    void missingObjectIsNotFound() {
        assertThatThrownBy(() -> store.open("nope/x"))
                .isInstanceOfSatisfying(StrataException.NotFound.class,
                        e -> assertThat(e.code()).isEqualTo("object_not_found"))
                .hasMessage("object 'nope/x' does not exist in bucket 'strata-test'");
        assertThatThrownBy(() -> store.head("nope/x")).isInstanceOf(StrataException.NotFound.class);
    }

    @Test
    void crc32cIsBase64OfTheBigEndianValue() {
        // "123456789" has the CRC32C check value 0xE3069283
        ByteBuffer check = ByteBuffer.wrap("123456789".getBytes(StandardCharsets.US_ASCII));
        assertThat(S3SegmentStore.crc32c(check)).isEqualTo(java.util.Base64.getEncoder()
                .encodeToString(new byte[]{(byte) 0xE3, 0x06, (byte) 0x92, (byte) 0x83}));
    }

    @Test
    void tooSmallMultipartThresholdIsRefused() {
        assertThatThrownBy(() -> new S3SegmentStore(s3.client(), "b", 1024))
                .hasMessage("multipartThreshold is 1024; S3 parts must be at least 5 MiB");
    }
}
