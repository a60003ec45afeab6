package dev.strata.shard.service;

import dev.strata.api.ErrorResponse;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.core.convert.exceptions.ConversionErrorException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.codec.CodecException;
import io.micronaut.http.server.exceptions.ConversionErrorHandler;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.http.server.exceptions.JsonExceptionHandler;
import io.micronaut.http.server.exceptions.UnsupportedMediaException;
import io.micronaut.http.server.exceptions.UnsatisfiedRouteHandler;
import io.micronaut.json.JsonSyntaxException;
import io.micronaut.web.router.exceptions.UnsatisfiedRouteException;
import jakarta.inject.Singleton;

/**
 * A body that is not JSON, has an unknown field or a value of the wrong type, or is missing, answers 400
 * {@code invalid_request} in Strata's error body instead of the framework's own; a body of a type no route reads, 415
 * {@code unsupported_media_type}.
 */
final class RequestBodyExceptionHandlers {

    private RequestBodyExceptionHandlers() {}

    static HttpResponse<ErrorResponse> badRequest(String message) {
        return HttpResponse.badRequest(ErrorResponse.of("invalid_request", message));
    }

    /** Unreadable JSON. */
    @Produces
    @Singleton
    static final class Codec implements ExceptionHandler<CodecException, HttpResponse<ErrorResponse>> {
        @Override
        public HttpResponse<ErrorResponse> handle(HttpRequest request, CodecException exception) {
            return badRequest("request body is not valid: " + firstLine(rootMessage(exception)));
        }
    }

    /** Malformed JSON. */
    @Produces
    @Singleton
    @Replaces(JsonExceptionHandler.class)
    static final class Syntax implements ExceptionHandler<JsonSyntaxException, HttpResponse<ErrorResponse>> {
        @Override
        public HttpResponse<ErrorResponse> handle(HttpRequest request, JsonSyntaxException exception) {
            return badRequest("request body is not valid: " + firstLine(rootMessage(exception)));
        }
    }

    /** A field of the wrong type, or an unknown field. */
    @Produces
    @Singleton
    @Replaces(ConversionErrorHandler.class)
    static final class Conversion implements ExceptionHandler<ConversionErrorException, HttpResponse<ErrorResponse>> {
        @Override
        public HttpResponse<ErrorResponse> handle(HttpRequest request, ConversionErrorException exception) {
            return badRequest("request body is not valid: " + firstLine(rootMessage(exception)));
        }
    }

    /** No body, or a missing path part. */
    @Produces
    @Singleton
    @Replaces(UnsatisfiedRouteHandler.class)
    static final class Unsatisfied implements ExceptionHandler<UnsatisfiedRouteException, HttpResponse<ErrorResponse>> {
        @Override
        public HttpResponse<ErrorResponse> handle(HttpRequest request, UnsatisfiedRouteException exception) {
            return badRequest(exception.getArgument().getName() + " is required");
        }
    }

    /** A body in a form the route does not read: 415 naming the type sent and the ones read. */
    @Produces
    @Singleton
    static final class Media implements ExceptionHandler<UnsupportedMediaException, HttpResponse<ErrorResponse>> {
        @Override
        public HttpResponse<ErrorResponse> handle(HttpRequest request, UnsupportedMediaException exception) {
            return HttpResponse.<ErrorResponse>status(HttpStatus.UNSUPPORTED_MEDIA_TYPE).body(ErrorResponse.of(
                    "unsupported_media_type", "Content-Type is '" + exception.getContentType() + "'; it must be one of "
                            + exception.getAcceptableContentTypes()));
        }
    }

    static String rootMessage(Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.toString() : cause.getMessage();
    }

    static String firstLine(String message) {
        int end = message.indexOf('\n');
        String line = end < 0 ? message : message.substring(0, end);
        // Jackson appends the source location in parentheses; the field path is what helps the caller.
        int source = line.indexOf(" (");
        return source > 0 ? line.substring(0, source) : line;
    }
}
