package dev.strata.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The compact body of the shard search between router and shard service, {@value #MEDIA_TYPE}: the same
 * {@link ShardSearchRequest} and {@link ShardSearchResponse} as the JSON form, with the query vector as raw floats
 * instead of hundreds of decimal numbers. JSON stays supported; the form is chosen by {@code Content-Type}, and a
 * shard service answers in the form it was asked in. Errors are never binary: they stay the JSON error body.
 *
 * <p>Layout, version 1. Every number is little-endian; {@code i32}/{@code i64} are two's complement, {@code f32} is
 * IEEE 754 binary32; a "string" is an {@code i32} byte length then that many UTF-8 bytes, length -1 meaning null;
 * a "JSON" field is a string holding a JSON object. Nothing follows the last field.
 *
 * <pre>
 * request                                     response
 * 0  u8   'S'                                 0  u8   'S'
 * 1  u8   'Q'                                 1  u8   'A'
 * 2  u8   version (1)                         2  u8   version (1)
 * 3  u8   flags: bit 0 includeMetadata,       3  u8   flags (0)
 *         bit 1 includeText, bit 2 searchWidth 4  i64  version applied
 *         present, bit 3 minVersion present;   12 i64  lagMs
 *         other bits 0                        20 string node
 * 4  i32  k                                   .. i32  hit count h (0..{@value Limits#MAX_K})
 * 8  i32  searchWidth (bit 2, else 0)         .. h x hit:
 * 12 i64  minVersion (bit 3, else 0)                string id
 * 20 i32  dimension n (-1: no vector)               f32    score
 * 24 f32  x n vector                                JSON   metadata (-1: none)
 * .. JSON filter (-1: none)                         string text (-1: none)
 * </pre>
 *
 * <p>Values are carried as given: the ranges of {@code k}, {@code searchWidth} and the vector are checked by the
 * shard service exactly as for JSON, so both forms answer the same errors. A body that does not follow the layout
 * (wrong magic or version, a length past the end, trailing bytes, a filter that is not a JSON object) fails with
 * {@link StrataException.InvalidRequest} naming the field. Stateless and thread-safe.
 */
public final class ShardSearchBinary {

    /** The media type of this form. */
    public static final String MEDIA_TYPE = "application/x-strata-search";
    /** The version this class writes and reads. */
    public static final int VERSION = 1;

    private static final int FLAG_METADATA = 1;
    private static final int FLAG_TEXT = 2;
    private static final int FLAG_WIDTH = 4;
    private static final int FLAG_MIN_VERSION = 8;
    private static final int REQUEST_HEADER = 24;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {};
    private static final String REQUEST_INVALID = "request body is not valid (" + MEDIA_TYPE + "): ";
    private static final String RESPONSE_INVALID = "shard search response is not valid (" + MEDIA_TYPE + "): ";

    private ShardSearchBinary() {}

    /** True when {@code contentType} (a header value, parameters allowed, any case) names this form. */
    public static boolean isMediaType(CharSequence contentType) {
        if (contentType == null) {
            return false;
        }
        String value = contentType.toString();
        int end = value.indexOf(';');
        return (end < 0 ? value : value.substring(0, end)).trim().equalsIgnoreCase(MEDIA_TYPE);
    }

    /** Encodes a request (the vector may be null, which the shard service refuses as it does for JSON). */
    public static byte[] encodeRequest(ShardSearchRequest request) {
        float[] vector = request.vector();
        byte[] filter = request.filter() == null ? null : json(request.filter());
        int size = REQUEST_HEADER + (vector == null ? 0 : 4 * vector.length) + 4 + (filter == null ? 0 : filter.length);
        ByteBuffer out = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        int flags = (request.includeMetadata() ? FLAG_METADATA : 0) | (request.includeText() ? FLAG_TEXT : 0)
                | (request.searchWidth() != null ? FLAG_WIDTH : 0) | (request.minVersion() != null ? FLAG_MIN_VERSION : 0);
        out.put((byte) 'S').put((byte) 'Q').put((byte) VERSION).put((byte) flags);
        out.putInt(request.k());
        out.putInt(request.searchWidth() == null ? 0 : request.searchWidth());
        out.putLong(request.minVersion() == null ? 0 : request.minVersion());
        if (vector == null) {
            out.putInt(-1);
        } else {
            out.putInt(vector.length);
            out.asFloatBuffer().put(vector);
            out.position(out.position() + 4 * vector.length);
        }
        putBytes(out, filter);
        return out.array();
    }

    /**
     * Decodes a request from the buffer's remaining bytes (its position moves to the end; its byte order is left as
     * it was).
     *
     * @throws StrataException.InvalidRequest when the body does not follow the layout
     */
    public static ShardSearchRequest decodeRequest(ByteBuffer body) {
        ByteBuffer in = body.slice().order(ByteOrder.LITTLE_ENDIAN);
        body.position(body.limit());
        try {
            return readRequest(in);
        } catch (BufferUnderflowException e) {
            throw new StrataException.InvalidRequest(REQUEST_INVALID + "it ends before its last field");
        } catch (Malformed e) {
            throw new StrataException.InvalidRequest(REQUEST_INVALID + e.getMessage());
        }
    }

    private static ShardSearchRequest readRequest(ByteBuffer in) {
        if (in.remaining() < REQUEST_HEADER) {
            throw invalid("it has " + in.remaining() + " bytes; the header alone has " + REQUEST_HEADER);
        }
        magic(in, 'S', 'Q', "request");
        int flags = in.get() & 0xff;
        if ((flags & ~(FLAG_METADATA | FLAG_TEXT | FLAG_WIDTH | FLAG_MIN_VERSION)) != 0) {
            throw invalid("flags are 0x" + Integer.toHexString(flags) + "; only bits 0..3 are defined");
        }
        int k = in.getInt();
        int width = in.getInt();
        long minVersion = in.getLong();
        int dimension = in.getInt();
        float[] vector = null;
        if (dimension != -1) {
            if (dimension < 0 || dimension > Limits.MAX_DIMENSION || 4L * dimension > in.remaining()) {
                throw invalid("vector dimension is " + dimension + "; it must be between 0 and "
                        + Limits.MAX_DIMENSION + " and fit the " + in.remaining() + " bytes left");
            }
            vector = new float[dimension];
            in.asFloatBuffer().get(vector);
            in.position(in.position() + 4 * dimension);
        }
        byte[] filterJson = bytes(in, "filter");
        Map<String, Object> filter = filterJson == null ? null : object(filterJson, "filter");
        if (in.hasRemaining()) {
            throw invalid(in.remaining() + " bytes follow the filter; the body must end there");
        }
        return new ShardSearchRequest(vector, k, (flags & FLAG_WIDTH) != 0 ? width : null, filter,
                (flags & FLAG_METADATA) != 0, (flags & FLAG_TEXT) != 0,
                (flags & FLAG_MIN_VERSION) != 0 ? minVersion : null);
    }

    /** Encodes a response. */
    public static byte[] encodeResponse(ShardSearchResponse response) {
        List<Match> hits = response.hits() == null ? List.of() : response.hits();
        byte[] node = utf8(response.node());
        byte[][] ids = new byte[hits.size()][];
        byte[][] metadata = new byte[hits.size()][];
        byte[][] texts = new byte[hits.size()][];
        int size = 4 + 8 + 8 + 4 + length(node) + 4;
        for (int i = 0; i < ids.length; i++) {
            Match hit = hits.get(i);
            ids[i] = utf8(hit.id());
            metadata[i] = hit.metadata() == null ? null : json(hit.metadata());
            texts[i] = utf8(hit.text());
            size += 4 + length(ids[i]) + 4 + 4 + length(metadata[i]) + 4 + length(texts[i]);
        }
        ByteBuffer out = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        out.put((byte) 'S').put((byte) 'A').put((byte) VERSION).put((byte) 0);
        out.putLong(response.version()).putLong(response.lagMs());
        putBytes(out, node);
        out.putInt(ids.length);
        for (int i = 0; i < ids.length; i++) {
            putBytes(out, ids[i]);
            out.putFloat(hits.get(i).score());
            putBytes(out, metadata[i]);
            putBytes(out, texts[i]);
        }
        return out.array();
    }

    /**
     * Decodes a response.
     *
     * @throws IllegalArgumentException when the body does not follow the layout (the node sent a broken answer)
     */
    public static ShardSearchResponse decodeResponse(byte[] body) {
        ByteBuffer in = ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN);
        try {
            magic(in, 'S', 'A', "response");
            in.get(); // flags: none defined
            long version = in.getLong();
            long lagMs = in.getLong();
            String node = string(in, "node");
            int count = in.getInt();
            if (count < 0 || count > Limits.MAX_K) {
                throw invalid("hit count is " + count + "; it must be between 0 and " + Limits.MAX_K);
            }
            List<Match> hits = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                String id = string(in, "hits[" + i + "].id");
                float score = in.getFloat();
                byte[] metadata = bytes(in, "hits[" + i + "].metadata");
                String text = string(in, "hits[" + i + "].text");
                hits.add(new Match(id, score, metadata == null ? null : object(metadata, "hits[" + i + "].metadata"),
                        text));
            }
            if (in.hasRemaining()) {
                throw invalid(in.remaining() + " bytes follow the last hit; the body must end there");
            }
            return new ShardSearchResponse(hits, version, lagMs, node);
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException(RESPONSE_INVALID + "it ends before its last field");
        } catch (Malformed e) {
            throw new IllegalArgumentException(RESPONSE_INVALID + e.getMessage());
        }
    }

    private static void magic(ByteBuffer in, char first, char second, String what) {
        int a = in.get() & 0xff;
        int b = in.get() & 0xff;
        int version = in.get() & 0xff;
        if (a != first || b != second) {
            throw invalid("it starts with 0x" + Integer.toHexString(a) + " 0x" + Integer.toHexString(b) + "; a "
                    + MEDIA_TYPE + " " + what + " starts with '" + first + second + "'");
        }
        if (version != VERSION) {
            throw invalid("version is " + version + "; this node reads version " + VERSION);
        }
    }

    private static byte[] bytes(ByteBuffer in, String field) {
        int length = in.getInt();
        if (length == -1) {
            return null;
        }
        if (length < 0 || length > in.remaining()) {
            throw invalid(field + " length is " + length + "; " + in.remaining() + " bytes are left");
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        return bytes;
    }

    private static String string(ByteBuffer in, String field) {
        byte[] bytes = bytes(in, field);
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    private static Map<String, Object> object(byte[] json, String field) {
        try {
            Map<String, Object> value = JSON.readValue(json, OBJECT);
            if (value == null) {
                throw invalid(field + " is JSON null; it must be a JSON object");
            }
            return value;
        } catch (java.io.IOException e) {
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            int end = message.indexOf('\n');
            throw invalid(field + " is not a JSON object: " + (end < 0 ? message : message.substring(0, end)));
        }
    }

    private static void putBytes(ByteBuffer out, byte[] bytes) {
        if (bytes == null) {
            out.putInt(-1);
        } else {
            out.putInt(bytes.length).put(bytes);
        }
    }

    private static int length(byte[] bytes) {
        return bytes == null ? 0 : bytes.length;
    }

    private static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] json(Map<String, Object> value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + value + " as JSON: " + e.getMessage(), e);
        }
    }

    private static Malformed invalid(String detail) {
        return new Malformed(detail);
    }

    /** A body off the layout; the detail names the field. Becomes a 400 (request) or a broken answer (response). */
    private static final class Malformed extends RuntimeException {
        Malformed(String detail) {
            super(detail, null, false, false);
        }
    }
}
