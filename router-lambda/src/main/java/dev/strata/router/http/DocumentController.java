package dev.strata.router.http;

import dev.strata.catalog.ApiKeyRecord.Role;
import dev.strata.router.auth.ApiKeyAuthenticator;
import dev.strata.router.document.BatchView;
import dev.strata.router.document.DocumentService;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;

/**
 * Documents and batches of a collection: upsert and delete (writer) answer 202 with the batch id, or 200 with the
 * applied version when {@code ?wait=true} and ingest finishes in time; batch status (reader).
 */
@ExecuteOn(TaskExecutors.BLOCKING)
@Controller("/v1/collections/{collection}")
public final class DocumentController {

    private final ApiKeyAuthenticator auth;
    private final DocumentService documents;

    public DocumentController(ApiKeyAuthenticator auth, DocumentService documents) {
        this.auth = auth;
        this.documents = documents;
    }

    @Post("/documents")
    @Consumes({MediaType.APPLICATION_JSON, MediaType.ALL})
    public HttpResponse<BatchView> upsert(@Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization,
                                          String collection, @Nullable @QueryValue("wait") Boolean wait,
                                          @Nullable @Body byte[] body) {
        BatchView batch = documents.upsert(auth.authenticate(authorization, Role.WRITER), collection, body,
                Boolean.TRUE.equals(wait));
        return respond(batch);
    }

    @Post("/documents/delete")
    @Consumes({MediaType.APPLICATION_JSON, MediaType.ALL})
    public HttpResponse<BatchView> delete(@Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization,
                                          String collection, @Nullable @QueryValue("wait") Boolean wait,
                                          @Nullable @Body byte[] body) {
        BatchView batch = documents.delete(auth.authenticate(authorization, Role.WRITER), collection, body,
                Boolean.TRUE.equals(wait));
        return respond(batch);
    }

    @Get("/batches/{batch}")
    public BatchView batch(@Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization,
                           String collection, String batch) {
        return documents.batch(auth.authenticate(authorization, Role.READER), collection, batch);
    }

    private static HttpResponse<BatchView> respond(BatchView batch) {
        return batch.finished() ? HttpResponse.ok(batch) : HttpResponse.accepted().body(batch);
    }
}
