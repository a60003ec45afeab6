package dev.strata.shard.service;

import dev.strata.api.ShardSearchBinary;
import dev.strata.api.ShardSearchRequest;
import dev.strata.api.ShardSearchResponse;
import io.micronaut.core.annotation.NonBlocking;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;

import java.nio.ByteBuffer;

/**
 * {@code POST /internal/v1/shards/{tenant}/{collection}/{shard}/search}: parse, delegate, return; JSON or
 * {@value ShardSearchBinary#MEDIA_TYPE}, answered in the form asked. On the service port most searches are answered
 * before they reach the framework, by {@link ShardSearchFastPath}; this controller serves the ones it leaves (see its
 * javadoc) and every search when {@code strata.http.fast-path=false}.
 */
@Controller("/internal/v1/shards")
final class ShardSearchController {

    private final ShardSearchService service;
    private final ShardSearchExchange exchange;

    ShardSearchController(ShardSearchService service, ShardSearchExchange exchange) {
        this.service = service;
        this.exchange = exchange;
    }

    @Post(uri = "/{tenant}/{collection}/{shard}/search", consumes = MediaType.APPLICATION_JSON)
    @NonBlocking // CPU-bound and sub-millisecond: answered on the event loop, no hop to another pool
    ShardSearchResponse search(@PathVariable String tenant, @PathVariable String collection,
                               @PathVariable String shard, @Body ShardSearchRequest request) {
        return service.search(tenant, collection, shard, request);
    }

    @Post(uri = "/{tenant}/{collection}/{shard}/search", consumes = ShardSearchBinary.MEDIA_TYPE,
            produces = {ShardSearchBinary.MEDIA_TYPE, MediaType.APPLICATION_JSON})
    @NonBlocking
    HttpResponse<byte[]> searchBinary(HttpRequest<?> request, @PathVariable String tenant,
                                      @PathVariable String collection, @PathVariable String shard,
                                      @Body @Nullable byte[] body) {
        ByteBuffer bytes = body == null ? ByteBuffer.allocate(0) : ByteBuffer.wrap(body);
        ShardSearchExchange.Reply reply = exchange.search(tenant, collection, shard, true, bytes,
                request.getPath());
        return HttpResponse.<byte[]>status(io.micronaut.http.HttpStatus.valueOf(reply.status()))
                .contentType(reply.contentType())
                .body(reply.body());
    }
}
