package dev.strata.shard.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.api.ErrorResponse;
import dev.strata.api.ShardSearchBinary;
import dev.strata.api.ShardSearchRequest;
import dev.strata.api.ShardSearchResponse;
import dev.strata.api.StrataException;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One shard search as bytes in, bytes out, for the transports that do not let the framework bind the body (the
 * {@link ShardSearchFastPath} for both forms, the controller for {@value ShardSearchBinary#MEDIA_TYPE}): decodes the
 * body of the form its {@code Content-Type} names, calls {@link ShardSearchService} (the one place of the search's
 * semantics), and encodes the answer in the same form. Every failure becomes the status and JSON error body the
 * controller's exception handlers give: a {@link StrataException} its own, an unreadable JSON body 400
 * {@code invalid_request} "request body is not valid: ...", anything else 500 {@code internal}. Thread-safe.
 */
@Singleton
final class ShardSearchExchange {

    static final String JSON = "application/json";

    private static final Logger LOG = LoggerFactory.getLogger(ShardSearchExchange.class);

    /** What to send back: status, content type and body. */
    record Reply(int status, String contentType, byte[] body) {}

    private final ShardSearchService service;
    private final ObjectMapper mapper;
    private final byte[] internalError;

    ShardSearchExchange(ShardSearchService service, ObjectMapper mapper) {
        this.service = service;
        this.mapper = mapper;
        this.internalError = "{\"error\":{\"code\":\"internal\",\"message\":\"the shard search failed\"}}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * Answers a search whose body is {@code body}'s remaining bytes, in the binary form when {@code binary}, else JSON.
     * {@code path} is for log lines only.
     */
    Reply search(String tenant, String collection, String shard, boolean binary, ByteBuffer body, String path) {
        try {
            // An empty body is a missing request in either form: the service answers "request body is required".
            ShardSearchRequest request = !body.hasRemaining() ? null
                    : binary ? ShardSearchBinary.decodeRequest(body) : json(body);
            ShardSearchResponse response = service.search(tenant, collection, shard, request);
            return binary
                    ? new Reply(200, ShardSearchBinary.MEDIA_TYPE, ShardSearchBinary.encodeResponse(response))
                    : new Reply(200, JSON, mapper.writeValueAsBytes(response));
        } catch (StrataException e) {
            if (e.httpStatus() >= 500) {
                LOG.warn("POST {} failed: {} {}", path, e.code(), e.getMessage());
            }
            return error(e.httpStatus(), e.toResponse());
        } catch (RuntimeException | IOException e) {
            LOG.error("POST {} failed", path, e);
            return new Reply(500, JSON, internalError);
        }
    }

    /** A JSON error reply. */
    Reply error(int status, ErrorResponse error) {
        try {
            return new Reply(status, JSON, mapper.writeValueAsBytes(error));
        } catch (IOException e) {
            return new Reply(500, JSON, internalError);
        }
    }

    private ShardSearchRequest json(ByteBuffer body) {
        try {
            if (body.hasArray()) {
                return mapper.readValue(body.array(), body.arrayOffset() + body.position(), body.remaining(),
                        ShardSearchRequest.class);
            }
            byte[] copy = new byte[body.remaining()];
            body.get(copy);
            return mapper.readValue(copy, ShardSearchRequest.class);
        } catch (IOException e) {
            throw new StrataException.InvalidRequest("request body is not valid: "
                    + RequestBodyExceptionHandlers.firstLine(RequestBodyExceptionHandlers.rootMessage(e)));
        }
    }
}
