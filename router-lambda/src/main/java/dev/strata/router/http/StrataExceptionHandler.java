package dev.strata.router.http;

import dev.strata.api.ErrorResponse;
import dev.strata.api.StrataException;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one mapping of Strata's closed error set to HTTP: status from {@link StrataException#httpStatus()}, body
 * {@code {"error":{"code","message"}}}, and {@code Retry-After} for 429.
 */
@Singleton
@Produces
@Requires(classes = {StrataException.class, ExceptionHandler.class})
public final class StrataExceptionHandler implements ExceptionHandler<StrataException, HttpResponse<ErrorResponse>> {

    private static final Logger LOG = LoggerFactory.getLogger(StrataExceptionHandler.class);

    @Override
    public HttpResponse<ErrorResponse> handle(HttpRequest request, StrataException e) {
        return toResponse(e);
    }

    /** The response for an error; also used by the other handlers of this package. */
    public static MutableHttpResponse<ErrorResponse> toResponse(StrataException e) {
        if (e.httpStatus() >= 500) {
            LOG.warn("request failed: {} {}", e.code(), e.getMessage(), e.getCause());
        }
        MutableHttpResponse<ErrorResponse> response = HttpResponse.<ErrorResponse>status(HttpStatus.valueOf(e.httpStatus()))
                .body(e.toResponse());
        if (e instanceof StrataException.RateLimited limited) {
            response.header("Retry-After", Long.toString(limited.retryAfterSeconds()));
        }
        return response;
    }
}
