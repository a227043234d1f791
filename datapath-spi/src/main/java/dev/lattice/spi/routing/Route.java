package dev.lattice.spi.routing;

import dev.lattice.spi.net.IpPrefix;
import java.util.List;
import java.util.Objects;

/**
 * A route a distributor wants in the node's routing table. More than one next hop makes it an
 * equal-cost multipath route.
 *
 * @param destination the prefix
 * @param nextHops    one or more next hops
 * @param metric      the route priority (lower wins); 0 for the kernel default
 */
public record Route(IpPrefix destination, List<NextHop> nextHops, int metric) {
    public Route {
        Objects.requireNonNull(destination, "destination");
        nextHops = List.copyOf(nextHops);
        if (nextHops.isEmpty()) {
            throw new IllegalArgumentException("route to " + destination + " has no next hop");
        }
        for (NextHop h : nextHops) {
            if (h.gateway() != null && h.gateway().family() != destination.family()) {
                throw new IllegalArgumentException("route to " + destination + " has next hop "
                        + h.gateway() + " of another family");
            }
        }
        if (metric < 0) {
            throw new IllegalArgumentException("negative metric");
        }
    }
}
