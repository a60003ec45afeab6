package dev.strata.infra;

import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.iam.IGrantable;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.secretsmanager.SecretStringGenerator;
import software.constructs.Construct;

/**
 * Router ↔ shard mutual TLS material (DESIGN §10), in Secrets Manager: one secret for the shard servers' identity
 * and one for the router's client identity, each a JSON object {@code {"caPem","certPem","keyPem"}} that the
 * operator fills (docs/deploy.md) from a private CA of their choice. Secrets Manager costs cents a month; an ACM
 * Private CA would issue and rotate them automatically but costs hundreds of dollars a month per CA even idle.
 */
public final class MutualTls extends Construct {
    /** JSON fields of both secrets. */
    public static final String CA_FIELD = "caPem";
    public static final String CERT_FIELD = "certPem";
    public static final String KEY_FIELD = "keyPem";

    private static final String TEMPLATE = "{\"" + CA_FIELD + "\":\"\",\"" + CERT_FIELD + "\":\"\",\"" + KEY_FIELD
            + "\":\"\"}";

    private final Secret server;
    private final Secret client;

    public MutualTls(Construct scope, String id, IKey key) {
        super(scope, id);
        this.server = secret("ShardServer", "Strata shard service TLS identity (CA, certificate, key; PEM)", key);
        this.client = secret("RouterClient", "Strata router TLS client identity (CA, certificate, key; PEM)", key);
        // The operator fills both after the first deployment (docs/deploy.md), so print where they are.
        CfnOutput.Builder.create(this, "ShardServerSecretArn").value(server.getSecretArn()).build();
        CfnOutput.Builder.create(this, "RouterClientSecretArn").value(client.getSecretArn()).build();
    }

    private Secret secret(String id, String description, IKey key) {
        Secret secret = Secret.Builder.create(this, id)
                .description(description)
                .encryptionKey(key)
                // CloudFormation needs some value; the generated field marks a secret nobody has filled in yet.
                .generateSecretString(SecretStringGenerator.builder()
                        .secretStringTemplate(TEMPLATE)
                        .generateStringKey("unsetMarker")
                        .build())
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        Nag.suppress(secret, "SMG4", "the secret holds certificates issued by the operator's CA (docs/deploy.md);"
                + " rotating it means issuing a new certificate, which Secrets Manager rotation cannot do here");
        return secret;
    }

    /** The shard servers' certificate, key and CA. */
    public Secret server() {
        return server;
    }

    /** The router's client certificate, key and CA. */
    public Secret client() {
        return client;
    }

    public void grantServerRead(IGrantable grantee) {
        server.grantRead(grantee);
    }

    public void grantClientRead(IGrantable grantee) {
        client.grantRead(grantee);
    }
}
