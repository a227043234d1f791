package dev.lattice.cluster.api;

import java.time.Duration;

/**
 * The cluster as seen by this agent: an OSGi service registered by the cluster bundle, present
 * whether or not a cluster is configured (without one, the snapshot stays empty and unsynced
 * and {@link #status()} says why).
 */
public interface ClusterState {
    /** The latest snapshot; never null (the empty unsynced snapshot before the first list). */
    ClusterSnapshot snapshot();

    /**
     * Subscribes a listener. If a snapshot has been published, the listener is first called with
     * it (every object as ADDED), then with every later publication.
     *
     * @return closing it unsubscribes
     */
    Subscription subscribe(ClusterListener listener);

    /** Which node this agent is. */
    NodeIdentity nodeIdentity();

    /** The connection state and its reason. */
    Status status();

    /**
     * Waits until a synced snapshot has been published.
     *
     * @return the synced snapshot, or null when the wait timed out
     */
    ClusterSnapshot awaitSynced(Duration timeout) throws InterruptedException;

    /** An active subscription. */
    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * The watch layer's state.
     *
     * @param phase       the phase
     * @param message     why, for people (e.g. the connection error while degraded)
     * @param apiServer   the API server URL in use (empty when not configured)
     * @param relists     how many times a kind was listed again after its first sync
     */
    record Status(Phase phase, String message, String apiServer, long relists) {
        public Status {
            message = message == null ? "" : message;
            apiServer = apiServer == null ? "" : apiServer;
        }
    }

    /** The watch layer's phase. */
    enum Phase {
        /** No API server configured: the agent runs without a cluster. */
        NOT_CONFIGURED,
        /** Connecting or listing for the first time; no synced snapshot yet. */
        CONNECTING,
        /** Every kind listed and watched. */
        SYNCED,
        /** Lost the API server (or a kind's watch) after a sync; the last snapshot is kept. */
        DEGRADED,
        /** Stopped. */
        STOPPED
    }
}
