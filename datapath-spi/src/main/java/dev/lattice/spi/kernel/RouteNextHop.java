package dev.lattice.spi.kernel;

import dev.lattice.spi.net.IpAddress;

/**
 * One path of a multipath (ECMP) route.
 *
 * @param gateway     the next router, or {@code null} for a directly connected path
 * @param outputIndex the output interface index, 0 to let the kernel choose from the gateway
 * @param weight      relative weight 1..256
 * @param onlink      treat the gateway as on-link even if no address covers it
 */
public record RouteNextHop(IpAddress gateway, int outputIndex, int weight, boolean onlink) {
    public RouteNextHop {
        if (weight < 1 || weight > 256) {
            throw new IllegalArgumentException("next-hop weight " + weight + " is outside 1..256");
        }
        if (gateway == null && outputIndex <= 0) {
            throw new IllegalArgumentException("a next hop needs a gateway or an output interface");
        }
    }

    public static RouteNextHop via(IpAddress gateway, int outputIndex) {
        return new RouteNextHop(gateway, outputIndex, 1, false);
    }
}
