package dev.strata.router.http;

import dev.strata.api.SearchResponse;
import dev.strata.catalog.ApiKeyRecord.Role;
import dev.strata.router.auth.ApiKeyAuthenticator;
import dev.strata.router.search.SearchService;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;

/** {@code POST /v1/collections/{c}/search} (reader). */
@ExecuteOn(TaskExecutors.BLOCKING)
@Controller("/v1/collections/{collection}")
public final class SearchController {

    private final ApiKeyAuthenticator auth;
    private final SearchService search;

    public SearchController(ApiKeyAuthenticator auth, SearchService search) {
        this.auth = auth;
        this.search = search;
    }

    @Post("/search")
    @Consumes({MediaType.APPLICATION_JSON, MediaType.ALL})
    public SearchResponse search(@Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization,
                                 @Nullable @Header("X-Amzn-Trace-Id") String traceHeader,
                                 String collection, @Nullable @Body byte[] body) {
        return search.search(auth.authenticate(authorization, Role.READER), collection, body, traceHeader);
    }
}
