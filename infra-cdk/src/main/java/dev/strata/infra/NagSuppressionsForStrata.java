package dev.strata.infra;

import software.amazon.awscdk.Stack;
import software.constructs.IConstruct;

/** cdk-nag suppressions for constructs CDK adds to a stack on its own, each with its reason. */
final class NagSuppressionsForStrata {
    /** Id prefix of the singleton Lambda that CDK uses to write a bucket's notification configuration. */
    private static final String BUCKET_NOTIFICATIONS_HANDLER = "BucketNotificationsHandler";

    private NagSuppressionsForStrata() {}

    static void apply(Stack stack) {
        for (IConstruct child : stack.getNode().getChildren()) {
            if (child.getNode().getId().startsWith(BUCKET_NOTIFICATIONS_HANDLER)) {
                Nag.suppress(child, "IAM4", "CDK's bucket-notifications custom resource runs once per deploy with"
                        + " the basic Lambda execution policy (its own logs only)");
                Nag.suppressOnly(child, "IAM5", "CDK's bucket-notifications custom resource: s3:PutBucketNotification"
                        + " is granted on * by the construct library", "Resource::*");
                Nag.suppress(child, "L1", "runtime of CDK's own bucket-notifications handler, chosen by the library");
            }
        }
    }
}
