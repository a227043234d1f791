package dev.lattice.routing.bgp.fsm;

import dev.lattice.spi.net.IpAddress;
import java.util.Objects;

/**
 * One neighbour.
 *
 * @param address            the peer's address
 * @param port               its TCP port (179)
 * @param remoteAs           its AS
 * @param localAs            our AS towards it (per-peer local AS)
 * @param localAddress       source address for outgoing connections, or null
 * @param passive            wait for the peer to connect; never connect out
 * @param holdTime           proposed hold time in seconds (0 or at least 3)
 * @param connectRetrySeconds ConnectRetry timer
 * @param md5Password        TCP MD5 signature key (RFC 2385), or null
 * @param ttl                IP TTL of the session's packets: 1 for directly connected eBGP, 255 for
 *                           iBGP and multihop
 * @param routeReflectorClient this peer is our route-reflector client
 * @param gracefulRestart    advertise graceful restart
 * @param restartTimeSeconds our restart time in the capability
 * @param originatedOnly     advertise only the routes this speaker originates, none it learned: a
 *                           node towards its top-of-rack router must not attract traffic for other
 *                           nodes' pods (it would loop between the node and the router)
 * @param clusterNode        the peer is another node of the cluster (mesh or reflector), not an
 *                           external router: it is not sent the prefixes meant for external
 *                           peers only (Service addresses, which every node serves itself)
 * @param name               a label for logs and metrics (node name or configured name)
 */
public record PeerConfig(IpAddress address, int port, long remoteAs, long localAs, IpAddress localAddress,
                         boolean passive, int holdTime, int connectRetrySeconds, String md5Password, int ttl,
                         boolean routeReflectorClient, boolean gracefulRestart, int restartTimeSeconds,
                         boolean originatedOnly, boolean clusterNode, String name) {
    public PeerConfig {
        Objects.requireNonNull(address, "address");
        if (holdTime != 0 && holdTime < 3) {
            throw new IllegalArgumentException("hold time must be 0 or at least 3 seconds, got " + holdTime);
        }
        if (remoteAs < 0 || remoteAs > 0xffffffffL || localAs <= 0 || localAs > 0xffffffffL) {
            throw new IllegalArgumentException("AS number outside 1..4294967295");
        }
        name = name == null || name.isEmpty() ? address.toString() : name;
        if (ttl < 1 || ttl > 255) {
            throw new IllegalArgumentException("ttl outside 1..255");
        }
    }

    public static PeerConfig of(IpAddress address, long remoteAs, long localAs) {
        return new PeerConfig(address, 179, remoteAs, localAs, null, false, 90, 30, null,
                remoteAs == localAs ? 255 : 1, false, true, 120, false, false, null);
    }

    public boolean ibgp() {
        return remoteAs == localAs;
    }

    public PeerConfig withPort(int p) {
        return new PeerConfig(address, p, remoteAs, localAs, localAddress, passive, holdTime, connectRetrySeconds,
                md5Password, ttl, routeReflectorClient, gracefulRestart, restartTimeSeconds, originatedOnly, clusterNode, name);
    }

    public PeerConfig withPassive(boolean p) {
        return new PeerConfig(address, port, remoteAs, localAs, localAddress, p, holdTime, connectRetrySeconds,
                md5Password, ttl, routeReflectorClient, gracefulRestart, restartTimeSeconds, originatedOnly, clusterNode, name);
    }

    public PeerConfig withTimers(int hold, int connectRetry) {
        return new PeerConfig(address, port, remoteAs, localAs, localAddress, passive, hold, connectRetry,
                md5Password, ttl, routeReflectorClient, gracefulRestart, restartTimeSeconds, originatedOnly, clusterNode, name);
    }

    public PeerConfig withMd5(String password) {
        return new PeerConfig(address, port, remoteAs, localAs, localAddress, passive, holdTime, connectRetrySeconds,
                password, ttl, routeReflectorClient, gracefulRestart, restartTimeSeconds, originatedOnly, clusterNode, name);
    }

    public PeerConfig withRouteReflectorClient(boolean c) {
        return new PeerConfig(address, port, remoteAs, localAs, localAddress, passive, holdTime, connectRetrySeconds,
                md5Password, ttl, c, gracefulRestart, restartTimeSeconds, originatedOnly, clusterNode, name);
    }

    public PeerConfig withLocalAddress(IpAddress a) {
        return new PeerConfig(address, port, remoteAs, localAs, a, passive, holdTime, connectRetrySeconds,
                md5Password, ttl, routeReflectorClient, gracefulRestart, restartTimeSeconds, originatedOnly, clusterNode, name);
    }

    public PeerConfig withGracefulRestart(boolean gr, int restartTime) {
        return new PeerConfig(address, port, remoteAs, localAs, localAddress, passive, holdTime, connectRetrySeconds,
                md5Password, ttl, routeReflectorClient, gr, restartTime, originatedOnly, clusterNode, name);
    }

    public PeerConfig withTtl(int t) {
        return new PeerConfig(address, port, remoteAs, localAs, localAddress, passive, holdTime, connectRetrySeconds,
                md5Password, t, routeReflectorClient, gracefulRestart, restartTimeSeconds, originatedOnly, clusterNode, name);
    }

    public PeerConfig withOriginatedOnly(boolean o) {
        return new PeerConfig(address, port, remoteAs, localAs, localAddress, passive, holdTime, connectRetrySeconds,
                md5Password, ttl, routeReflectorClient, gracefulRestart, restartTimeSeconds, o, clusterNode, name);
    }

    public PeerConfig withClusterNode(boolean c) {
        return new PeerConfig(address, port, remoteAs, localAs, localAddress, passive, holdTime, connectRetrySeconds,
                md5Password, ttl, routeReflectorClient, gracefulRestart, restartTimeSeconds, originatedOnly, c, name);
    }

    public PeerConfig withName(String n) {
        return new PeerConfig(address, port, remoteAs, localAs, localAddress, passive, holdTime, connectRetrySeconds,
                md5Password, ttl, routeReflectorClient, gracefulRestart, restartTimeSeconds, originatedOnly, clusterNode, n);
    }
}
