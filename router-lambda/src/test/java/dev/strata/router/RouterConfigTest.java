package dev.strata.router;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.PropertySource;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The router's typed configuration, bound as on Lambda: from environment variables. */
class RouterConfigTest {

    private static RouterConfig bind(Map<String, Object> environment) {
        try (ApplicationContext context = ApplicationContext.builder()
                .deduceEnvironment(false)
                .propertySources(PropertySource.of("test-env", environment,
                        PropertySource.PropertyConvention.ENVIRONMENT_VARIABLE))
                .start()) {
            return context.getBean(RouterConfig.class);
        }
    }

    @Test
    void fallbackRegionsBindFromACommaListInOrderOfPreference() {
        RouterConfig config = bind(Map.of("STRATA_ROUTER_REGION", "us-east-1",
                "STRATA_ROUTER_FALLBACK_REGIONS", "eu-west-1, ap-south-1,"));
        assertThat(config.region()).isEqualTo("us-east-1");
        assertThat(config.fallbackRegions()).containsExactly("eu-west-1", "ap-south-1");
    }

    @Test
    void noFallbackRegionsByDefault() {
        assertThat(bind(Map.of()).fallbackRegions()).isEmpty();
    }

    @Test
    void theRoutersOwnRegionAsAFallbackIsRejected() {
        assertThatThrownBy(() -> bind(Map.of("STRATA_ROUTER_REGION", "us-east-1",
                "STRATA_ROUTER_FALLBACK_REGIONS", "eu-west-1,us-east-1")))
                .hasStackTraceContaining("strata.router.fallback-regions contains 'us-east-1', the router's own region");
    }

    @Test
    void aFallbackRegionListedTwiceIsRejected() {
        assertThatThrownBy(() -> bind(Map.of("STRATA_ROUTER_FALLBACK_REGIONS", "eu-west-1,eu-west-1")))
                .hasStackTraceContaining("strata.router.fallback-regions lists 'eu-west-1' twice");
    }
}
