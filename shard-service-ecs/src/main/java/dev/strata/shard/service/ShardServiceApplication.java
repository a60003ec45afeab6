package dev.strata.shard.service;

import io.micronaut.runtime.Micronaut;

/** Entry point of the shard service container (see the module's {@code Dockerfile}). */
public final class ShardServiceApplication {

    private ShardServiceApplication() {}

    public static void main(String[] args) {
        Micronaut.build(args).mainClass(ShardServiceApplication.class).banner(false).start();
    }
}
