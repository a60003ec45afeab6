package dev.strata.router.http;

import dev.strata.api.ErrorResponse;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.JsonErrorResponseBodyProvider;
import jakarta.inject.Singleton;

import java.util.stream.Collectors;

/**
 * Gives the errors Micronaut itself produces (no such route, method not allowed, unsupported media type, body too
 * large, an unexpected exception) the same body as Strata's own: {@code {"error":{"code","message"}}}.
 */
@Singleton
public final class ErrorBodyProvider implements JsonErrorResponseBodyProvider<ErrorResponse> {

    @Override
    public ErrorResponse body(ErrorContext context, HttpResponse<?> response) {
        int status = response.code();
        String code = switch (status) {
            case 400 -> "invalid_request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 413 -> "payload_too_large";
            case 415 -> "unsupported_media_type";
            case 503 -> "unavailable";
            default -> status >= 500 ? "internal" : "invalid_request";
        };
        String message = context.hasErrors()
                ? context.getErrors().stream().map(Error::getMessage).collect(Collectors.joining("; "))
                : response.reason();
        if (status == 404 && !context.hasErrors()) {
            message = "no such resource: " + context.getRequest().getMethodName() + " " + context.getRequest().getPath();
        }
        if (status >= 500) {
            message = "internal error; the request id is in the router's logs";
        }
        return ErrorResponse.of(code, message);
    }
}
