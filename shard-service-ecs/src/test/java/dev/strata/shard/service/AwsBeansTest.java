package dev.strata.shard.service;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.PropertySource;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The container's wiring from its environment (the variables the CDK task definition sets), without starting the
 * server: no AWS call is made while the beans are built.
 */
class AwsBeansTest {

    @Test
    void homeBucketOfAnotherRegionIsTheFallback() throws Exception {
        // GIVEN a task in eu-west-1 whose collections' home is us-east-1
        try (ApplicationContext context = context(Map.of("STRATA_HOME_REGION", "us-east-1",
                "STRATA_HOME_BUCKET", "strata-segments-us-east-1"))) {
            // WHEN the node's runtime is built THEN segment files missing here are read from the home bucket
            assertThat(context.getBean(ShardNodeRuntime.class).homeFallback().bucket())
                    .isEqualTo("strata-segments-us-east-1");
        }
    }

    @Test
    void inTheHomeRegionThereIsNoFallback() throws Exception {
        // GIVEN a task of the home region: its home bucket is its own bucket
        try (ApplicationContext context = context(Map.of("STRATA_HOME_REGION", "eu-west-1",
                "STRATA_HOME_BUCKET", "strata-segments-eu-west-1"))) {
            // WHEN the runtime is built THEN it does not fall back to itself
            assertThat(context.getBean(ShardNodeRuntime.class).homeFallback()).isNull();
        }
    }

    @Test
    void withoutAHomeBucketThereIsNoFallback() throws Exception {
        // GIVEN no STRATA_HOME_BUCKET WHEN the runtime is built THEN there is no home bucket bean and no fallback
        try (ApplicationContext context = context(Map.of())) {
            assertThat(context.containsBean(HomeBucket.class)).isFalse();
            assertThat(context.getBean(ShardNodeRuntime.class).homeFallback()).isNull();
        }
    }

    private static ApplicationContext context(Map<String, String> extra) throws Exception {
        Map<String, Object> env = new HashMap<>(Map.of(
                "STRATA_NODE_REGION", "eu-west-1",
                "STRATA_AWS_REGION", "eu-west-1",
                "STRATA_AWS_TABLE", "strata-catalog",
                "STRATA_AWS_BUCKET", "strata-segments-eu-west-1",
                "STRATA_CACHE_DIR", Files.createTempDirectory("strata-aws-beans-").toString()));
        env.putAll(extra);
        return ApplicationContext.builder()
                .deduceEnvironment(false)
                .propertySources(PropertySource.of("task-environment", env,
                        PropertySource.PropertyConvention.ENVIRONMENT_VARIABLE))
                .start();
    }
}
