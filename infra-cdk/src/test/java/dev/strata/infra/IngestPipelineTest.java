package dev.strata.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

class IngestPipelineTest {
    private final Template region = SynthesizedStrata.TWO_REGIONS.region(SynthesizedStrata.HOME);

    private Map<String, Object> ingestFunction() {
        return TemplateJson.properties(region, "AWS::Lambda::Function").stream()
                .filter(f -> IngestPipeline.HANDLER.equals(f.get("Handler")))
                .findFirst().orElseThrow(() -> new AssertionError("no ingest function"));
    }

    @Test
    void objectsCreatedUnderIngestNotifyTheQueue() {
        region.hasResourceProperties("Custom::S3BucketNotifications", Map.of("NotificationConfiguration", Map.of(
                "QueueConfigurations", List.of(Match.objectLike(Map.of(
                        "Events", List.of("s3:ObjectCreated:*"),
                        "Filter", Map.of("Key", Map.of("FilterRules",
                                List.of(Map.of("Name", "prefix", "Value", "ingest/"))))))))));
    }

    @Test
    void theQueueIsEncryptedTlsOnlyAndDeadLettersAfterFiveReceives() {
        region.hasResourceProperties("AWS::SQS::Queue", Map.of(
                "KmsMasterKeyId", Match.objectLike(Map.of("Fn::GetAtt", Match.arrayWith(List.of(
                        Match.stringLikeRegexp("DataKey.*"))))),
                "RedrivePolicy", Map.of("deadLetterTargetArn", Match.anyValue(), "maxReceiveCount", 5),
                "VisibilityTimeout", 1800));
        assertThat(TemplateJson.properties(region, "AWS::SQS::Queue"))
                .as("both queues encrypted").hasSize(2).allSatisfy(q -> assertThat(q).containsKey("KmsMasterKeyId"));
        assertThat(TemplateJson.text(TemplateJson.properties(region, "AWS::SQS::QueuePolicy")))
                .contains("\"aws:SecureTransport\":\"false\"");
    }

    @Test
    void theFunctionIsJava21WithSnapStartAndActiveTracing() {
        assertThat(ingestFunction())
                .containsEntry("Runtime", "java21")
                .containsEntry("SnapStart", Map.of("ApplyOn", "PublishedVersions"))
                .containsEntry("TracingConfig", Map.of("Mode", "Active"))
                .containsEntry("Architectures", List.of("arm64"))
                .containsEntry("Timeout", 300);
        assertThat(TemplateJson.text(ingestFunction().get("Environment")))
                .contains("STRATA_TABLE\":\"strata-catalog\"").contains("\"STRATA_BUCKET\"")
                .contains("STRATA_EMBEDDING_MODEL_ID\":\"amazon.titan-embed-text-v2:0\"");
    }

    @Test
    void theQueueInvokesThePublishedAliasNotTheUnpublishedFunction() {
        Map<String, Object> mapping = TemplateJson.only(region, "AWS::Lambda::EventSourceMapping");

        assertThat(TemplateJson.text(mapping.get("FunctionName"))).contains("IngestHandlerLive");
        assertThat(mapping).containsEntry("BatchSize", 1)
                .containsEntry("FunctionResponseTypes", List.of("ReportBatchItemFailures"));
    }

    @Test
    void theRoleReadsIngestWritesSegmentsAndRejectsAndInvokesOnlyTitan() {
        List<Map<String, Object>> statements = TemplateJson.statementsOfRole(region, "IngestHandlerRole");

        assertThat(TemplateJson.text(TemplateJson.allowing(statements, "s3:GetObject"))).contains("/ingest/*")
                .doesNotContain("/segments/*");
        String put = TemplateJson.text(TemplateJson.allowing(statements, "s3:PutObject"));
        assertThat(put).contains("/segments/*").contains("/rejects/*").doesNotContain("/ingest/*");
        assertThat(TemplateJson.text(TemplateJson.allowing(statements, "bedrock:InvokeModel")))
                .contains("::foundation-model/amazon.titan-embed-text-v2:0");
        assertThat(TemplateJson.text(TemplateJson.allowing(statements, "dynamodb:ConditionCheckItem")))
                .contains("table/strata-catalog");
        assertThat(statements).allSatisfy(s -> {
            assertThat(TemplateJson.actions(s)).noneMatch(a -> a.endsWith(":*") || a.equals("*"));
            assertThat(s.get("Effect")).isEqualTo("Allow");
        });
    }

    @Test
    void theRoleHasNoManagedPolicies() {
        region.hasResourceProperties("AWS::IAM::Role", Match.objectLike(Map.of(
                "AssumeRolePolicyDocument", Match.objectLike(Map.of("Statement", List.of(Match.objectLike(
                        Map.of("Principal", Map.of("Service", "lambda.amazonaws.com")))))),
                "ManagedPolicyArns", Match.absent())));
    }
}
