package dev.strata.ingest;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonlLinesTest {

    private static List<JsonlLines.Line> readAll(byte[] bytes, boolean gzip, long maxLines, long maxBytes, int maxLine)
            throws IOException {
        List<JsonlLines.Line> out = new ArrayList<>();
        try (JsonlLines lines = new JsonlLines(new ByteArrayInputStream(bytes), gzip, maxLines, maxBytes, maxLine)) {
            for (JsonlLines.Line l = lines.next(); l != null; l = lines.next()) {
                out.add(l);
            }
        }
        return out;
    }

    static byte[] gzip(String s) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(s.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    @Test
    void gzipLinesAreNumberedSkippingBlanks() throws IOException {
        List<JsonlLines.Line> lines = readAll(gzip("a\n\nb\nc"), true, 10, 1000, 100);
        assertThat(lines).extracting(JsonlLines.Line::number, JsonlLines.Line::text)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, "a"), org.assertj.core.groups.Tuple.tuple(3, "b"),
                        org.assertj.core.groups.Tuple.tuple(4, "c"));
    }

    @Test
    void overlongLineIsFlaggedAlone() throws IOException {
        List<JsonlLines.Line> lines = readAll("short\n0123456789ABC\nok\n".getBytes(StandardCharsets.UTF_8),
                false, 10, 1000, 10);
        assertThat(lines.get(1).tooLong()).isTrue();
        assertThat(lines.get(1).bytes()).isEqualTo(13);
        assertThat(lines.get(2).text()).isEqualTo("ok");
    }

    @Test
    void tooManyLinesStopsTheRead() {
        assertThatThrownBy(() -> readAll("a\nb\nc\n".getBytes(StandardCharsets.UTF_8), false, 2, 1000, 10))
                .isInstanceOf(JsonlLines.LimitExceeded.class)
                .hasMessage("object has more than 2 lines; at most 2 are allowed per ingest object");
    }

    @Test
    void tooManyBytesStopsTheRead() {
        assertThatThrownBy(() -> readAll("aaaa\nbbbb\n".getBytes(StandardCharsets.UTF_8), false, 10, 6, 10))
                .isInstanceOf(JsonlLines.LimitExceeded.class)
                .hasMessage("object has more than 6 bytes uncompressed; at most 6 are allowed per ingest object");
    }
}
