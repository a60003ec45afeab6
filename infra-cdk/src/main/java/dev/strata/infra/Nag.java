package dev.strata.infra;

import dev.strata.catalog.CatalogSchema;
import java.util.ArrayList;
import java.util.List;
import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import io.github.cdklabs.cdknag.RegexAppliesTo;
import software.constructs.IConstruct;

/**
 * Writes cdk-nag suppressions next to the resources they concern. Each one names the rule, a reason a reviewer
 * can check, and (for wildcard findings) exactly which wildcards it accepts, so that a new wildcard still fails.
 */
final class Nag {
    private Nag() {}

    /** Suppresses {@code rule} on {@code construct} and its children. */
    static void suppress(IConstruct construct, String rule, String reason) {
        NagSuppressions.addResourceSuppressions(construct, List.of(NagPackSuppression.builder()
                .id("AwsSolutions-" + rule).reason(reason).build()), true);
    }

    /**
     * Suppresses {@code rule} on {@code construct} and its children only for findings that match one of
     * {@code appliesTo}: a literal finding such as {@code Resource::*}, or a JavaScript regular expression literal
     * such as {@code /^Resource::.*\/segments\/\*$/}.
     */
    static void suppressOnly(IConstruct construct, String rule, String reason, String... appliesTo) {
        List<Object> findings = new ArrayList<>();
        for (String finding : appliesTo) {
            findings.add(finding.startsWith("/") ? RegexAppliesTo.builder().regex(finding).build() : finding);
        }
        NagSuppressions.addResourceSuppressions(construct, List.of(NagPackSuppression.builder()
                .id("AwsSolutions-" + rule).reason(reason).appliesTo(findings).build()), true);
    }

    /**
     * Suppresses cdk-nag's "could not evaluate {@code rule}" finding, which it raises when a property is an
     * intrinsic function (e.g. a security group rule whose source is the VPC's CIDR attribute).
     */
    static void suppressUnevaluable(IConstruct construct, String rule, String reason) {
        NagSuppressions.addResourceSuppressions(construct, List.of(NagPackSuppression.builder()
                .id("CdkNagValidationFailure").reason(reason).appliesTo(List.of("AwsSolutions-" + rule)).build()),
                true);
    }

    /** Finding of an object wildcard under {@code prefix} of any bucket, e.g. {@code .../segments/*}. */
    static String objectsUnder(String prefix) {
        return "/^Resource::.*\\/" + prefix.replace("/", "") + "\\/\\*$/";
    }

    /** Finding of the key wildcard of a region ({@code kms:<region>:<account>:key/*}) narrowed by an alias condition. */
    static final String KEYS_BY_ALIAS = "/^Resource::arn:<AWS::Partition>:kms:[a-z0-9-]+:[^:]+:key\\/\\*$/";

    /** Finding of the catalog's index wildcard ({@code table/strata-catalog/index/*}). */
    static final String CATALOG_INDEXES = "/^Resource::.*:table\\/" + CatalogSchema.DEFAULT_TABLE_NAME + "\\/index\\/\\*$/";
}
