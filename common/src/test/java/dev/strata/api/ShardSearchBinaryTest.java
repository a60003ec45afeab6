package dev.strata.api;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ShardSearchBinaryTest {

    private static final ShardSearchRequest FULL = new ShardSearchRequest(new float[] {0.25f, -1.5f, Float.MIN_VALUE, 3e8f},
            7, 96, Map.of("lang", "en", "year", Map.of("$gte", 2020)), true, true, 42L);

    @Test
    void requestWithEveryFieldRoundTrips() {
        // GIVEN a request using every field WHEN encoded and decoded
        ShardSearchRequest back = ShardSearchBinary.decodeRequest(ByteBuffer.wrap(ShardSearchBinary.encodeRequest(FULL)));
        // THEN every value is the same, floats bit for bit
        assertThat(back.vector()).containsExactly(FULL.vector());
        assertThat(back.k()).isEqualTo(7);
        assertThat(back.searchWidth()).isEqualTo(96);
        assertThat(back.minVersion()).isEqualTo(42L);
        assertThat(back.filter()).isEqualTo(FULL.filter());
        assertThat(back.includeMetadata()).isTrue();
        assertThat(back.includeText()).isTrue();
    }

    @Test
    void absentOptionalFieldsStayAbsent() {
        // GIVEN a request with no width, minVersion, filter or includes, and a k out of range (checked by the service)
        ShardSearchRequest bare = new ShardSearchRequest(new float[] {1, 2}, 5000, null, null, false, false, null);
        // WHEN round-tripped
        ShardSearchRequest back = ShardSearchBinary.decodeRequest(ByteBuffer.wrap(ShardSearchBinary.encodeRequest(bare)));
        // THEN the absent ones are null/false and k is carried as given
        assertThat(back.searchWidth()).isNull();
        assertThat(back.minVersion()).isNull();
        assertThat(back.filter()).isNull();
        assertThat(back.includeMetadata()).isFalse();
        assertThat(back.includeText()).isFalse();
        assertThat(back.k()).isEqualTo(5000);
    }

    @Test
    void aMissingVectorDecodesAsNullAndNaNIsCarried() {
        ShardSearchRequest none = new ShardSearchRequest(null, 3, null, null, false, false, null);
        assertThat(ShardSearchBinary.decodeRequest(ByteBuffer.wrap(ShardSearchBinary.encodeRequest(none))).vector()).isNull();
        ShardSearchRequest nan = new ShardSearchRequest(new float[] {Float.NaN}, 3, null, null, false, false, null);
        assertThat(ShardSearchBinary.decodeRequest(ByteBuffer.wrap(ShardSearchBinary.encodeRequest(nan))).vector()[0]).isNaN();
    }

    @Test
    void layoutIsLittleEndianAsDocumented() {
        // GIVEN a request of k 7, width 96, minVersion 42 and a 4-value vector
        ByteBuffer bytes = ByteBuffer.wrap(ShardSearchBinary.encodeRequest(FULL)).order(ByteOrder.LITTLE_ENDIAN);
        // THEN the fields sit at the documented offsets
        assertThat(bytes.get(0)).isEqualTo((byte) 'S');
        assertThat(bytes.get(1)).isEqualTo((byte) 'Q');
        assertThat(bytes.get(2)).isEqualTo((byte) 1);
        assertThat(bytes.get(3)).isEqualTo((byte) 0b1111);
        assertThat(bytes.getInt(4)).isEqualTo(7);
        assertThat(bytes.getInt(8)).isEqualTo(96);
        assertThat(bytes.getLong(12)).isEqualTo(42);
        assertThat(bytes.getInt(20)).isEqualTo(4);
        assertThat(bytes.getFloat(24)).isEqualTo(0.25f);
        assertThat(bytes.getFloat(28)).isEqualTo(-1.5f);
    }

    @Test
    void decodingReadsTheBuffersRemainingBytesOnly() {
        // GIVEN an encoded request inside a larger buffer, after a prefix
        byte[] encoded = ShardSearchBinary.encodeRequest(FULL);
        ByteBuffer framed = ByteBuffer.allocate(encoded.length + 10);
        framed.position(10);
        framed.put(encoded).position(10);
        // WHEN decoded THEN it reads from the position to the limit and consumes it
        assertThat(ShardSearchBinary.decodeRequest(framed).k()).isEqualTo(7);
        assertThat(framed.hasRemaining()).isFalse();
    }

    @Test
    void truncatedRequestIsRejectedAtEveryLength() {
        // GIVEN every proper prefix of a valid body WHEN decoded THEN each is a 400 saying the body is not valid
        byte[] encoded = ShardSearchBinary.encodeRequest(FULL);
        for (int length = 0; length < encoded.length; length++) {
            ByteBuffer prefix = ByteBuffer.wrap(Arrays.copyOf(encoded, length));
            assertThatThrownBy(() -> ShardSearchBinary.decodeRequest(prefix)).as("prefix of %d bytes", length)
                    .isInstanceOfSatisfying(StrataException.InvalidRequest.class, e -> {
                        assertThat(e.httpStatus()).isEqualTo(400);
                        assertThat(e.getMessage()).startsWith("request body is not valid (application/x-strata-search)");
                    });
        }
    }

    @Test
    void trailingBytesAreRejected() {
        byte[] encoded = ShardSearchBinary.encodeRequest(FULL);
        ByteBuffer longer = ByteBuffer.wrap(Arrays.copyOf(encoded, encoded.length + 3));
        assertThatThrownBy(() -> ShardSearchBinary.decodeRequest(longer))
                .isInstanceOf(StrataException.InvalidRequest.class)
                .hasMessageContaining("3 bytes follow the filter");
    }

    @Test
    void wrongMagicVersionFlagsOrDimensionAreRejectedNamingTheField() {
        byte[] encoded = ShardSearchBinary.encodeRequest(FULL);
        assertRejected(with(encoded, 0, (byte) '{'), "starts with 0x7b 0x51");
        assertRejected(with(encoded, 2, (byte) 2), "version is 2; this node reads version 1");
        assertRejected(with(encoded, 3, (byte) 0x30), "flags are 0x30");
        byte[] huge = encoded.clone();
        ByteBuffer.wrap(huge).order(ByteOrder.LITTLE_ENDIAN).putInt(20, 1_000_000);
        assertRejected(huge, "vector dimension is 1000000; it must be between 0 and 4096");
    }

    @Test
    void filterThatIsNotAJsonObjectIsRejected() {
        // GIVEN a body whose filter field holds a JSON array
        byte[] filter = "[1,2]".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ByteBuffer body = ByteBuffer.allocate(24 + 4 + 4 + filter.length).order(ByteOrder.LITTLE_ENDIAN);
        body.put((byte) 'S').put((byte) 'Q').put((byte) 1).put((byte) 0).putInt(5).putInt(0).putLong(0)
                .putInt(1).putFloat(1f).putInt(filter.length).put(filter);
        // WHEN decoded THEN the error names the filter
        assertRejected(body.array(), "filter is not a JSON object");
    }

    @Test
    void responseRoundTripsWithMetadataTextAndNulls() {
        // GIVEN a response with a hit carrying metadata and text and one carrying neither
        ShardSearchResponse response = new ShardSearchResponse(List.of(
                new Match("doc-1", 0.875f, Map.of("lang", "en", "n", 3), "héllo"),
                new Match("doc-2", -0.5f, null, null)), 9, 120, "node-a");
        // WHEN round-tripped
        ShardSearchResponse back = ShardSearchBinary.decodeResponse(ShardSearchBinary.encodeResponse(response));
        // THEN it is equal, field by field
        assertThat(back).isEqualTo(response);
    }

    @Test
    void brokenResponseIsAnIllegalArgumentNamingTheField() {
        ShardSearchResponse response = new ShardSearchResponse(List.of(new Match("a", 1f, null, null)), 1, 0, "n");
        byte[] encoded = ShardSearchBinary.encodeResponse(response);
        assertThatThrownBy(() -> ShardSearchBinary.decodeResponse(Arrays.copyOf(encoded, encoded.length - 2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("shard search response is not valid");
        byte[] json = "{\"hits\":[]}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThatThrownBy(() -> ShardSearchBinary.decodeResponse(json))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("starts with 0x7b");
    }

    @Test
    void mediaTypeIsRecognisedWithParametersAndAnyCase() {
        assertThat(ShardSearchBinary.isMediaType("application/x-strata-search")).isTrue();
        assertThat(ShardSearchBinary.isMediaType("Application/X-Strata-Search; v=1")).isTrue();
        assertThat(ShardSearchBinary.isMediaType("application/json")).isFalse();
        assertThat(ShardSearchBinary.isMediaType(null)).isFalse();
    }

    private static byte[] with(byte[] encoded, int offset, byte value) {
        byte[] copy = encoded.clone();
        copy[offset] = value;
        return copy;
    }

    private static void assertRejected(byte[] body, String message) {
        assertThatThrownBy(() -> ShardSearchBinary.decodeRequest(ByteBuffer.wrap(body)))
                .isInstanceOf(StrataException.InvalidRequest.class)
                .hasMessageContaining(message);
    }
}
