package dev.strata.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StrataConfigTest {
    private static final Path HERE = Path.of("").toAbsolutePath();

    private static StrataConfig read(Map<String, Object> context) {
        return StrataConfig.fromContext(context::get, null, HERE);
    }

    @Test
    void readsRegionsAndHomeFromCommaSeparatedContext() {
        // GIVEN -c regions=us-east-1,eu-west-1,ap-southeast-2 -c homeRegion=eu-west-1
        Map<String, Object> context = Map.of("regions", "us-east-1, eu-west-1,ap-southeast-2", "homeRegion", "eu-west-1");

        // WHEN the configuration is read
        StrataConfig config = read(context);

        // THEN regions keep their order, the home region is the one given and its peers are the others
        assertThat(config.regions()).containsExactly("us-east-1", "eu-west-1", "ap-southeast-2");
        assertThat(config.homeRegion()).isEqualTo("eu-west-1");
        assertThat(config.peersOf("eu-west-1")).containsExactly("us-east-1", "ap-southeast-2");
        assertThat(config.domain()).isEmpty();
        assertThat(config.account()).isNull();
        assertThat(config.replicateSegments()).isTrue();
    }

    @Test
    void replicationCanBeTurnedOffForTheFirstDeploymentOfARegion() {
        assertThat(read(Map.of("replicateSegments", "false")).replicateSegments()).isFalse();
    }

    @Test
    void readsRegionsGivenAsAJsonListInCdkJson() {
        StrataConfig config = read(Map.of("regions", List.of("eu-west-1", "us-east-1")));

        assertThat(config.regions()).containsExactly("eu-west-1", "us-east-1");
        assertThat(config.homeRegion()).as("first region when homeRegion is absent").isEqualTo("eu-west-1");
    }

    @Test
    void defaultsPointAtTheOtherModulesBuilds() {
        StrataConfig config = read(Map.of());

        Path root = Artifacts.findRepositoryRoot(HERE);
        assertThat(config.artifacts().ingestJar()).isEqualTo(root.resolve("ingest-lambda/target/ingest-lambda.jar"));
        assertThat(config.artifacts().routerJar()).isEqualTo(root.resolve("router-lambda/target/router-lambda.jar"));
        assertThat(config.artifacts().shardImageDirectory()).as("build context of shard-service-ecs/Dockerfile")
                .isEqualTo(root);
        assertThat(config.capacity()).isEqualTo(ShardCapacity.DEFAULT);
        assertThat(config.capacity().instanceType()).isEqualTo("i4i.large");
    }

    @Test
    void aDomainNameWithoutZoneNameUsesItsParentZone() {
        StrataConfig config = read(Map.of("domainName", "api.strata.example.com", "hostedZoneId", "Z1"));

        assertThat(config.domain()).contains(new CustomDomain("api.strata.example.com", "Z1", "strata.example.com"));
    }

    @Test
    void rejectsAHomeRegionThatIsNotConfigured() {
        assertThatThrownBy(() -> read(Map.of("regions", "us-east-1,eu-west-1", "homeRegion", "ap-south-1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("homeRegion 'ap-south-1' is not one of regions [us-east-1, eu-west-1]");
    }

    @Test
    void rejectsARegionListedTwice() {
        assertThatThrownBy(() -> read(Map.of("regions", "us-east-1,us-east-1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("regions [us-east-1, us-east-1] lists a region twice");
    }

    @Test
    void rejectsSomethingThatIsNotARegionName() {
        assertThatThrownBy(() -> read(Map.of("regions", "us-east-1,mars")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("regions contains 'mars', which is not a region name");
    }

    @Test
    void rejectsAnInstanceTypeWithoutInstanceStore() {
        assertThatThrownBy(() -> read(Map.of("shardInstanceType", "m7g.large")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("shardInstanceType 'm7g.large' is not a type with NVMe instance store");
    }

    @Test
    void acceptsOtherNvmeInstanceTypesAndCounts() {
        StrataConfig config = read(Map.of("shardInstanceType", "m6id.xlarge", "shardMinInstances", "1",
                "shardMaxInstances", 4, "natGateways", "0"));

        assertThat(config.capacity()).isEqualTo(new ShardCapacity("m6id.xlarge", 1, 4, 0));
    }

    @Test
    void rejectsAMaximumBelowTheMinimum() {
        assertThatThrownBy(() -> read(Map.of("shardMinInstances", "3", "shardMaxInstances", "2")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("shardMaxInstances is 2; it must be at least shardMinInstances (3)");
    }

    @Test
    void rejectsACountThatIsNotANumber() {
        assertThatThrownBy(() -> read(Map.of("shardMinInstances", "two")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("shardMinInstances is 'two', which is not a whole number");
    }

    @Test
    void rejectsAHostedZoneWithoutADomainName() {
        assertThatThrownBy(() -> read(Map.of("hostedZoneId", "Z1", "hostedZoneName", "example.com")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("domainName is blank");
    }

    @Test
    void rejectsADomainOutsideItsZone() {
        assertThatThrownBy(() -> read(Map.of("domainName", "api.other.org", "hostedZoneId", "Z1",
                "hostedZoneName", "example.com")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("domainName 'api.other.org' is not inside hostedZoneName 'example.com'");
    }

    @Test
    void rejectsAnAccountThatIsNotTwelveDigits() {
        Map<String, Object> context = new HashMap<>();
        context.put("account", "12345");
        assertThatThrownBy(() -> read(context))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("account '12345' is not a 12-digit account id");
    }

    @Test
    void theAppRefusesToSynthesizeWithoutTheLambdaBuilds(@org.junit.jupiter.api.io.TempDir Path empty) {
        Artifacts artifacts = Artifacts.underRepository(empty);

        assertThatThrownBy(artifacts::requireBuilt)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("ingest-lambda artifact '" + empty.resolve("ingest-lambda/target/ingest-lambda.jar")
                        + "' does not exist; build it with ./mvnw -pl ingest-lambda -am package -DskipTests");
    }
}
