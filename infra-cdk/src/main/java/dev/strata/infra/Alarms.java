package dev.strata.infra;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.cloudwatch.GraphWidget;
import software.amazon.awscdk.services.cloudwatch.HorizontalAnnotation;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sqs.IQueue;
import software.constructs.Construct;

/**
 * The seed's alarms (DESIGN §9) to one SNS topic, and the region's dashboard of the four seed metrics. The
 * topic is created first (other constructs send notifications to it); {@link #watch} adds the alarms once the
 * ingest pipeline exists.
 */
public final class Alarms extends Construct {
    /** Consecutive one-minute periods above a threshold before an alarm fires. */
    static final int EVALUATION_PERIODS = 3;

    private final Topic topic;
    private Alarm searchLatency;
    private Alarm replicationLag;
    private Alarm cacheDisk;
    private Alarm ingestDeadLetters;
    private Dashboard dashboard;

    public Alarms(Construct scope, String id, IKey key) {
        super(scope, id);
        this.topic = Topic.Builder.create(this, "Topic")
                .displayName("Strata alarms")
                .masterKey(key)
                .enforceSsl(true)
                .build();
    }

    /** Adds the alarms and the dashboard; {@code deadLetters} is the ingest dead-letter queue. */
    public void watch(IQueue deadLetters) {
        this.searchLatency = alarm("SearchLatencyP95", SeedMetrics.searchLatency(SeedMetrics.P95, "Maximum"),
                SeedMetrics.SEARCH_P95_SECONDS, "p95 search latency of a shard task above 30 ms");
        this.replicationLag = alarm("ReplicationLag", SeedMetrics.replicationLag(),
                SeedMetrics.REPLICATION_LAG_SECONDS, "a shard replica more than 1 s behind the committed version");
        this.cacheDisk = alarm("CacheDiskUsed", SeedMetrics.cacheDiskUsed(),
                SeedMetrics.CACHE_DISK_USED_RATIO, "NVMe segment cache more than 80 % full");
        this.ingestDeadLetters = alarm("IngestDeadLetters",
                deadLetters.metricApproximateNumberOfMessagesVisible().with(
                        software.amazon.awscdk.services.cloudwatch.MetricOptions.builder()
                                .statistic("Maximum").period(Duration.minutes(1)).build()),
                0, "an ingest batch failed five times and waits in the dead-letter queue");
        this.dashboard = buildDashboard();
    }

    private Alarm alarm(String id, IMetric metric, double threshold, String description) {
        Alarm alarm = Alarm.Builder.create(this, id)
                .metric(metric)
                .threshold(threshold)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
                .evaluationPeriods(EVALUATION_PERIODS)
                .datapointsToAlarm(EVALUATION_PERIODS)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .alarmDescription(description)
                .build();
        SnsAction action = new SnsAction(topic);
        alarm.addAlarmAction(action);
        alarm.addOkAction(action);
        return alarm;
    }

    private Dashboard buildDashboard() {
        Metric queries = SeedMetrics.searchCount();
        IMetric qps = MathExpression.Builder.create()
                .expression("queries / PERIOD(queries)")
                .usingMetrics(Map.of("queries", queries))
                .label("searches per second")
                .period(Duration.minutes(1))
                .build();
        Dashboard board = Dashboard.Builder.create(this, "Dashboard")
                .dashboardName("Strata-" + Stack.of(this).getRegion())
                .build();
        board.addWidgets(
                GraphWidget.Builder.create()
                        .title("vector_search_latency_seconds (p50 / p95 / p99, worst task)")
                        .left(List.of(
                                SeedMetrics.searchLatency(SeedMetrics.P50, "Maximum"),
                                SeedMetrics.searchLatency(SeedMetrics.P95, "Maximum"),
                                SeedMetrics.searchLatency(SeedMetrics.P99, "Maximum")))
                        .leftAnnotations(List.of(HorizontalAnnotation.builder()
                                .value(SeedMetrics.SEARCH_P95_SECONDS).label("p95 alarm").build()))
                        .width(12)
                        .build(),
                GraphWidget.Builder.create()
                        .title("search_qps_total")
                        .left(List.of(qps))
                        .width(12)
                        .build());
        board.addWidgets(
                GraphWidget.Builder.create()
                        .title("replication_lag_seconds (max over replicas)")
                        .left(List.of(SeedMetrics.replicationLag()))
                        .leftAnnotations(List.of(HorizontalAnnotation.builder()
                                .value(SeedMetrics.REPLICATION_LAG_SECONDS).label("lag alarm").build()))
                        .width(12)
                        .build(),
                GraphWidget.Builder.create()
                        .title("index_build_duration_seconds (ingest, per shard)")
                        .left(List.of(SeedMetrics.indexBuildDuration("Average"), SeedMetrics.indexBuildDuration("Maximum")))
                        .width(12)
                        .build());
        return board;
    }

    public Topic topic() {
        return topic;
    }

    public Alarm searchLatency() {
        return searchLatency;
    }

    public Alarm replicationLag() {
        return replicationLag;
    }

    public Alarm cacheDisk() {
        return cacheDisk;
    }

    public Alarm ingestDeadLetters() {
        return ingestDeadLetters;
    }

    public Dashboard dashboard() {
        return dashboard;
    }
}
