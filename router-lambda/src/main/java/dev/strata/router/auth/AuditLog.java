package dev.strata.router.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes one JSON audit record per write, delete and admin call to the {@code strata.audit} logger
 * (a separate CloudWatch stream can subscribe to it). The record names the tenant, the key id (never the key),
 * the action, the collection and action-specific facts (batch id, counts). Thread-safe.
 */
@Singleton
public final class AuditLog {

    private static final Logger AUDIT = LoggerFactory.getLogger("strata.audit");

    private final ObjectMapper mapper;

    public AuditLog(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** Records {@code action} by {@code caller} on {@code collection} (may be null) with {@code details}. */
    public void record(Caller caller, String action, String collection, Map<String, Object> details) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("audit", action);
        entry.put("at", Instant.now().toString());
        entry.put("tenant", caller.tenant());
        entry.put("keyId", caller.keyId());
        entry.put("role", caller.role().name().toLowerCase(java.util.Locale.ROOT));
        if (collection != null) {
            entry.put("collection", collection);
        }
        entry.putAll(details);
        try {
            AUDIT.info(mapper.writeValueAsString(entry));
        } catch (JsonProcessingException e) {
            AUDIT.info("{}", entry);
        }
    }
}
