package dev.strata.local.e2e;

import java.time.Duration;
import java.util.function.Supplier;

/** Bounded polling for the end-to-end tests. */
final class Waits {
    private Waits() {}

    /** Polls {@code probe} every 50 ms until it returns non-null, or fails after {@code timeout} naming {@code what}. */
    static <T> T until(String what, Duration timeout, Supplier<T> probe) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            T value = probe.get();
            if (value != null) {
                return value;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " did not happen within " + timeout);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
        }
    }
}
