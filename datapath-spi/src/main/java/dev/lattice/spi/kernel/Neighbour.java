package dev.lattice.spi.kernel;

import dev.lattice.spi.net.IpAddress;
import dev.lattice.spi.net.MacAddress;

/**
 * An ARP (IPv4) or NDP (IPv6) entry.
 *
 * @param ifindex the interface index
 * @param address the neighbour's IP address
 * @param mac     its link-layer address, or {@code null} (e.g. for an incomplete entry)
 * @param state   the entry state; {@link NeighbourState#PERMANENT} for entries the agent programs
 */
public record Neighbour(int ifindex, IpAddress address, MacAddress mac, NeighbourState state) {
    public static Neighbour permanent(int ifindex, IpAddress address, MacAddress mac) {
        return new Neighbour(ifindex, address, mac, NeighbourState.PERMANENT);
    }
}
