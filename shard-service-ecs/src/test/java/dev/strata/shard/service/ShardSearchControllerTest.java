package dev.strata.shard.service;

import io.micronaut.context.exceptions.NoSuchBeanException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The search contract through the framework's controller, with the fast path switched off. */
class ShardSearchControllerTest extends ShardSearchHttpContract {

    @Override
    Map<String, Object> nodeProperties() {
        return Map.of("strata.http.fast-path", false);
    }

    @Test
    void fastPathIsOff() {
        assertThatThrownBy(() -> started.context().getBean(ShardSearchFastPathInstaller.class))
                .isInstanceOf(NoSuchBeanException.class);
    }
}
