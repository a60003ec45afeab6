package dev.strata.router.auth;

import dev.strata.catalog.ApiKeyRecord.Role;

/**
 * Who is calling, as established from the API key.
 *
 * @param tenant the tenant the key acts for; every collection name is resolved inside it
 * @param keyId  public id of the key (for audit records and rate limits; never the key)
 * @param role   what the key may do
 */
public record Caller(String tenant, String keyId, Role role) {}
