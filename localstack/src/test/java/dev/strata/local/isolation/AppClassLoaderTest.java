package dev.strata.local.isolation;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AppClassLoaderTest {

    @Test
    void applicationPackagesAreIsolatedAndSharedTypesAreNot() {
        assertThat(AppClassLoader.isolatedPrefix("io.micronaut.context.ApplicationContext")).isTrue();
        assertThat(AppClassLoader.isolatedPrefix("dev.strata.router.RouterApp")).isTrue();
        assertThat(AppClassLoader.isolatedPrefix("dev.strata.shard.service.ShardNode")).isTrue();
        assertThat(AppClassLoader.isolatedPrefix("dev.strata.catalog.Catalog")).isFalse();
        assertThat(AppClassLoader.isolatedPrefix("software.amazon.awssdk.services.s3.S3Client")).isFalse();
    }

    @Test
    void sharedClassesAreTheLaunchersOwn() throws Exception {
        try (AppClassLoader loader = AppClassLoader.over("t", AppClassLoader.jvmClassPath(), List.of(),
                getClass().getClassLoader())) {
            assertThat(loader.loadClass("dev.strata.catalog.Catalog"))
                    .isSameAs(dev.strata.catalog.Catalog.class);
        }
    }

    @Test
    void aHiddenModulesResourcesAndClassesAreInvisible() throws IOException {
        // GIVEN a "module" directory with a Micronaut bean-definition resource and a class file
        Path module = Files.createTempDirectory("hidden-module");
        Path resource = module.resolve("META-INF/micronaut/x");
        Files.createDirectories(resource.getParent());
        Files.writeString(resource, "x");
        List<Path> classPath = new java.util.ArrayList<>(AppClassLoader.jvmClassPath());
        classPath.add(module);
        // WHEN one loader sees it and another hides it
        try (AppClassLoader seeing = AppClassLoader.over("a", classPath, List.of(), getClass().getClassLoader());
             AppClassLoader hiding = AppClassLoader.over("b", classPath, List.of(module), getClass().getClassLoader())) {
            // THEN only the first finds the resource
            assertThat(Collections.list(seeing.getResources("META-INF/micronaut/x"))).hasSize(1);
            assertThat(Collections.list(hiding.getResources("META-INF/micronaut/x"))).isEmpty();
            assertThatThrownBy(() -> hiding.loadClass("dev.strata.router.DoesNotExist"))
                    .isInstanceOf(ClassNotFoundException.class);
        }
    }
}
