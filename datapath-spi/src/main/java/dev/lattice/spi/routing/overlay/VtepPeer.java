package dev.lattice.spi.routing.overlay;

import dev.lattice.spi.net.IpAddress;
import dev.lattice.spi.net.MacAddress;

/**
 * A remote node reached through the overlay: frames for {@code mac} are sent, VXLAN-encapsulated,
 * to {@code underlay}; {@code inner} (the network address of the remote pod CIDR) is the on-link
 * next hop of the route to that CIDR and resolves to {@code mac}.
 */
public record VtepPeer(String node, IpAddress underlay, MacAddress mac, IpAddress inner) {
    /**
     * The overlay MAC of the node whose underlay address is {@code underlay}: locally administered,
     * derived from the address, so every node computes every other node's MAC without exchanging
     * it (no annotation, no control plane).
     */
    public static MacAddress macFor(IpAddress underlay) {
        byte[] a = underlay.bytes();
        byte[] mac = new byte[6];
        mac[0] = 0x0e; // locally administered, unicast
        mac[1] = 0x4c;
        if (a.length == 4) {
            System.arraycopy(a, 0, mac, 2, 4);
        } else {
            int h = java.util.Arrays.hashCode(a);
            mac[2] = (byte) (h >>> 24);
            mac[3] = (byte) (h >>> 16);
            mac[4] = (byte) (h >>> 8);
            mac[5] = (byte) h;
        }
        return MacAddress.ofBytes(mac);
    }
}
