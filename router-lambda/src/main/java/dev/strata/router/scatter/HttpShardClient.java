package dev.strata.router.scatter;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.api.ShardSearchBinary;
import dev.strata.api.ShardSearchRequest;
import dev.strata.api.ShardSearchResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * Calls shard services over HTTP with the JDK client (keep-alive connection pool, HTTP/1.1, no extra
 * dependency in the Lambda jar): {@code POST {endpoint}/internal/v1/shards/{tenant}/{collection}/{shard}/search}.
 * 409 maps to {@link ShardCallException.Reason#BEHIND}, 404 to {@code NOT_PLACED}, anything else non-2xx to
 * {@code FAILED}.
 *
 * <p>The body is the compact {@link ShardSearchBinary} form (raw floats: printing and parsing hundreds of decimal
 * numbers per call was a large share of a search's CPU on both sides); the answer is read in the form its
 * {@code Content-Type} names. A node that does not read that form (one of an older release, during a rolling
 * deploy) answers 415: the call is sent again as JSON, and that node is called in JSON from then on.
 *
 * <p>An {@code https://} endpoint (a node serving mutual TLS, DESIGN §10) is called with the router's client identity
 * ({@code sslContext}); without one, such a call fails at once with a message saying so. A TLS failure (the node
 * refused the router's certificate, or presented one the router's CA did not sign) is logged as a warning naming
 * the node, and the call fails like any other node failure. Thread-safe.
 */
public final class HttpShardClient implements ShardClient {

    private static final Logger LOG = LoggerFactory.getLogger(HttpShardClient.class);
    private static final String JSON = "application/json";

    private final HttpClient http;
    private final ObjectMapper mapper;
    private final Duration requestTimeout;
    private final boolean tls;
    /** Endpoints that answered 415 to the binary form: called in JSON. */
    private final Set<String> jsonOnly = ConcurrentHashMap.newKeySet();

    /** A client for {@code http://} endpoints only. */
    public HttpShardClient(ObjectMapper mapper, Executor executor, Duration connectTimeout, Duration requestTimeout) {
        this(mapper, executor, connectTimeout, requestTimeout, null);
    }

    /** A client presenting {@code sslContext} to {@code https://} endpoints (null: plain HTTP only). */
    public HttpShardClient(ObjectMapper mapper, Executor executor, Duration connectTimeout, Duration requestTimeout,
                           SSLContext sslContext) {
        this.mapper = mapper;
        this.requestTimeout = requestTimeout;
        this.tls = sslContext != null;
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .executor(executor);
        if (sslContext != null) {
            builder.sslContext(sslContext);
        }
        this.http = builder.build();
    }

    @Override
    public CompletableFuture<ShardSearchResponse> search(ShardTarget target, ShardSearchRequest request,
                                                         Map<String, String> headers) {
        URI uri = URI.create(stripSlash(target.endpoint()) + "/internal/v1/shards/" + enc(target.tenant()) + "/"
                + enc(target.collection()) + "/" + target.shard() + "/search");
        boolean https = "https".equalsIgnoreCase(uri.getScheme());
        if (https && !tls) {
            return CompletableFuture.failedFuture(new ShardCallException(ShardCallException.Reason.FAILED,
                    "shard " + target.shard() + " on node " + target.nodeId() + ": the node serves mutual TLS ("
                            + target.endpoint() + ") but the router has no TLS client identity; set"
                            + " STRATA_TLS_SECRET_ARN or STRATA_TLS_CA_PEM/_CERT_PEM/_KEY_PEM"));
        }
        boolean binary = !jsonOnly.contains(target.endpoint());
        CompletableFuture<HttpResponse<byte[]>> sent;
        try {
            sent = send(uri, request, headers, binary);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(new ShardCallException(ShardCallException.Reason.FAILED,
                    "cannot serialise the shard request: " + e.getMessage(), e));
        }
        if (binary) {
            sent = sent.thenCompose(response -> {
                if (response.statusCode() != 415) {
                    return CompletableFuture.completedFuture(response);
                }
                LOG.info("node {} ({}) does not read {}; calling it in JSON", target.nodeId(), target.endpoint(),
                        ShardSearchBinary.MEDIA_TYPE);
                jsonOnly.add(target.endpoint());
                try {
                    return send(uri, request, headers, false);
                } catch (IOException e) {
                    return CompletableFuture.failedFuture(e);
                }
            });
        }
        return sent.handle((response, error) -> {
            if (error != null) {
                Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                        ? error.getCause() : error;
                ShardCallException.Reason reason = cause instanceof java.net.http.HttpTimeoutException
                        ? ShardCallException.Reason.TIMEOUT : ShardCallException.Reason.FAILED;
                SSLException tlsFailure = https ? sslCause(cause) : null;
                if (tlsFailure != null) {
                    String message = "shard " + target.shard() + " on node " + target.nodeId()
                            + ": TLS handshake with " + target.endpoint() + " failed (" + tlsFailure.getMessage()
                            + "); the node refused the router's client certificate or presented one not"
                            + " signed by the router's CA (strata.tls.*)";
                    LOG.warn(message);
                    throw new ShardCallException(reason, message, cause);
                }
                throw new ShardCallException(reason, "shard " + target.shard() + " on node "
                        + target.nodeId() + ": " + cause, cause);
            }
            return decode(target, response);
        });
    }

    private CompletableFuture<HttpResponse<byte[]>> send(URI uri, ShardSearchRequest request,
                                                         Map<String, String> headers, boolean binary)
            throws IOException {
        byte[] body = binary ? ShardSearchBinary.encodeRequest(request) : mapper.writeValueAsBytes(request);
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .timeout(requestTimeout)
                .header("Content-Type", binary ? ShardSearchBinary.MEDIA_TYPE : JSON)
                .header("Accept", binary ? ShardSearchBinary.MEDIA_TYPE + ", " + JSON : JSON)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(builder::header);
        return http.sendAsync(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private ShardSearchResponse decode(ShardTarget target, HttpResponse<byte[]> response) {
        int status = response.statusCode();
        String where = "shard " + target.shard() + " on node " + target.nodeId();
        if (status == 200) {
            try {
                boolean binary = response.headers().firstValue("Content-Type").map(ShardSearchBinary::isMediaType)
                        .orElse(false);
                return binary ? ShardSearchBinary.decodeResponse(response.body())
                        : mapper.readValue(response.body(), ShardSearchResponse.class);
            } catch (IOException | IllegalArgumentException e) {
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

    private static SSLException sslCause(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SSLException ssl) {
                return ssl;
            }
        }
        return null;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String stripSlash(String endpoint) {
        return endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
    }
}
