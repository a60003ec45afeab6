package dev.strata.infra;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.Key;
import software.constructs.Construct;

/**
 * A region's customer-managed KMS key, with rotation, found from other regions by its alias so that no key ARN is
 * ever written by hand. Each region has two: {@link #CATALOG_ALIAS} for its catalog replica (in the key stack,
 * deployed before the global table that names it) and {@link #DATA_ALIAS} for the segment bucket, queues, topic
 * and secrets (in the region stack).
 */
public final class DataKey extends Construct {
    /** Alias of every region's catalog replica key. */
    public static final String CATALOG_ALIAS = "alias/strata/catalog";
    /** Alias of every region's key for segments, queues, topic and secrets. */
    public static final String DATA_ALIAS = "alias/strata/data";

    private final Key key;

    /**
     * @param alias        one of {@link #CATALOG_ALIAS}, {@link #DATA_ALIAS}
     * @param description  what the key protects
     * @param servicesToo  whether S3 (event notifications) and CloudWatch (alarm actions) may use the key for
     *                     the encrypted queue and topic, which they write to on their own behalf
     */
    public DataKey(Construct scope, String id, String alias, String description, boolean servicesToo) {
        super(scope, id);
        this.key = Key.Builder.create(this, "Key")
                .description(description)
                .enableKeyRotation(true)
                .rotationPeriod(Duration.days(365))
                .removalPolicy(RemovalPolicy.RETAIN)
                .alias(alias)
                .build();
        if (servicesToo) {
            // Services that encrypt on their own behalf (no IAM principal of ours) need the key policy to say so.
            allowService("s3.amazonaws.com", "S3 event notifications into the encrypted ingest queue");
            allowService("cloudwatch.amazonaws.com", "CloudWatch alarms publishing to the encrypted topic");
        }
    }

    private void allowService(String service, String why) {
        key.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid(why.replaceAll("[^A-Za-z0-9]", ""))
                .effect(Effect.ALLOW)
                .principals(List.of(new ServicePrincipal(service)))
                .actions(List.of("kms:GenerateDataKey*", "kms:Decrypt"))
                .resources(List.of("*"))
                .build());
    }

    public Key key() {
        return key;
    }

    /** ARN of {@code alias} in {@code region} of the current account; DynamoDB, S3 and KMS accept it as a key id. */
    public static String aliasArn(Construct scope, String region, String alias) {
        return Stack.of(scope).formatArn(ArnComponents.builder()
                .service("kms")
                .region(region)
                .resource("alias")
                .resourceName(alias.substring("alias/".length()))
                .arnFormat(ArnFormat.SLASH_RESOURCE_NAME)
                .build());
    }

    /** ARN pattern of every key of {@code region}; pair it with {@link #aliasCondition} to mean one key. */
    public static String anyKeyArn(Construct scope, String region) {
        return Stack.of(scope).formatArn(ArnComponents.builder()
                .service("kms")
                .region(region)
                .resource("key")
                .resourceName("*")
                .arnFormat(ArnFormat.SLASH_RESOURCE_NAME)
                .build());
    }

    /** IAM condition that limits a statement on keys to the one that has {@code alias}. */
    public static Map<String, Object> aliasCondition(String alias) {
        return Map.of("ForAnyValue:StringEquals", Map.of("kms:ResourceAliases", List.of(alias)));
    }
}
