package dev.lattice.routing.bgp.plugin;

import dev.lattice.routing.bgp.fsm.PeerConfig;
import dev.lattice.spi.net.IpAddress;
import dev.lattice.spi.net.IpFamily;
import dev.lattice.spi.node.NodeInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns cluster nodes, annotations and settings into the peers of the local node.
 *
 * <ul>
 *   <li>Without route reflectors: an iBGP full mesh among the nodes of the local node's AS.</li>
 *   <li>With reflectors ({@code lattice.dev/bgp-rr-server}): a reflector peers with every other
 *       node of its AS (clients flagged as such); a client ({@code lattice.dev/bgp-rr-client})
 *       peers with the reflectors only; other nodes peer with reflectors and other non-clients.</li>
 *   <li>External peers from the {@code peers} setting and the node's {@code lattice.dev/bgp-peers}.</li>
 * </ul>
 */
public final class MeshPlanner {
    /** The speaker-wide values for the local node. */
    public record LocalNode(long asn, IpAddress routerId, int clusterId, boolean rrServer, boolean rrClient,
                            IpAddress ipv4, IpAddress ipv6) {
    }

    private MeshPlanner() {
    }

    public static long asn(NodeInfo n, BgpPluginConfig c) {
        String v = n.annotations().get(Annotations.ASN);
        return v == null || v.isBlank() ? c.asn() : Long.parseLong(v.trim());
    }

    static boolean rrServer(NodeInfo n) {
        String v = n.annotations().get(Annotations.RR_SERVER);
        return v != null && !v.isBlank();
    }

    static boolean rrClient(NodeInfo n) {
        String v = n.annotations().get(Annotations.RR_CLIENT);
        return v != null && !v.isBlank() && !rrServer(n);
    }

    static int clusterId(String v) {
        v = v.trim();
        if (v.contains(".")) {
            IpAddress a = IpAddress.parse(v);
            return (a.byteAt(0) << 24) | (a.byteAt(1) << 16) | (a.byteAt(2) << 8) | a.byteAt(3);
        }
        return (int) Long.parseLong(v);
    }

    public static LocalNode local(NodeInfo n, BgpPluginConfig c) {
        IpAddress v4 = n.internalIp(IpFamily.IPV4).orElse(null);
        IpAddress v6 = n.internalIp(IpFamily.IPV6).orElse(null);
        String rid = n.annotations().get(Annotations.ROUTER_ID);
        IpAddress routerId = rid != null && !rid.isBlank() ? IpAddress.parse(rid.trim())
                : c.routerId() != null ? c.routerId() : v4;
        if (routerId == null) {
            throw new IllegalArgumentException("node " + n.name() + " has no IPv4 InternalIP: set routerId or the "
                    + Annotations.ROUTER_ID + " annotation");
        }
        int cluster = rrServer(n) ? clusterId(n.annotations().get(Annotations.RR_SERVER)) : 0;
        return new LocalNode(asn(n, c), routerId, cluster, rrServer(n), rrClient(n), v4, v6);
    }

    /** The peers the local node should have. */
    public static List<PeerConfig> peers(NodeInfo self, List<NodeInfo> nodes, BgpPluginConfig c) {
        LocalNode me = local(self, c);
        Map<IpAddress, PeerConfig> out = new LinkedHashMap<>();
        if (c.fullMesh() || nodes.stream().anyMatch(MeshPlanner::rrServer)) {
            boolean anyRr = nodes.stream().anyMatch(MeshPlanner::rrServer);
            for (NodeInfo n : nodes) {
                if (n.name().equals(self.name()) || asn(n, c) != me.asn()) {
                    continue;
                }
                IpAddress a = n.internalIp(me.ipv4() != null ? IpFamily.IPV4 : IpFamily.IPV6)
                        .orElse(n.internalIps().isEmpty() ? null : n.internalIps().get(0));
                if (a == null) {
                    continue;
                }
                boolean peerIsRr = rrServer(n);
                boolean peerIsClient = rrClient(n);
                boolean peerWith;
                boolean markClient = false;
                if (!anyRr) {
                    peerWith = c.fullMesh();
                } else if (me.rrServer()) {
                    peerWith = true;
                    markClient = peerIsClient;
                } else if (me.rrClient()) {
                    peerWith = peerIsRr;
                } else {
                    peerWith = !peerIsClient && c.fullMesh() || peerIsRr;
                }
                if (!peerWith) {
                    continue;
                }
                // Sourced from our own InternalIP: the peer accepts only the addresses it knows us by,
                // and on a node with several interfaces the kernel might pick another source.
                IpAddress source = a.isIpv4() ? me.ipv4() : me.ipv6();
                PeerConfig p = new PeerConfig(a, c.listenPort(), me.asn(), me.asn(), source, false, c.holdTime(),
                        c.connectRetry(), c.meshPassword().isEmpty() ? null : c.meshPassword(), 255, markClient,
                        c.gracefulRestart(), c.restartTime(), false, true, n.name());
                out.put(a, p);
            }
        }
        List<BgpPluginConfig.ExternalPeer> ext = new ArrayList<>(c.peers());
        String ann = self.annotations().get(Annotations.PEERS);
        if (ann != null && !ann.isBlank()) {
            ext.addAll(BgpPluginConfig.parsePeers(List.of(ann), me.asn()));
        }
        for (BgpPluginConfig.ExternalPeer e : ext) {
            long localAs = e.localAs() == c.asn() ? me.asn() : e.localAs();
            boolean ibgp = e.asn() == localAs;
            int ttl = ibgp ? 255 : e.multihop() > 0 ? Math.min(255, e.multihop()) : 1;
            PeerConfig p = new PeerConfig(e.address(), e.port(), e.asn(), localAs, null, e.passive(), c.holdTime(),
                    c.connectRetry(), e.password(), ttl, e.rrClient(), c.gracefulRestart(), c.restartTime(),
                    !e.transit(), false, e.name() != null ? e.name() : e.address().toString());
            out.put(e.address(), p);
        }
        return new ArrayList<>(out.values());
    }
}
