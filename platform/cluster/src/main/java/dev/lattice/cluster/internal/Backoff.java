package dev.lattice.cluster.internal;

import java.util.function.DoubleSupplier;

/** Exponential backoff with jitter: initial, doubled per failure up to max, each +-jitter. */
final class Backoff {
    private final long initialMillis;
    private final long maxMillis;
    private final double jitter;
    private final DoubleSupplier random;
    private int failures;

    Backoff(long initialMillis, long maxMillis, double jitter, DoubleSupplier random) {
        this.initialMillis = initialMillis;
        this.maxMillis = maxMillis;
        this.jitter = jitter;
        this.random = random;
    }

    /** The delay before the next attempt; counts a failure. */
    synchronized long next() {
        long base = initialMillis << Math.min(failures, 20);
        if (base > maxMillis || base <= 0) {
            base = maxMillis;
        }
        failures++;
        double factor = 1 + jitter * (2 * random.getAsDouble() - 1);
        return Math.max(1, Math.round(base * factor));
    }

    synchronized int failures() {
        return failures;
    }

    synchronized void reset() {
        failures = 0;
    }
}
