package dev.lattice.spi.routing;

import java.util.Collection;

/**
 * Where a distributor reports what it learned. Level-triggered: each call replaces the whole
 * set of routes this distributor wants, and the core's FIB programmer makes the kernel match.
 */
@FunctionalInterface
public interface LearnedRouteSink {
    void replaceAll(Collection<Route> routes);
}
