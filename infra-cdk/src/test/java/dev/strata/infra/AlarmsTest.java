package dev.strata.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

class AlarmsTest {
    private final Template region = SynthesizedStrata.TWO_REGIONS.region(SynthesizedStrata.HOME);

    private void hasAlarm(String metric, double threshold, Map<String, Object> more) {
        var expected = new java.util.HashMap<String, Object>(Map.of(
                "MetricName", metric,
                "Namespace", "Strata",
                "Threshold", threshold,
                "ComparisonOperator", "GreaterThanThreshold",
                "EvaluationPeriods", 3,
                "AlarmActions", List.of(Map.of("Ref", Match.stringLikeRegexp("AlarmsTopic.*"))),
                "TreatMissingData", "notBreaching"));
        expected.putAll(more);
        region.hasResourceProperties("AWS::CloudWatch::Alarm", expected);
    }

    @Test
    void searchLatencyP95AboveThirtyMillisecondsAlarms() {
        hasAlarm("vector_search_latency_seconds", 0.030, Map.of("ExtendedStatistic", Match.absent(),
                "Statistic", "Maximum", "Dimensions", Match.arrayWith(List.of(
                        Map.of("Name", "quantile", "Value", "0.95")))));
    }

    @Test
    void replicationLagAboveOneSecondAlarms() {
        hasAlarm("replication_lag_seconds", 1.0, Map.of("Statistic", "Maximum"));
    }

    @Test
    void cacheDiskAboveEightyPercentAlarms() {
        hasAlarm("segment_cache_disk_used_ratio", 0.8, Map.of("Statistic", "Maximum"));
    }

    @Test
    void aDeadLetteredIngestBatchAlarms() {
        region.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                "MetricName", "ApproximateNumberOfMessagesVisible", "Namespace", "AWS/SQS", "Threshold", 0));
    }

    @Test
    void theTopicIsEncryptedAndTlsOnly() {
        region.hasResourceProperties("AWS::SNS::Topic", Map.of("KmsMasterKeyId", Match.anyValue()));
        assertThat(TemplateJson.text(TemplateJson.properties(region, "AWS::SNS::TopicPolicy")))
                .contains("\"aws:SecureTransport\":\"false\"");
    }

    @Test
    void theDashboardShowsTheFourSeedMetrics() {
        String body = TemplateJson.text(TemplateJson.only(region, "AWS::CloudWatch::Dashboard").get("DashboardBody"));

        assertThat(body).contains("vector_search_latency_seconds").contains("search_qps_total")
                .contains("replication_lag_seconds").contains("index_build_duration_seconds");
        assertThat(body).as("ingest build times are found per shard, whatever the shard ids")
                .contains("SEARCH('{Strata,shard} MetricName=");
    }
}
