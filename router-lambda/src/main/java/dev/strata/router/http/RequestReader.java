package dev.strata.router.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.strata.api.StrataException;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.util.stream.Collectors;

/**
 * Parses request bodies strictly: unknown fields, wrong types and malformed JSON become
 * {@link StrataException.InvalidRequest} with a message naming the field. Controllers take raw bytes and call this,
 * so the Lambda and the Netty paths reject bad bodies identically. Thread-safe.
 */
@Singleton
public final class RequestReader {

    private final ObjectMapper strict;

    public RequestReader(ObjectMapper mapper) {
        this.strict = mapper.copy()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /** The body as {@code type}; {@code what} names it in messages ("search request"). */
    public <T> T read(byte[] body, Class<T> type, String what) {
        if (body == null || body.length == 0) {
            throw new StrataException.InvalidRequest("the " + what + " body is empty; a JSON object is required");
        }
        try {
            T value = strict.readValue(body, type);
            if (value == null) {
                throw new StrataException.InvalidRequest("the " + what + " body is null; a JSON object is required");
            }
            return value;
        } catch (UnrecognizedPropertyException e) {
            String known = e.getKnownPropertyIds() == null ? "" : e.getKnownPropertyIds().stream()
                    .map(String::valueOf).sorted().collect(Collectors.joining(", "));
            throw new StrataException.InvalidRequest("unknown_field", "unknown field '" + path(e) + "' in the "
                    + what + "; known fields: " + known);
        } catch (MismatchedInputException e) {
            throw new StrataException.InvalidRequest("field '" + path(e) + "' of the " + what
                    + " has the wrong type: " + e.getOriginalMessage());
        } catch (JsonMappingException e) {
            Throwable cause = e.getCause();
            while (cause != null) {
                if (cause instanceof StrataException se) {
                    throw se;
                }
                cause = cause.getCause();
            }
            throw new StrataException.InvalidRequest("field '" + path(e) + "' of the " + what + " is invalid: "
                    + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw new StrataException.InvalidRequest("malformed_json", "the " + what + " is not valid JSON: "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw new StrataException.InvalidRequest("malformed_json", "the " + what + " cannot be read: "
                    + e.getMessage());
        }
    }

    /** Writes a value as compact JSON with the shared mapper. */
    public byte[] write(Object value) {
        try {
            return strict.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new StrataException.Internal("serialisation_failed", "cannot serialise "
                    + value.getClass().getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }

    /** The shared strict mapper (read-only use). */
    public ObjectMapper mapper() {
        return strict;
    }

    private static String path(JsonMappingException e) {
        String p = e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."));
        return p.replace(".[", "[");
    }
}
