package dev.lattice.spi.routing;

import dev.lattice.spi.plugin.DataplaneException;

/**
 * Makes every node's pod CIDRs reachable. It never writes the kernel routing table: it reports
 * routes to {@link RoutingContext#sink()} and the core's FIB programmer installs them, so that
 * swapping one distributor for another is a diff, not a flush. Registered with
 * {@code lattice.plugin.kind=routing}.
 */
public interface RouteDistributor {
    /** Starts (sessions, listeners). Called once before the first {@link #update}. */
    void start(RoutingContext context) throws DataplaneException;

    /** Gives the whole desired state; level-triggered and idempotent. */
    void update(RoutingIntent intent) throws DataplaneException;

    /** Current state for health and the admin API; cheap and non-blocking. */
    RoutingStatus status();

    /** Stops: closes sessions and releases what {@link #start} took. */
    void stop();
}
