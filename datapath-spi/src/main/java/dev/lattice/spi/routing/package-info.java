/**
 * Route distribution: a {@link dev.lattice.spi.routing.RouteDistributor} learns how to reach other
 * nodes' pod CIDRs (from configuration, or over BGP) and reports routes; the core's FIB programmer
 * is the only writer of the kernel routing table.
 */
package dev.lattice.spi.routing;
