package dev.lattice.core.controller;

/** Time and timers for a {@link ControllerLoop}: the system's, or a manual one for tests. */
public interface LoopClock {
    /** Monotonic time in nanoseconds (as {@link System#nanoTime()}). */
    long nanoTime();

    /**
     * Runs {@code task} once after {@code delayNanos} (0 or less: as soon as possible), on a
     * thread of the clock's choosing; tasks of one clock never run concurrently.
     */
    Timer schedule(Runnable task, long delayNanos);

    /** Releases the clock's thread(s); scheduled tasks are dropped. */
    void shutdown();

    /** A scheduled task. */
    interface Timer {
        /** Cancels the task if it has not started. */
        void cancel();
    }

    /** The system clock with one daemon thread named {@code lattice-controller-<name>}. */
    static LoopClock system(String name) {
        return new SystemLoopClock(name);
    }
}
