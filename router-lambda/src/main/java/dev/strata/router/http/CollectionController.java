package dev.strata.router.http;

import dev.strata.api.CollectionSpec;
import dev.strata.catalog.ApiKeyRecord.Role;
import dev.strata.router.auth.ApiKeyAuthenticator;
import dev.strata.router.auth.Caller;
import dev.strata.router.collection.CollectionService;
import dev.strata.router.collection.CollectionView;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Put;

import java.util.List;
import java.util.Map;

/** {@code /v1/collections}: create (admin), list and describe (reader), drop (admin). */
@ExecuteOn(TaskExecutors.BLOCKING)
@Controller("/v1/collections")
public final class CollectionController {

    private final ApiKeyAuthenticator auth;
    private final CollectionService collections;
    private final RequestReader reader;

    public CollectionController(ApiKeyAuthenticator auth, CollectionService collections, RequestReader reader) {
        this.auth = auth;
        this.collections = collections;
        this.reader = reader;
    }

    @Put("/{collection}")
    @Consumes({MediaType.APPLICATION_JSON, MediaType.ALL})
    public HttpResponse<CollectionView> create(@Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization,
                                               String collection, @Nullable @Body byte[] body) {
        Caller caller = auth.authenticate(authorization, Role.ADMIN);
        CollectionSpec spec = reader.read(body, CollectionSpec.class, "collection spec");
        return HttpResponse.created(collections.create(caller, collection, spec));
    }

    @Get
    public Map<String, List<CollectionView>> list(@Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization) {
        Caller caller = auth.authenticate(authorization, Role.READER);
        return Map.of("collections", collections.list(caller));
    }

    @Get("/{collection}")
    public CollectionView describe(@Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization,
                                   String collection) {
        return collections.describe(auth.authenticate(authorization, Role.READER), collection);
    }

    @Delete("/{collection}")
    public HttpResponse<Void> drop(@Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization,
                                   String collection) {
        collections.drop(auth.authenticate(authorization, Role.ADMIN), collection);
        return HttpResponse.noContent();
    }
}
