package dev.lattice.spi.kernel;

import dev.lattice.spi.net.MacAddress;

/**
 * A network interface as the kernel reports it.
 *
 * @param index          interface index, unique in its namespace
 * @param name           interface name
 * @param kind           the rtnetlink kind ({@code "veth"}, {@code "bridge"}, {@code "macvlan"},
 *                       {@code "vxlan"}...), or {@code null} for a physical device or loopback
 * @param mtu            MTU in bytes
 * @param mac            hardware address, or {@code null} for links without one
 * @param up             administratively up (IFF_UP)
 * @param running        operationally up: carrier present (IFF_RUNNING/IFF_LOWER_UP)
 * @param masterIndex    index of the bridge (or other master) it is enslaved to, 0 for none
 * @param parentIndex    IFLA_LINK: the peer of a veth or the parent of a macvlan (possibly in another namespace), 0 for none
 * @param alias          IFLA_IFALIAS, or {@code null}
 * @param hairpin        for a bridge port, whether hairpin mode is on; {@code null} otherwise
 * @param learning       for a bridge port, whether the bridge learns source MACs on it; {@code null} otherwise
 */
public record LinkInfo(int index, String name, String kind, int mtu, MacAddress mac, boolean up,
                       boolean running, int masterIndex, int parentIndex, String alias,
                       Boolean hairpin, Boolean learning) {
}
