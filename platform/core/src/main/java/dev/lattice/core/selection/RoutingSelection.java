package dev.lattice.core.selection;

import dev.lattice.spi.routing.Route;
import dev.lattice.spi.routing.RoutingIntent;
import java.util.List;

/** Entry point of the routing controller and source of learned routes for the FIB programmer. */
public interface RoutingSelection extends PluginSelection {
    /** Remembers {@code intent} and updates the distributor in force, if any. */
    void update(RoutingIntent intent);

    /** The routes the distributor in force reports, empty when none is in force. */
    List<Route> learnedRoutes();

    /**
     * Calls {@code listener} whenever the distributor in force reports new routes or another
     * distributor takes over. The listener must not block (schedule the work). Close to stop.
     */
    AutoCloseable onChange(Runnable listener);
}
