package dev.lattice.routing.bgp.fsm;

import dev.lattice.spi.net.IpAddress;
import java.util.Objects;
import java.util.function.Consumer;

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
        return copy(c -> c.port = p);
    }

    public PeerConfig withPassive(boolean p) {
        return copy(c -> c.passive = p);
    }

    public PeerConfig withTimers(int hold, int connectRetry) {
        return copy(c -> { c.holdTime = hold; c.connectRetrySeconds = connectRetry; });
    }

    public PeerConfig withMd5(String password) {
        return copy(c -> c.md5Password = password);
    }

    public PeerConfig withRouteReflectorClient(boolean rrClient) {
        return copy(c -> c.routeReflectorClient = rrClient);
    }

    public PeerConfig withLocalAddress(IpAddress a) {
        return copy(c -> c.localAddress = a);
    }

    public PeerConfig withGracefulRestart(boolean gr, int restartTime) {
        return copy(c -> { c.gracefulRestart = gr; c.restartTimeSeconds = restartTime; });
    }

    public PeerConfig withTtl(int t) {
        return copy(c -> c.ttl = t);
    }

    public PeerConfig withOriginatedOnly(boolean o) {
        return copy(c -> c.originatedOnly = o);
    }

    public PeerConfig withClusterNode(boolean clusterNode) {
        return copy(c -> c.clusterNode = clusterNode);
    }

    public PeerConfig withName(String n) {
        return copy(c -> c.name = n);
    }

    /** This configuration with the changes {@code change} makes, validated by the record's constructor. */
    private PeerConfig copy(Consumer<Fields> change) {
        Fields f = new Fields(this);
        change.accept(f);
        return f.toConfig();
    }

    /**
     * The record's components as assignable slots: each wither sets only the ones it changes, so the
     * 16-argument constructor call is written once (a new component is added here and nowhere else).
     */
    private static final class Fields {
        IpAddress address;
        int port;
        long remoteAs;
        long localAs;
        IpAddress localAddress;
        boolean passive;
        int holdTime;
        int connectRetrySeconds;
        String md5Password;
        int ttl;
        boolean routeReflectorClient;
        boolean gracefulRestart;
        int restartTimeSeconds;
        boolean originatedOnly;
        boolean clusterNode;
        String name;

        Fields(PeerConfig p) {
            address = p.address;
            port = p.port;
            remoteAs = p.remoteAs;
            localAs = p.localAs;
            localAddress = p.localAddress;
            passive = p.passive;
            holdTime = p.holdTime;
            connectRetrySeconds = p.connectRetrySeconds;
            md5Password = p.md5Password;
            ttl = p.ttl;
            routeReflectorClient = p.routeReflectorClient;
            gracefulRestart = p.gracefulRestart;
            restartTimeSeconds = p.restartTimeSeconds;
            originatedOnly = p.originatedOnly;
            clusterNode = p.clusterNode;
            name = p.name;
        }

        PeerConfig toConfig() {
            return new PeerConfig(address, port, remoteAs, localAs, localAddress, passive, holdTime,
                    connectRetrySeconds, md5Password, ttl, routeReflectorClient, gracefulRestart,
                    restartTimeSeconds, originatedOnly, clusterNode, name);
        }
    }
}
