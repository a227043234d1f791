package dev.lattice.core.controller;

/**
 * What a {@link ControllerLoop} drives. Implementations are level-triggered: {@link #sync()}
 * computes the whole desired state from current inputs (e.g. the latest cluster snapshot) and
 * makes the applied state match, every time; it is never told what changed.
 */
public interface Controller {
    /** A short stable name, e.g. {@code service-proxy}; used in health and metrics. */
    String name();

    /**
     * Reconciles desired against applied state. Called on the loop's thread, never concurrently
     * with itself. An exception marks the sync failed: the loop retries with backoff.
     */
    void sync() throws Exception;

    /** Removes everything this controller programmed. Called once, after the loop stopped. */
    void cleanup() throws Exception;
}
