package dev.strata.segment;

import dev.strata.api.Document;
import dev.strata.api.Metric;
import dev.strata.api.StrataException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SegmentFormatTest {

    @TempDir
    Path tmp;

    private Path writeSmall() {
        float[][] base = TestVectors.clustered(300, 8, 5, 11);
        Path dir = tmp.resolve("seg");
        SegmentWriter.write(dir, "seg-1", TestVectors.spec(8, Metric.COSINE), TestVectors.documents(base, "d"),
                List.of("gone-1", "gone-2"));
        return dir;
    }

    @Test
    void roundTripKeepsIdsMetadataTextAndTombstones() {
        // GIVEN a written segment
        Path dir = writeSmall();
        // WHEN it is opened
        try (SegmentReader reader = SegmentReader.open(dir)) {
            // THEN every stored field reads back
            assertThat(reader.rowCount()).isEqualTo(300);
            assertThat(reader.id(7)).isEqualTo("d7");
            assertThat(reader.text(7)).isEqualTo("text of d7");
            assertThat(reader.metadata(7)).isEqualTo(Map.of("bucket", 7.0, "parity", "odd"));
            assertThat(reader.tombstoneCount()).isEqualTo(2);
            assertThat(List.of(reader.tombstone(0), reader.tombstone(1))).containsExactly("gone-1", "gone-2");
            assertThat(reader.manifest().formatVersion()).isEqualTo(SegmentManifest.FORMAT_VERSION);
            assertThat(reader.manifest().files()).containsKeys("graph.jvg", "sq.bin", "ids.bin", "columns.bin")
                    .doesNotContainKey("pq.bin");
        }
    }

    @Test
    void aSpecAskingForProductQuantizationGetsPqCodes() {
        // GIVEN a segment written with index.pqSubspaces = 4
        float[][] base = TestVectors.clustered(300, 8, 5, 13);
        Path dir = tmp.resolve("pq");
        SegmentWriter.write(dir, "pq-1", TestVectors.spec(8, Metric.COSINE, 4), TestVectors.documents(base, "d"),
                List.of());
        // WHEN it is opened THEN it holds PQ codes instead of scalar codes, and answers through the graph
        try (SegmentReader reader = SegmentReader.open(dir)) {
            assertThat(reader.manifest().files()).containsKey("pq.bin").doesNotContainKey("sq.bin");
            int[] truth = TestVectors.exactTopK(Metric.COSINE, base, base[3], 1, i -> true);
            assertThat(reader.id(reader.search(base[3], 1, 64, null, SearchPlan.GRAPH).get(0).row()))
                    .isEqualTo("d" + truth[0]);
        }
    }

    @Test
    void manifestChecksumIsTheCrcOfTheManifestFile() throws Exception {
        // GIVEN a written segment
        Path dir = writeSmall();
        // WHEN its manifest is read back
        SegmentManifest m = SegmentManifest.read(dir);
        // THEN checksum() is the CRC32C of the manifest.json bytes
        assertThat(m.checksum()).isEqualTo(SegmentFiles.crc32c(Files.readAllBytes(dir.resolve("manifest.json"))));
    }

    @Test
    void flippedByteFailsTheChecksumAndNamesTheFile() throws Exception {
        // GIVEN a segment whose code file has one byte changed
        Path dir = writeSmall();
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve("sq.bin").toFile(), "rw")) {
            f.seek(100);
            int b = f.read();
            f.seek(100);
            f.write(b ^ 0x5a);
        }
        String expected = SegmentManifest.read(dir).files().get("sq.bin").crc32c();
        // WHEN it is opened THEN it fails clearly, naming the file and both checksums
        assertThatThrownBy(() -> SegmentReader.open(dir))
                .isInstanceOf(SegmentCorruptException.class)
                .hasMessageContaining("sq.bin has CRC32C ")
                .hasMessageContaining("the manifest says " + expected)
                .satisfies(e -> assertThat(((SegmentCorruptException) e).file()).isEqualTo("sq.bin"));
    }

    @Test
    void truncatedGraphFailsOnSize() throws Exception {
        // GIVEN a segment whose graph file lost its last byte
        Path dir = writeSmall();
        Path graph = dir.resolve("graph.jvg");
        long size = Files.size(graph);
        try (RandomAccessFile f = new RandomAccessFile(graph.toFile(), "rw")) {
            f.setLength(size - 1);
        }
        // WHEN it is opened THEN the size mismatch is named
        assertThatThrownBy(() -> SegmentReader.open(dir))
                .isInstanceOf(SegmentCorruptException.class)
                .hasMessageContaining("graph.jvg is " + (size - 1) + " bytes; the manifest says " + size);
    }

    @Test
    void unknownFormatVersionIsRejected() throws Exception {
        // GIVEN a segment whose manifest claims format version 99
        Path dir = writeSmall();
        Path manifest = dir.resolve("manifest.json");
        String json = Files.readString(manifest).replace("\"formatVersion\":1", "\"formatVersion\":99");
        Files.writeString(manifest, json);
        // WHEN it is opened THEN the version is named with the supported one
        assertThatThrownBy(() -> SegmentReader.open(dir))
                .isInstanceOf(SegmentCorruptException.class)
                .hasMessageContaining("has format version 99; this reader reads version 1");
    }

    @Test
    void missingManifestMeansUnfinishedSegment() throws Exception {
        // GIVEN a segment directory without its manifest
        Path dir = writeSmall();
        Files.delete(dir.resolve("manifest.json"));
        // WHEN opened THEN it is reported as corrupt, mapped to the closed error set as segment_corrupt
        assertThatThrownBy(() -> SegmentReader.open(dir))
                .isInstanceOf(SegmentCorruptException.class)
                .hasMessageContaining("has no manifest.json")
                .satisfies(e -> {
                    StrataException se = ((SegmentCorruptException) e).toStrataException();
                    assertThat(se.code()).isEqualTo("segment_corrupt");
                    assertThat(se.httpStatus()).isEqualTo(500);
                });
    }

    @Test
    void badRowsAreRejectedWithTheirPosition() {
        // GIVEN rows with a wrong dimension, a NaN and a zero cosine vector
        var spec = TestVectors.spec(3, Metric.COSINE);
        // WHEN written THEN each names the row, id and value
        assertThatThrownBy(() -> SegmentWriter.write(tmp.resolve("a"), "a", spec,
                List.of(new Document("x", new float[]{1, 2}, null, null)), List.of()))
                .isInstanceOf(StrataException.InvalidRequest.class)
                .hasMessage("rows[0].vector (id 'x') has 2 values; the segment's dimension is 3");
        assertThatThrownBy(() -> SegmentWriter.write(tmp.resolve("b"), "b", spec,
                List.of(new Document("y", new float[]{1, Float.NaN, 2}, null, null)), List.of()))
                .hasMessage("rows[0].vector (id 'y')[1] is NaN; values must be finite numbers");
        assertThatThrownBy(() -> SegmentWriter.write(tmp.resolve("c"), "c", spec,
                List.of(new Document("z", new float[]{0, 0, 0}, null, null)), List.of()))
                .hasMessage("rows[0].vector (id 'z') is all zeros; cosine needs a non-zero vector");
    }

    @Test
    void laterCopyOfAnIdWinsAndTombstoneOnlySegmentsWork() {
        // GIVEN two rows with the same id, and a segment with only tombstones
        var spec = TestVectors.spec(2, Metric.DOT);
        SegmentWriter.write(tmp.resolve("dup"), "dup", spec, List.of(
                new Document("a", new float[]{1, 0}, "first", null),
                new Document("b", new float[]{0, 1}, null, null),
                new Document("a", new float[]{0.5f, 0.5f}, "second", null)), List.of());
        SegmentWriter.write(tmp.resolve("del"), "del", spec, List.of(), List.of("a"));
        // WHEN they are opened
        try (SegmentReader dup = SegmentReader.open(tmp.resolve("dup"));
             SegmentReader del = SegmentReader.open(tmp.resolve("del"))) {
            // THEN the later copy is the only one, and the tombstone segment has no rows
            assertThat(dup.rowCount()).isEqualTo(2);
            assertThat(dup.id(1)).isEqualTo("a");
            assertThat(dup.text(1)).isEqualTo("second");
            assertThat(del.rowCount()).isZero();
            assertThat(del.tombstone(0)).isEqualTo("a");
            assertThat(del.search(new float[]{1, 0}, 10, 10, null)).isEmpty();
        }
    }

    @Test
    void nonEmptyDirectoryIsRefused() throws Exception {
        Path dir = tmp.resolve("busy");
        Files.createDirectories(dir);
        Files.write(dir.resolve("x"), "x".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> SegmentWriter.write(dir, "busy", TestVectors.spec(2, Metric.DOT),
                List.of(new Document("a", new float[]{1, 0}, null, null)), List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not empty");
    }
}
