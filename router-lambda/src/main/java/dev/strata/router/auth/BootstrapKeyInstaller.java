package dev.strata.router.auth;

import dev.strata.catalog.ApiKeyRecord;
import dev.strata.catalog.Catalog;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PostConstruct;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.Locale;

/** Stores the configured bootstrap key (hashed) in the catalog at start, unless it is there already. */
@Context
@Requires(property = "strata.bootstrap.api-key")
public final class BootstrapKeyInstaller {

    private static final Logger LOG = LoggerFactory.getLogger(BootstrapKeyInstaller.class);

    private final Catalog catalog;
    private final BootstrapConfig config;

    public BootstrapKeyInstaller(Catalog catalog, BootstrapConfig config) {
        this.catalog = catalog;
        this.config = config;
    }

    @PostConstruct
    void install() {
        if (config.apiKey() == null || config.apiKey().isBlank()) {
            return;
        }
        String hash = ApiKeys.hash(config.apiKey());
        if (catalog.findApiKey(hash).isPresent()) {
            return;
        }
        ApiKeyRecord.Role role = ApiKeyRecord.Role.valueOf(config.role().toUpperCase(Locale.ROOT));
        catalog.putApiKey(new ApiKeyRecord(hash, ApiKeys.keyId(hash), config.tenant(), role, Instant.now()));
        LOG.info("bootstrap key {} installed for tenant {} with role {}", ApiKeys.keyId(hash), config.tenant(), role);
    }
}
