package dev.lattice.spi.routing;

import dev.lattice.spi.net.IpAddress;

/**
 * One next hop of a route: a gateway, a device, or both.
 *
 * @param gateway the next-hop address, or {@code null} for a device route
 * @param device  the outgoing interface name, or empty to let the kernel choose from the gateway
 * @param onLink  whether the gateway is reachable on {@code device} without a covering subnet route
 * @param weight  relative weight among the next hops of a multipath route (1 when equal)
 */
public record NextHop(IpAddress gateway, String device, boolean onLink, int weight) {
    public NextHop {
        device = device == null ? "" : device;
        if (gateway == null && device.isEmpty()) {
            throw new IllegalArgumentException("a next hop needs a gateway or a device");
        }
        if (weight < 1 || weight > 256) {
            throw new IllegalArgumentException("next-hop weight " + weight + " is outside 1..256");
        }
    }

    public static NextHop via(IpAddress gateway) {
        return new NextHop(gateway, "", false, 1);
    }
}
