package dev.lattice.routing.bgp.fsm;

/**
 * Runs tasks later on the session's thread. Netty's event loop in production; a manual clock in
 * FSM tests.
 */
public interface Scheduler {
    /** A scheduled task that can be cancelled. */
    interface Timer {
        void cancel();
    }

    Timer schedule(Runnable task, long delayMillis);

    /** Runs a task on the session thread as soon as possible. */
    void execute(Runnable task);

    long nowMillis();
}
