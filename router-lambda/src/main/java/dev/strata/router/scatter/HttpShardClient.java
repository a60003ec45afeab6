package dev.strata.router.scatter;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.api.ShardSearchRequest;
import dev.strata.api.ShardSearchResponse;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Calls shard services over HTTP with the JDK client (keep-alive connection pool, HTTP/1.1, no extra
 * dependency in the Lambda jar): {@code POST {endpoint}/internal/v1/shards/{tenant}/{collection}/{shard}/search}.
 * 409 maps to {@link ShardCallException.Reason#BEHIND}, 404 to {@code NOT_PLACED}, anything else non-2xx to
 * {@code FAILED}. Thread-safe.
 */
public final class HttpShardClient implements ShardClient {

    private final HttpClient http;
    private final ObjectMapper mapper;
    private final Duration requestTimeout;

    public HttpShardClient(ObjectMapper mapper, Executor executor, Duration connectTimeout, Duration requestTimeout) {
        this.mapper = mapper;
        this.requestTimeout = requestTimeout;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .executor(executor)
                .build();
    }

    @Override
    public CompletableFuture<ShardSearchResponse> search(ShardTarget target, ShardSearchRequest request,
                                                         Map<String, String> headers) {
        byte[] body;
        try {
            body = mapper.writeValueAsBytes(request);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(new ShardCallException(ShardCallException.Reason.FAILED,
                    "cannot serialise the shard request: " + e.getMessage(), e));
        }
        URI uri = URI.create(stripSlash(target.endpoint()) + "/internal/v1/shards/" + enc(target.tenant()) + "/"
                + enc(target.collection()) + "/" + target.shard() + "/search");
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .timeout(requestTimeout)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(builder::header);
        return http.sendAsync(builder.build(), HttpResponse.BodyHandlers.ofByteArray())
                .handle((response, error) -> {
                    if (error != null) {
                        Throwable cause = error.getCause() != null ? error.getCause() : error;
                        ShardCallException.Reason reason = cause instanceof java.net.http.HttpTimeoutException
                                ? ShardCallException.Reason.TIMEOUT : ShardCallException.Reason.FAILED;
                        throw new ShardCallException(reason, "shard " + target.shard() + " on node "
                                + target.nodeId() + ": " + cause, cause);
                    }
                    return decode(target, response);
                });
    }

    private ShardSearchResponse decode(ShardTarget target, HttpResponse<byte[]> response) {
        int status = response.statusCode();
        String where = "shard " + target.shard() + " on node " + target.nodeId();
        if (status == 200) {
            try {
                return mapper.readValue(response.body(), ShardSearchResponse.class);
            } catch (IOException e) {
                throw new ShardCallException(ShardCallException.Reason.FAILED, where + " sent an unreadable answer: "
                        + e.getMessage(), e);
            }
        }
        String text = new String(response.body(), StandardCharsets.UTF_8);
        ShardCallException.Reason reason = switch (status) {
            case 409 -> ShardCallException.Reason.BEHIND;
            case 404 -> ShardCallException.Reason.NOT_PLACED;
            default -> ShardCallException.Reason.FAILED;
        };
        throw new ShardCallException(reason, where + " answered " + status + ": "
                + text.substring(0, Math.min(300, text.length())));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String stripSlash(String endpoint) {
        return endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
    }
}
