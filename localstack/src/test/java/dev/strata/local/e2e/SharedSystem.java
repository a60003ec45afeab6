package dev.strata.local.e2e;

import dev.strata.local.LocalSystem;

import java.time.Duration;

/**
 * One local system shared by the end-to-end test classes that do not break it (starting one costs seconds on
 * two cores). Started on first use; stopped when the test JVM exits. Chaos tests start their own.
 */
final class SharedSystem {
    private static LocalSystem system;

    private SharedSystem() {}

    static synchronized LocalSystem get() {
        if (system == null) {
            LocalSystem started = LocalSystem.start(LocalSystem.Config.forTests(3));
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "shared-local-system-stop"));
            system = started;
            try {
                if (!started.awaitReady(Duration.ofSeconds(60))) {
                    throw new IllegalStateException("the local system was not ready within 60 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return system;
    }
}
