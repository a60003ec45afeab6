package dev.strata.router.auth;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * A key installed at start when set ({@code strata.bootstrap.*}): the local emulation creates its first admin key
 * this way; in AWS it comes from a secret, or is left unset and keys are created with an existing admin key.
 *
 * @param apiKey the key itself (only its hash is stored), or null for none
 * @param tenant the tenant it acts for
 * @param role   its role ({@code admin} by default)
 */
@ConfigurationProperties("strata.bootstrap")
public record BootstrapConfig(
        @Nullable String apiKey,
        @Bindable(defaultValue = "default") String tenant,
        @Bindable(defaultValue = "admin") String role) {}
