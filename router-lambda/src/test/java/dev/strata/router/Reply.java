package dev.strata.router;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;

/** An HTTP answer as a test sees it: status, headers (lower-case names) and body. */
record Reply(int status, Map<String, String> headers, String body) {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    JsonNode json() {
        try {
            return MAPPER.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON (" + status + "): " + body, e);
        }
    }

    String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    String errorCode() {
        return json().path("error").path("code").asText();
    }

    String errorMessage() {
        return json().path("error").path("message").asText();
    }
}
