package dev.strata.infra;

import java.util.List;
import java.util.Map;
import dev.strata.metrics.MetricNames;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.ecs.AwsLogDriverProps;
import software.amazon.awscdk.services.ecs.ContainerDefinitionOptions;
import software.amazon.awscdk.services.ecs.ContainerImage;
import software.amazon.awscdk.services.ecs.LogDrivers;
import software.amazon.awscdk.services.ecs.TaskDefinition;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.logs.ILogGroup;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/**
 * The AWS Distro for OpenTelemetry collector as a sidecar of the shard task. It scrapes the shard service's
 * Prometheus endpoint on localhost every 15 s and writes the series as CloudWatch Embedded Metric Format records
 * (namespace {@link SeedMetrics#NAMESPACE}, dimension {@code Service}, plus {@code quantile} for the latency
 * summary), and it receives the service's OTLP traces and sends them to X-Ray.
 */
public final class MetricsCollector extends Construct {
    /** Pinned collector image; move it deliberately. */
    public static final String IMAGE = "public.ecr.aws/aws-observability/aws-otel-collector:v0.43.3";
    public static final int OTLP_GRPC_PORT = 4317;
    /** The shard service exports traces over OTLP/HTTP ({@code strata.tracing.otlp-endpoint}). */
    public static final int OTLP_HTTP_PORT = 4318;

    /**
     * @param task        the task the sidecar joins
     * @param logs        where the sidecar's own logs go
     * @param metricsPort the shard service's port, whose {@code /metrics} path serves Prometheus text
     */
    public record Props(TaskDefinition task, ILogGroup logs, int metricsPort) {}

    private final LogGroup metricsLogGroup;

    public MetricsCollector(Construct scope, String id, Props props) {
        super(scope, id);
        this.metricsLogGroup = LogGroup.Builder.create(this, "EmfLogs")
                .retention(RetentionDays.ONE_WEEK)
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        props.task().addContainer("otel-collector", ContainerDefinitionOptions.builder()
                .image(ContainerImage.fromRegistry(IMAGE))
                .essential(false) // losing metrics must not take search down
                .memoryReservationMiB(256)
                .memoryLimitMiB(512)
                .cpu(256)
                .environment(Map.of("AOT_CONFIG_CONTENT", config(metricsLogGroup.getLogGroupName(), props.metricsPort())))
                .logging(LogDrivers.awsLogs(AwsLogDriverProps.builder()
                        .logGroup(props.logs()).streamPrefix("otel-collector").build()))
                .build());
        props.task().addToTaskRolePolicy(PolicyStatement.Builder.create()
                .actions(List.of("logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"))
                .resources(List.of(metricsLogGroup.getLogGroupArn()))
                .build());
        props.task().addToTaskRolePolicy(PolicyStatement.Builder.create()
                .actions(List.of("xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules",
                        "xray:GetSamplingTargets"))
                .resources(List.of("*"))
                .build());
    }

    /** The collector configuration (YAML), passed in the environment so no config file needs shipping. */
    static String config(String logGroupName, int metricsPort) {
        String shardSeries = String.join(", ", List.of(
                quoteRegex(SeedMetrics.SEARCH_QPS_TOTAL),
                quoteRegex(MetricNames.REPLICATION_LAG),
                quoteRegex(MetricNames.INDEX_BUILD_DURATION) .replace("$", ".*"),
                quoteRegex(MetricNames.DISK_USED_RATIO),
                quoteRegex(MetricNames.CACHE_BYTES),
                quoteRegex(MetricNames.RECALL_ESTIMATE)));
        return String.join("\n",
                "receivers:",
                "  otlp:",
                "    protocols:",
                "      grpc:",
                "        endpoint: 127.0.0.1:" + OTLP_GRPC_PORT,
                "      http:",
                "        endpoint: 127.0.0.1:" + OTLP_HTTP_PORT,
                "  prometheus:",
                "    config:",
                "      scrape_configs:",
                "        - job_name: " + SeedMetrics.SHARD_SERVICE,
                "          scrape_interval: 15s",
                "          metrics_path: /metrics",
                "          static_configs:",
                "            - targets: ['127.0.0.1:" + metricsPort + "']",
                "              labels:",
                "                " + SeedMetrics.SERVICE_DIMENSION + ": " + SeedMetrics.SHARD_SERVICE,
                "processors:",
                "  batch:",
                "    timeout: 10s",
                "exporters:",
                "  awsemf:",
                "    namespace: " + SeedMetrics.NAMESPACE,
                "    log_group_name: " + logGroupName,
                "    dimension_rollup_option: NoDimensionRollup",
                "    detailed_metrics: true",
                "    metric_declarations:",
                "      - dimensions: [[" + SeedMetrics.SERVICE_DIMENSION + ", " + SeedMetrics.QUANTILE_DIMENSION + "]]",
                "        metric_name_selectors: [" + quoteRegex(MetricNames.SEARCH_LATENCY) + "]",
                "      - dimensions: [[" + SeedMetrics.SERVICE_DIMENSION + "]]",
                "        metric_name_selectors: [" + shardSeries + "]",
                "  awsxray: {}",
                "service:",
                "  pipelines:",
                "    metrics:",
                "      receivers: [prometheus]",
                "      processors: [batch]",
                "      exporters: [awsemf]",
                "    traces:",
                "      receivers: [otlp]",
                "      processors: [batch]",
                "      exporters: [awsxray]",
                "");
    }

    private static String quoteRegex(String metricName) {
        return "'^" + metricName + "$'";
    }

    public LogGroup metricsLogGroup() {
        return metricsLogGroup;
    }
}
