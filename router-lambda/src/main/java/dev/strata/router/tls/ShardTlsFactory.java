package dev.strata.router.tls;

import dev.strata.tls.TlsMaterial;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/**
 * Builds the router's {@link ShardTls} once, when the application starts (a {@link Context} bean, so a missing or bad
 * identity stops start-up with a message naming the field instead of failing every search later): from the Secrets
 * Manager secret {@code strata.tls.secret-arn}, else from {@code strata.tls.ca-pem/cert-pem/key-pem}, else none.
 * The Secrets Manager client uses the URL-connection HTTP client like the router's other SDK clients; a
 * {@link SecretsManagerClient} registered by the caller takes precedence.
 */
@Factory
public final class ShardTlsFactory {

    private static final Logger LOG = LoggerFactory.getLogger(ShardTlsFactory.class);

    @Singleton
    @Bean(preDestroy = "close")
    @Requires(property = "strata.tls.secret-arn")
    @Requires(missingBeans = SecretsManagerClient.class)
    SecretsManagerClient secretsManager(TlsConfig config) {
        var builder = SecretsManagerClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder());
        if (config.secretsManagerEndpoint() != null) {
            builder.endpointOverride(URI.create(config.secretsManagerEndpoint()));
        }
        return builder.build();
    }

    @Context
    ShardTls shardTls(TlsConfig config, @Nullable SecretsManagerClient secrets) {
        boolean pems = config.caPem() != null || config.certPem() != null || config.keyPem() != null;
        String arn = config.secretArn() == null || config.secretArn().isBlank() ? null : config.secretArn();
        ShardTls tls;
        if (arn != null) {
            if (pems) {
                throw new IllegalArgumentException("strata.tls.secret-arn and strata.tls.*-pem are both set; give the"
                        + " router's TLS identity one way only");
            }
            if (secrets == null) {
                throw new IllegalStateException("strata.tls.secret-arn is set but no Secrets Manager client exists");
            }
            String json = secrets.getSecretValue(r -> r.secretId(arn)).secretString();
            tls = ShardTls.of(TlsSecret.parse(arn, json), config.verifyHostname(), "secret " + arn);
        } else if (pems) {
            Map<String, String> env = new HashMap<>();
            put(env, TlsMaterial.CA_ENV, config.caPem());
            put(env, TlsMaterial.CERT_ENV, config.certPem());
            put(env, TlsMaterial.KEY_ENV, config.keyPem());
            tls = ShardTls.of(TlsMaterial.fromEnvironment(env), config.verifyHostname(), "strata.tls.*-pem");
        } else {
            tls = ShardTls.none();
        }
        LOG.info("shard calls: {}", tls.enabled() ? "mutual TLS, identity from " + tls.source() : "plain HTTP");
        return tls;
    }

    private static void put(Map<String, String> env, String key, String value) {
        if (value != null) {
            env.put(key, value);
        }
    }
}
