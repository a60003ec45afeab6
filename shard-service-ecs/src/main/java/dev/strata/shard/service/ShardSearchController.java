package dev.strata.shard.service;

import dev.strata.api.ShardSearchRequest;
import dev.strata.api.ShardSearchResponse;
import io.micronaut.core.annotation.NonBlocking;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;

/** {@code POST /internal/v1/shards/{tenant}/{collection}/{shard}/search}: parse, delegate, return. */
@Controller("/internal/v1/shards")
final class ShardSearchController {

    private final ShardSearchService service;

    ShardSearchController(ShardSearchService service) {
        this.service = service;
    }

    @Post("/{tenant}/{collection}/{shard}/search")
    @NonBlocking // CPU-bound and sub-millisecond: answered on the event loop, no hop to another pool
    ShardSearchResponse search(@PathVariable String tenant, @PathVariable String collection,
                               @PathVariable String shard, @Body ShardSearchRequest request) {
        return service.search(tenant, collection, shard, request);
    }
}
