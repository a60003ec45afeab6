package dev.strata.infra;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.applicationautoscaling.AdjustmentType;
import software.amazon.awscdk.services.applicationautoscaling.EnableScalingProps;
import software.amazon.awscdk.services.applicationautoscaling.ScalingInterval;
import software.amazon.awscdk.services.autoscaling.AutoScalingGroup;
import software.amazon.awscdk.services.autoscaling.BlockDevice;
import software.amazon.awscdk.services.autoscaling.BlockDeviceVolume;
import software.amazon.awscdk.services.autoscaling.EbsDeviceOptions;
import software.amazon.awscdk.services.autoscaling.EbsDeviceVolumeType;
import software.amazon.awscdk.services.autoscaling.NotificationConfiguration;
import software.amazon.awscdk.services.ec2.InstanceType;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.Peer;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.UserData;
import software.amazon.awscdk.services.ecs.AsgCapacityProvider;
import software.amazon.awscdk.services.ecs.AssetImageProps;
import software.amazon.awscdk.services.ecs.CapacityProviderStrategy;
import software.amazon.awscdk.services.ecs.Cluster;
import software.amazon.awscdk.services.ecs.ContainerDefinition;
import software.amazon.awscdk.services.ecs.ContainerDefinitionOptions;
import software.amazon.awscdk.services.ecs.ContainerImage;
import software.amazon.awscdk.services.ecs.ContainerInsights;
import software.amazon.awscdk.services.ecs.CpuUtilizationScalingProps;
import software.amazon.awscdk.services.ecs.DeploymentCircuitBreaker;
import software.amazon.awscdk.services.ecs.Ec2Service;
import software.amazon.awscdk.services.ecs.Ec2TaskDefinition;
import software.amazon.awscdk.services.ecs.EcsOptimizedImage;
import software.amazon.awscdk.services.ecs.Host;
import software.amazon.awscdk.services.ecs.LogDrivers;
import software.amazon.awscdk.services.ecs.MountPoint;
import software.amazon.awscdk.services.ecs.NetworkMode;
import software.amazon.awscdk.services.ecs.PlacementConstraint;
import software.amazon.awscdk.services.ecs.PortMapping;
import software.amazon.awscdk.services.ecs.Secret;
import software.amazon.awscdk.services.ecs.Ulimit;
import software.amazon.awscdk.services.ecs.UlimitName;
import software.amazon.awscdk.services.ecs.Volume;
import software.amazon.awscdk.services.ecs.AwsLogDriverProps;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.sns.ITopic;
import software.constructs.Construct;

/**
 * The serving tier (DESIGN §1 step 3): an ECS cluster whose capacity is an Auto Scaling group of NVMe
 * instance-store instances, one shard task per instance. Each instance formats and mounts its instance store at
 * boot ({@link CacheVolumeUserData}); the task bind-mounts it as the segment cache. The task also runs the
 * {@link MetricsCollector} sidecar that scrapes the service's Prometheus endpoint into CloudWatch and forwards
 * its traces to X-Ray. The service scales on CPU and on the search latency.
 */
public final class ShardService extends Construct {
    /** The shard service's one port: search, {@code /health}, and Prometheus text at {@code /metrics}. */
    public static final int SERVICE_PORT = 8080;
    /**
     * Plain-HTTP port of {@code /health} and {@code /metrics} inside the task: with mutual TLS on the service port
     * (always, here) the in-task health check and the collector hold no client certificate
     * ({@code strata.tls.management-port} of the shard service, set explicitly below).
     */
    public static final int MANAGEMENT_PORT = 8081;
    /** Paths of shard-service-ecs/Dockerfile's build context that its build does not read. */
    static final List<String> IMAGE_EXCLUDES = List.of(".git", "**/target", "**/node_modules", "**/cdk.out",
            ".strata-local", ".idea", ".vscode", ".ci", "bin", "docs", "ingest-lambda/src", "router-lambda/src",
            "infra-cdk/src", "infra-cdk/bin", "localstack/src");
    public static final String CONTAINER_CACHE_DIR = "/var/cache/strata";
    /** Memory reserved for the shard container: leaves room for the agent and the sidecar on 16 GiB types. */
    static final int SHARD_MEMORY_RESERVATION_MIB = 12_288;
    static final double LATENCY_SCALE_OUT_SECONDS = 0.025;
    static final double LATENCY_SCALE_IN_SECONDS = 0.010;
    static final int CPU_TARGET_PERCENT = 60;

    /**
     * @param network        the serving VPC
     * @param capacity       instance type and counts
     * @param imageDirectory Docker build context of the shard service
     * @param catalog        the catalog replica of this region
     * @param segments       the region's segment bucket
     * @param key            the region's data key
     * @param homeRegion     the catalog's home region; its bucket is the fallback for segments not replicated yet
     * @param tls            mutual TLS material
     * @param notifications  topic for scaling events
     */
    public record Props(ServingNetwork network, ShardCapacity capacity, Path imageDirectory, CatalogAccess catalog,
                        SegmentBucket segments, IKey key, String homeRegion, MutualTls tls, ITopic notifications) {}

    private final Cluster cluster;
    private final AutoScalingGroup instances;
    private final AsgCapacityProvider capacityProvider;
    private final Ec2TaskDefinition taskDefinition;
    private final ContainerDefinition shard;
    private final Ec2Service service;
    private final SecurityGroup securityGroup;

    public ShardService(Construct scope, String id, Props props) {
        super(scope, id);
        var vpc = props.network().vpc();
        this.cluster = Cluster.Builder.create(this, "Cluster")
                .vpc(vpc)
                .containerInsightsV2(ContainerInsights.ENABLED)
                .build();

        UserData userData = UserData.forLinux();
        userData.addCommands(CacheVolumeUserData.commands().toArray(String[]::new));
        this.instances = AutoScalingGroup.Builder.create(this, "Instances")
                .vpc(vpc)
                .vpcSubnets(props.network().appSubnets())
                .instanceType(new InstanceType(props.capacity().instanceType()))
                .machineImage(EcsOptimizedImage.amazonLinux2023())
                .userData(userData)
                .requireImdsv2(true)
                .minCapacity(props.capacity().minInstances())
                .maxCapacity(props.capacity().maxInstances())
                .blockDevices(List.of(BlockDevice.builder()
                        .deviceName("/dev/xvda")
                        .volume(BlockDeviceVolume.ebs(30, EbsDeviceOptions.builder()
                                .encrypted(true).volumeType(EbsDeviceVolumeType.GP3).build()))
                        .build()))
                .notifications(List.of(NotificationConfiguration.builder().topic(props.notifications()).build()))
                .build();
        this.capacityProvider = AsgCapacityProvider.Builder.create(this, "Capacity")
                .autoScalingGroup(instances)
                .enableManagedScaling(true)
                .enableManagedTerminationProtection(false)
                .targetCapacityPercent(100)
                // ECS managed draining moves tasks off an instance before scale-in; no Lambda drain hook needed.
                .enableManagedDraining(true)
                .build();
        cluster.addAsgCapacityProvider(capacityProvider);
        Nag.suppressOnly(instances, "IAM5", "the ECS container instance policy CDK attaches: the agent registers"
                + " and polls with ecs:Submit*/Poll/StartTelemetrySession and ecr:GetAuthorizationToken, which"
                + " do not support narrower resources", "Action::ecs:Submit*", "Resource::*");

        this.taskDefinition = Ec2TaskDefinition.Builder.create(this, "Task")
                .networkMode(NetworkMode.AWS_VPC)
                .volumes(List.of(Volume.builder()
                        .name("segment-cache")
                        .host(Host.builder().sourcePath(CacheVolumeUserData.HOST_MOUNT).build())
                        .build()))
                .build();
        LogGroup logs = LogGroup.Builder.create(this, "Logs")
                .retention(RetentionDays.ONE_MONTH)
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        this.shard = taskDefinition.addContainer("shard", ContainerDefinitionOptions.builder()
                .image(ContainerImage.fromAsset(props.imageDirectory().toString(), AssetImageProps.builder()
                        .file(Artifacts.SHARD_DOCKERFILE)
                        .exclude(IMAGE_EXCLUDES)
                        .build()))
                .memoryReservationMiB(SHARD_MEMORY_RESERVATION_MIB)
                .essential(true)
                .portMappings(List.of(
                        PortMapping.builder().containerPort(SERVICE_PORT).name("search").build()))
                .healthCheck(software.amazon.awscdk.services.ecs.HealthCheck.builder()
                        .command(List.of("CMD", "java", "-XX:TieredStopAtLevel=1", "-cp",
                                "/opt/strata/shard-service-ecs.jar", "dev.strata.shard.service.HealthProbe",
                                "http://127.0.0.1:" + MANAGEMENT_PORT + "/health/liveness"))
                        .interval(Duration.seconds(10))
                        .timeout(Duration.seconds(3))
                        .startPeriod(Duration.seconds(60))
                        .retries(3)
                        .build())
                .environment(environment(props))
                .secrets(Map.of(
                        "STRATA_TLS_CA_PEM", Secret.fromSecretsManager(props.tls().server(), MutualTls.CA_FIELD),
                        "STRATA_TLS_CERT_PEM", Secret.fromSecretsManager(props.tls().server(), MutualTls.CERT_FIELD),
                        "STRATA_TLS_KEY_PEM", Secret.fromSecretsManager(props.tls().server(), MutualTls.KEY_FIELD)))
                .ulimits(List.of(Ulimit.builder().name(UlimitName.NOFILE).softLimit(65_536).hardLimit(65_536).build()))
                .logging(LogDrivers.awsLogs(AwsLogDriverProps.builder().logGroup(logs).streamPrefix("shard").build()))
                .stopTimeout(Duration.seconds(30))
                .build());
        shard.addMountPoints(MountPoint.builder()
                .sourceVolume("segment-cache")
                .containerPath(CONTAINER_CACHE_DIR)
                .readOnly(false)
                .build());
        new MetricsCollector(this, "Collector", new MetricsCollector.Props(taskDefinition, logs, MANAGEMENT_PORT));
        grantData(props);
        Nag.suppress(taskDefinition, "ECS2", "the environment holds only non-secret settings (table, bucket, region,"
                + " ports, paths); the TLS key material comes from Secrets Manager as container secrets");
        Nag.suppressOnly(taskDefinition, "IAM5", "task role: X-Ray trace upload (no resource-level permissions);"
                + " segments/ of this region's and the home region's bucket (segment keys are generated per commit);"
                + " the catalog's own indexes. Execution role: ecr:GetAuthorizationToken (account-wide by design)",
                "Resource::*", Nag.objectsUnder(SegmentBucket.SEGMENTS_PREFIX), Nag.CATALOG_INDEXES,
                Nag.KEYS_BY_ALIAS);

        this.securityGroup = SecurityGroup.Builder.create(this, "SecurityGroup")
                .vpc(vpc)
                .description("Strata shard tasks: mutual-TLS search port, reachable from the router only")
                .allowAllOutbound(true)
                .build();
        this.service = Ec2Service.Builder.create(this, "Service")
                .cluster(cluster)
                .taskDefinition(taskDefinition)
                .desiredCount(props.capacity().minInstances())
                .minHealthyPercent(50)
                .maxHealthyPercent(200)
                .capacityProviderStrategies(List.of(CapacityProviderStrategy.builder()
                        .capacityProvider(capacityProvider.getCapacityProviderName())
                        .weight(1)
                        .build()))
                .placementConstraints(List.of(PlacementConstraint.distinctInstances()))
                .securityGroups(List.of(securityGroup))
                .vpcSubnets(props.network().appSubnets())
                .circuitBreaker(DeploymentCircuitBreaker.builder().enable(true).rollback(true).build())
                .build();
        autoscale(props.capacity());
    }

    private Map<String, String> environment(Props props) {
        String region = Stack.of(this).getRegion();
        return Map.ofEntries(
                // strata.node.*, strata.aws.*, strata.cache.*, strata.tracing.* of the shard service's settings
                Map.entry("AWS_REGION", region),
                Map.entry("STRATA_NODE_REGION", region),
                Map.entry("STRATA_AWS_REGION", region),
                Map.entry("STRATA_AWS_TABLE", props.catalog().tableName()),
                Map.entry("STRATA_AWS_BUCKET", props.segments().bucket().getBucketName()),
                Map.entry("STRATA_CACHE_DIR", CONTAINER_CACHE_DIR),
                Map.entry("STRATA_TRACING_EXPORTER", "otlp"),
                Map.entry("STRATA_TRACING_OTLP_ENDPOINT",
                        "http://127.0.0.1:" + MetricsCollector.OTLP_HTTP_PORT + "/v1/traces"),
                // DESIGN §6 fallback for segments not replicated yet, and §10 mutual TLS (material in secrets)
                Map.entry("STRATA_HOME_REGION", props.homeRegion()),
                Map.entry("STRATA_HOME_BUCKET", SegmentBucket.nameIn(this, props.homeRegion())),
                Map.entry("STRATA_TLS_CLIENT_AUTH", "required"),
                Map.entry("STRATA_TLS_MANAGEMENT_PORT", String.valueOf(MANAGEMENT_PORT)));
    }

    /** Read the catalog and write heartbeats; read segments here and, as fallback, in the home region. */
    private void grantData(Props props) {
        var role = taskDefinition.getTaskRole();
        props.catalog().grantReadWrite(role);
        String partition = Stack.of(this).getPartition();
        String homeBucketArn = "arn:" + partition + ":s3:::" + SegmentBucket.nameIn(this, props.homeRegion());
        role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .actions(List.of("s3:GetObject"))
                .resources(List.of(props.segments().bucket().arnForObjects(SegmentBucket.SEGMENTS_PREFIX + "*"),
                        homeBucketArn + "/" + SegmentBucket.SEGMENTS_PREFIX + "*"))
                .build());
        role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .actions(List.of("kms:Decrypt"))
                .resources(List.of(props.key().getKeyArn()))
                .build());
        if (!props.homeRegion().equals(Stack.of(this).getRegion())) {
            role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                    .actions(List.of("kms:Decrypt"))
                    .resources(List.of(DataKey.anyKeyArn(this, props.homeRegion())))
                    .conditions(DataKey.aliasCondition(DataKey.DATA_ALIAS))
                    .build());
        }
    }

    private void autoscale(ShardCapacity capacity) {
        var scaling = service.autoScaleTaskCount(EnableScalingProps.builder()
                .minCapacity(capacity.minInstances())
                .maxCapacity(capacity.maxInstances())
                .build());
        scaling.scaleOnCpuUtilization("Cpu", CpuUtilizationScalingProps.builder()
                .targetUtilizationPercent(CPU_TARGET_PERCENT)
                .scaleOutCooldown(Duration.minutes(2))
                .scaleInCooldown(Duration.minutes(10))
                .build());
        scaling.scaleOnMetric("SearchLatency", software.amazon.awscdk.services.applicationautoscaling
                .BasicStepScalingPolicyProps.builder()
                .metric(SeedMetrics.searchLatency(SeedMetrics.P95, "Average"))
                .adjustmentType(AdjustmentType.CHANGE_IN_CAPACITY)
                .scalingSteps(List.of(
                        ScalingInterval.builder().upper(LATENCY_SCALE_IN_SECONDS).change(-1).build(),
                        ScalingInterval.builder().lower(LATENCY_SCALE_OUT_SECONDS).change(1).build(),
                        ScalingInterval.builder().lower(2 * LATENCY_SCALE_OUT_SECONDS).change(2).build()))
                .cooldown(Duration.minutes(3))
                .build());
    }

    /** Lets {@code peer} reach the shards' service port. */
    public void allowFrom(software.amazon.awscdk.services.ec2.ISecurityGroup peer) {
        securityGroup.addIngressRule(peer, Port.tcp(SERVICE_PORT), "router to shard");
    }

    /**
     * Lets the routers of a peered region (address block {@code cidr}) reach the shards' service port: security
     * groups cannot name a group of another region, so the peer's VPC block is admitted, on the mutual-TLS port
     * only.
     */
    public void allowFromPeerRegion(String region, String cidr) {
        securityGroup.addIngressRule(Peer.ipv4(cidr), Port.tcp(SERVICE_PORT), "routers of " + region
                + " (peered VPC) to shard, cross-region fallback");
    }

    public Cluster cluster() {
        return cluster;
    }

    public AutoScalingGroup instances() {
        return instances;
    }

    public Ec2TaskDefinition taskDefinition() {
        return taskDefinition;
    }

    public Ec2Service service() {
        return service;
    }
}
