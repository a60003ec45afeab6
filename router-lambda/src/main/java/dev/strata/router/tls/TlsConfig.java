package dev.strata.router.tls;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * The router's client identity for mutual TLS with the shard services (DESIGN §10), {@code strata.tls.*}. Either a
 * Secrets Manager secret (AWS: {@code STRATA_TLS_SECRET_ARN}, JSON {@code {"caPem","certPem","keyPem"}}) or the
 * three PEM texts (locally: {@code STRATA_TLS_CA_PEM}, {@code STRATA_TLS_CERT_PEM}, {@code STRATA_TLS_KEY_PEM}).
 * Neither: shard calls stay plain HTTP.
 *
 * @param secretArn              the secret holding the identity, read once at init
 * @param caPem                  the CA that signs the shard servers' certificates
 * @param certPem                the router's certificate chain
 * @param keyPem                 the router's PKCS#8 private key
 * @param verifyHostname         also check that a node's certificate names the host of its endpoint; off by default
 *                               because shard tasks get a new private IP each time they start, so trust rests on the
 *                               deployment's own CA (the only one trusted) having signed the node's certificate
 * @param secretsManagerEndpoint endpoint override of the Secrets Manager client (emulators); null = the region's
 */
@ConfigurationProperties("strata.tls")
public record TlsConfig(
        @Nullable String secretArn,
        @Nullable String caPem,
        @Nullable String certPem,
        @Nullable String keyPem,
        @Bindable(defaultValue = "false") boolean verifyHostname,
        @Nullable String secretsManagerEndpoint) {}
