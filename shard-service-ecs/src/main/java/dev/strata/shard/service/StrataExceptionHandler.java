package dev.strata.shard.service;

import dev.strata.api.ErrorResponse;
import dev.strata.api.StrataException;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Maps Strata's closed error set to its status and {@code {"error":{"code","message"}}}. */
@Produces
@Singleton
@Requires(classes = {StrataException.class, ExceptionHandler.class})
final class StrataExceptionHandler implements ExceptionHandler<StrataException, HttpResponse<ErrorResponse>> {

    private static final Logger LOG = LoggerFactory.getLogger(StrataExceptionHandler.class);

    @Override
    public HttpResponse<ErrorResponse> handle(HttpRequest request, StrataException exception) {
        if (exception.httpStatus() >= 500) {
            LOG.warn("{} {} failed: {} {}", request.getMethod(), request.getPath(), exception.code(),
                    exception.getMessage());
        }
        return HttpResponse.<ErrorResponse>status(HttpStatus.valueOf(exception.httpStatus()))
                .body(exception.toResponse());
    }
}
