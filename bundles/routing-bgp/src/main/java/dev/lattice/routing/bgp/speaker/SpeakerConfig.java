package dev.lattice.routing.bgp.speaker;

import dev.lattice.routing.bgp.rib.Policy;
import dev.lattice.spi.net.IpAddress;

/**
 * Settings of the whole speaker.
 *
 * @param localAs        our AS
 * @param routerId       BGP identifier
 * @param listenAddress  address to listen on, or null for all
 * @param listenPort     TCP port to listen on; -1 to not listen (outgoing sessions only), 0 for any
 * @param clusterId      route-reflector cluster ID (0: use the router ID)
 * @param maxPaths       ECMP paths per prefix (1 disables multipath)
 * @param importPolicy   applied to every learned route
 * @param exportPolicy   applied to every advertised route
 * @param nextHopV4      next hop we advertise for IPv4 when next-hop-self applies, or null for the
 *                       session's local address
 * @param nextHopV6      likewise for IPv6 (required for IPv6 over an IPv4 session)
 * @param nextHopSelf    also rewrite the next hop of routes learned over eBGP when sending them to
 *                       iBGP peers
 * @param stalePathSeconds how long stale routes of a restarted peer are kept at most after the
 *                       session is back (RFC 4724)
 */
public record SpeakerConfig(long localAs, int routerId, IpAddress listenAddress, int listenPort, int clusterId,
                            int maxPaths, Policy importPolicy, Policy exportPolicy, IpAddress nextHopV4,
                            IpAddress nextHopV6, boolean nextHopSelf, int stalePathSeconds) {
    public SpeakerConfig {
        if (localAs < 1 || localAs > 0xffffffffL) {
            throw new IllegalArgumentException("asn outside 1..4294967295: " + localAs);
        }
        if (routerId == 0) {
            throw new IllegalArgumentException("router ID must not be 0.0.0.0");
        }
        importPolicy = importPolicy == null ? Policy.ACCEPT_ALL : importPolicy;
        exportPolicy = exportPolicy == null ? Policy.ACCEPT_ALL : exportPolicy;
    }

    public static SpeakerConfig of(long localAs, IpAddress routerId, int listenPort) {
        return new SpeakerConfig(localAs, toInt(routerId), null, listenPort, 0, 4, null, null, null, null, false, 360);
    }

    public int effectiveClusterId() {
        return clusterId != 0 ? clusterId : routerId;
    }

    public static int toInt(IpAddress v4) {
        if (!v4.isIpv4()) {
            throw new IllegalArgumentException("router ID must be an IPv4 address: " + v4);
        }
        return (v4.byteAt(0) << 24) | (v4.byteAt(1) << 16) | (v4.byteAt(2) << 8) | v4.byteAt(3);
    }
}
