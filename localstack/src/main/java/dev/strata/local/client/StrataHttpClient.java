package dev.strata.local.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.api.CollectionSpec;
import dev.strata.api.Document;
import dev.strata.api.SearchRequest;
import dev.strata.api.SearchResponse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A small client of Strata's public HTTP API (DESIGN §7), used by the {@code strata-local} commands, the
 * end-to-end tests and the end-to-end benchmark: it sees only what a user sees. Calls that must succeed throw
 * {@link ApiError} with the status and the error body otherwise; {@link #send} returns any answer as is.
 *
 * <p>Thread-safe (one {@link HttpClient}); nothing to close.
 */
public final class StrataHttpClient {
    public static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final URI base;
    private final String apiKey;
    private final HttpClient http;
    private final Duration timeout;

    public StrataHttpClient(URI base, String apiKey) {
        this(base, apiKey, Duration.ofSeconds(60));
    }

    public StrataHttpClient(URI base, String apiKey, Duration timeout) {
        this.base = base;
        this.apiKey = apiKey;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** The same server with another key (tenant isolation and role tests). */
    public StrataHttpClient withKey(String otherKey) {
        return new StrataHttpClient(base, otherKey, timeout);
    }

    public URI base() {
        return base;
    }

    /** An HTTP answer: status and body text. */
    public record Answer(int status, String body) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("answer is not JSON (status " + status + "): " + body, e);
            }
        }

        /** {@code error.code} of an error answer, or null. */
        public String errorCode() {
            JsonNode code = json().path("error").path("code");
            return code.isMissingNode() ? null : code.asText();
        }

        public String errorMessage() {
            return json().path("error").path("message").asText(null);
        }
    }

    /** A non-2xx answer to a call that should have succeeded. */
    public static final class ApiError extends RuntimeException {
        private final Answer answer;

        public ApiError(String call, Answer answer) {
            super(call + " answered " + answer.status() + ": " + answer.body());
            this.answer = answer;
        }

        public Answer answer() {
            return answer;
        }
    }

    /** Sends a request with the key (when set) and returns the answer whatever its status. */
    public Answer send(String method, String path, Object body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout);
        if (apiKey != null) {
            request.header("Authorization", "Bearer " + apiKey);
        }
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            String text = body instanceof String s ? s : write(body);
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(text));
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + method + " " + path, e);
        }
    }

    public JsonNode health() {
        return ok("GET /health", send("GET", "/health", null)).json();
    }

    public JsonNode createCollection(String name, CollectionSpec spec) {
        return ok("create " + name, send("PUT", "/v1/collections/" + name, spec)).json();
    }

    public JsonNode describeCollection(String name) {
        return ok("describe " + name, send("GET", "/v1/collections/" + name, null)).json();
    }

    public void dropCollection(String name) {
        ok("drop " + name, send("DELETE", "/v1/collections/" + name, null));
    }

    /** Upserts documents; with {@code wait}, returns once applied (the answer holds the version). */
    public JsonNode upsert(String collection, List<Document> documents, boolean wait) {
        return ok("upsert into " + collection, send("POST", "/v1/collections/" + collection + "/documents"
                + (wait ? "?wait=true" : ""), Map.of("documents", documents))).json();
    }

    public JsonNode delete(String collection, List<String> ids, boolean wait) {
        return ok("delete from " + collection, send("POST", "/v1/collections/" + collection + "/documents/delete"
                + (wait ? "?wait=true" : ""), Map.of("ids", ids))).json();
    }

    public JsonNode batch(String collection, String batchId) {
        return ok("batch " + batchId, send("GET", "/v1/collections/" + collection + "/batches/" + batchId, null)).json();
    }

    public SearchResponse search(String collection, SearchRequest request) {
        Answer answer = ok("search " + collection, send("POST", "/v1/collections/" + collection + "/search", request));
        try {
            return JSON.readValue(answer.body(), SearchResponse.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("search answer is not a SearchResponse: " + answer.body(), e);
        }
    }

    public static SearchRequest vectorQuery(float[] vector, int k) {
        return new SearchRequest(vector, null, k, null, null, null, null, null);
    }

    public static SearchRequest textQuery(String text, int k, List<String> include) {
        return new SearchRequest(null, text, k, null, include, null, null, null);
    }

    private static Answer ok(String call, Answer answer) {
        if (answer.status() / 100 != 2) {
            throw new ApiError(call, answer);
        }
        return answer;
    }

    static String write(Object body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write request body: " + e.getMessage(), e);
        }
    }
}
