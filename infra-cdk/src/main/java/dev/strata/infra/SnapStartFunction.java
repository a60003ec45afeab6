package dev.strata.infra;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.ec2.ISecurityGroup;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.LoggingFormat;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.lambda.Tracing;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/**
 * A Java 21 Lambda function the way Strata runs both of its functions: the module's shaded jar as the asset,
 * SnapStart on published versions (invoked only through the {@code live} alias, which points at the current
 * version), X-Ray active tracing, JSON logs into its own log group, and an explicit role that starts with
 * nothing but writing to that log group and to X-Ray.
 */
public final class SnapStartFunction extends Construct {

    /**
     * @param jar         the shaded jar to deploy
     * @param handler     fully qualified handler
     * @param memoryMb    memory (and so CPU) of the function
     * @param timeout     how long one invocation may run
     * @param environment configuration read once at init
     * @param network     VPC placement, or {@code null} for a function outside any VPC
     */
    public record Props(Path jar, String handler, int memoryMb, Duration timeout, Map<String, String> environment,
                        Network network) {}

    /** VPC placement of a function. */
    public record Network(IVpc vpc, SubnetSelection subnets, ISecurityGroup securityGroup) {}

    private final Role role;
    private final Function function;
    private final Alias live;

    public SnapStartFunction(Construct scope, String id, Props props) {
        super(scope, id);
        LogGroup logs = LogGroup.Builder.create(this, "Logs")
                .retention(RetentionDays.ONE_MONTH)
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        this.role = Role.Builder.create(this, "Role")
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .build();
        role.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("logs:CreateLogStream", "logs:PutLogEvents"))
                .resources(List.of(logs.getLogGroupArn()))
                .build());
        Function.Builder builder = Function.Builder.create(this, "Function")
                .runtime(Runtime.JAVA_21)
                .architecture(Architecture.ARM_64)
                .code(Code.fromAsset(props.jar().toString()))
                .handler(props.handler())
                .memorySize(props.memoryMb())
                .timeout(props.timeout())
                .environment(props.environment())
                .snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS)
                .tracing(Tracing.ACTIVE)
                .loggingFormat(LoggingFormat.JSON)
                .logGroup(logs)
                .role(role);
        if (props.network() != null) {
            role.addToPolicy(PolicyStatement.Builder.create()
                    .actions(List.of("ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces",
                            "ec2:DescribeSubnets", "ec2:DeleteNetworkInterface",
                            "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"))
                    .resources(List.of("*"))
                    .build());
            builder.vpc(props.network().vpc())
                    .vpcSubnets(props.network().subnets())
                    .securityGroups(List.of(props.network().securityGroup()));
        }
        this.function = builder.build();
        this.live = Alias.Builder.create(this, "Live")
                .aliasName("live")
                .version(function.getCurrentVersion())
                .build();
        Annotations.of(function).acknowledgeWarning("@aws-cdk/aws-lambda:snapStartRequirePublish",
                "every trigger invokes the live alias of the current published version");
        Nag.suppress(function, "L1", "Java 21 is the runtime the project targets (--release 21, TOOLCHAIN.md);"
                + " moving to a newer Java runtime is a deliberate project-wide change");
        Nag.suppressOnly(role, "IAM5", "X-Ray PutTraceSegments/PutTelemetryRecords and the VPC network-interface"
                + " actions Lambda needs do not support resource-level permissions", "Resource::*");
    }

    public Role role() {
        return role;
    }

    public Function function() {
        return function;
    }

    /** The alias every trigger invokes: SnapStart only applies to published versions. */
    public Alias live() {
        return live;
    }
}
