package dev.strata.local.chaos;

import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Injects AWS service errors at the HTTP layer of SDK clients, so the SDK's own retry policy and the code above
 * it see exactly what S3 or DynamoDB would send under stress: a 500 {@code InternalError}. While armed, every
 * {@code everyNth} request matching the predicate fails, alternately
 * <ul>
 *   <li>{@link Mode#BEFORE}: the request never reaches the server;</li>
 *   <li>{@link Mode#AFTER}: the server applies it but the answer is lost and replaced by the error (the case that
 *       tests idempotency: a retried commit must not apply twice).</li>
 * </ul>
 * Disarmed, the wrapper adds nothing. Thread-safe.
 */
public final class FaultInjector {
    /** Which side of the server the injected error sits on. */
    public enum Mode { BEFORE, AFTER }

    /** The wire dialect of the error body. */
    public enum Service { S3, DYNAMODB }

    private volatile Predicate<SdkHttpRequest> matching = r -> false;
    private volatile int everyNth = 1;
    private final AtomicLong seen = new AtomicLong();
    private final AtomicLong injected = new AtomicLong();

    /** Fails every {@code nth} request that {@code which} accepts. */
    public void arm(int nth, Predicate<SdkHttpRequest> which) {
        if (nth < 1) {
            throw new IllegalArgumentException("nth is " + nth + "; it must be at least 1");
        }
        seen.set(0);
        everyNth = nth;
        matching = which;
    }

    public void disarm() {
        matching = r -> false;
    }

    /** Errors injected so far. */
    public long injected() {
        return injected.get();
    }

    /** Requests that write: S3 PUT/POST, and DynamoDB calls whose target is a write or a transaction. */
    public static Predicate<SdkHttpRequest> writes() {
        return r -> {
            String target = r.firstMatchingHeader("X-Amz-Target").orElse("");
            if (!target.isEmpty()) {
                return target.contains("Put") || target.contains("Update") || target.contains("Transact")
                        || target.contains("Delete") || target.contains("BatchWrite");
            }
            return r.method().name().equals("PUT") || r.method().name().equals("POST");
        };
    }

    /** Wraps an HTTP client of the SDK. */
    public SdkHttpClient wrap(SdkHttpClient delegate, Service service) {
        return new SdkHttpClient() {
            @Override
            public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
                ExecutableHttpRequest real = delegate.prepareRequest(request);
                if (!matching.test(request.httpRequest()) || seen.incrementAndGet() % everyNth != 0) {
                    return real;
                }
                long n = injected.incrementAndGet();
                Mode mode = n % 2 == 1 ? Mode.BEFORE : Mode.AFTER;
                return new ExecutableHttpRequest() {
                    @Override
                    public HttpExecuteResponse call() throws IOException {
                        if (mode == Mode.AFTER) {
                            HttpExecuteResponse applied = real.call();
                            applied.responseBody().ifPresent(body -> {
                                try {
                                    body.readAllBytes();
                                    body.close();
                                } catch (IOException e) {
                                    // The answer is thrown away anyway: only the server-side effect matters.
                                }
                            });
                        }
                        return error(service);
                    }

                    @Override
                    public void abort() {
                        real.abort();
                    }
                };
            }

            @Override
            public void close() {
                delegate.close();
            }

            @Override
            public String clientName() {
                return "FaultInjecting-" + delegate.clientName();
            }
        };
    }

    private static HttpExecuteResponse error(Service service) {
        String body = service == Service.S3
                ? "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>InternalError</Code>"
                  + "<Message>injected fault</Message></Error>"
                : "{\"__type\":\"com.amazonaws.dynamodb.v20120810#InternalServerError\",\"message\":\"injected fault\"}";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        SdkHttpResponse response = SdkHttpResponse.builder().statusCode(500)
                .putHeader("Content-Type", service == Service.S3 ? "application/xml" : "application/x-amz-json-1.0")
                .putHeader("Content-Length", Integer.toString(bytes.length))
                .build();
        return HttpExecuteResponse.builder().response(response)
                .responseBody(AbortableInputStream.create(new ByteArrayInputStream(bytes))).build();
    }
}
