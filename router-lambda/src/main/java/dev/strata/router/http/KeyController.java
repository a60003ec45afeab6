package dev.strata.router.http;

import dev.strata.api.StrataException;
import dev.strata.catalog.ApiKeyRecord;
import dev.strata.catalog.ApiKeyRecord.Role;
import dev.strata.catalog.Catalog;
import dev.strata.router.auth.ApiKeyAuthenticator;
import dev.strata.router.auth.ApiKeys;
import dev.strata.router.auth.AuditLog;
import dev.strata.router.auth.Caller;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/** {@code POST /v1/keys} (admin): creates a key of the caller's tenant and returns it once; only its hash is kept. */
@ExecuteOn(TaskExecutors.BLOCKING)
@Controller("/v1/keys")
public final class KeyController {

    /** Body: the role of the new key ({@code reader}, {@code writer} or {@code admin}). */
    public record CreateKeyRequest(String role) {}

    /** Answer: the key (shown only here), its public id, tenant and role. */
    public record CreatedKey(String key, String keyId, String tenant, String role) {}

    private final ApiKeyAuthenticator auth;
    private final Catalog catalog;
    private final RequestReader reader;
    private final AuditLog audit;

    public KeyController(ApiKeyAuthenticator auth, Catalog catalog, RequestReader reader, AuditLog audit) {
        this.auth = auth;
        this.catalog = catalog;
        this.reader = reader;
        this.audit = audit;
    }

    @Post
    @Consumes({MediaType.APPLICATION_JSON, MediaType.ALL})
    public HttpResponse<CreatedKey> create(@Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization,
                                           @Nullable @Body byte[] body) {
        Caller caller = auth.authenticate(authorization, Role.ADMIN);
        CreateKeyRequest request = reader.read(body, CreateKeyRequest.class, "key request");
        Role role = parseRole(request.role());
        String key = ApiKeys.generate();
        String hash = ApiKeys.hash(key);
        String keyId = ApiKeys.keyId(hash);
        catalog.putApiKey(new ApiKeyRecord(hash, keyId, caller.tenant(), role, Instant.now()));
        auth.forget(hash);
        audit.record(caller, "key.create", null, Map.of("newKeyId", keyId, "newRole", wire(role)));
        return HttpResponse.created(new CreatedKey(key, keyId, caller.tenant(), wire(role)));
    }

    private static Role parseRole(String role) {
        if (role != null) {
            for (Role r : Role.values()) {
                if (wire(r).equals(role)) {
                    return r;
                }
            }
        }
        throw new StrataException.InvalidRequest("role is '" + role + "'; one of reader, writer, admin");
    }

    private static String wire(Role role) {
        return role.name().toLowerCase(Locale.ROOT);
    }
}
