package dev.lattice.spi.routing.overlay;

import dev.lattice.spi.net.IpAddress;
import dev.lattice.spi.net.IpFamily;
import dev.lattice.spi.net.IpPrefix;
import dev.lattice.spi.node.NodeInfo;
import dev.lattice.spi.routing.NextHop;
import dev.lattice.spi.routing.RoutingIntent;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which remote nodes this node reaches through the VXLAN overlay, computed from the intent without
 * touching the kernel: in {@link OverlayMode#CROSS_SUBNET} the nodes whose InternalIP is outside
 * this node's subnet, in {@link OverlayMode#FULL} all of them, in {@link OverlayMode#NONE} none.
 * One {@link VtepPeer} per remote pod CIDR; its inner address (the CIDR's network address) is the
 * on-link next hop of routes through the overlay.
 *
 * @param peers    the overlay peers per family
 * @param byRemote the same peers by the remote node's underlay address (its first pod CIDR of the
 *                 family when it has several)
 * @param byInner  the same peers by inner address (the network address of their pod CIDR)
 */
public record OverlayPlan(Map<IpFamily, List<VtepPeer>> peers, Map<IpAddress, VtepPeer> byRemote,
                          Map<IpAddress, VtepPeer> byInner) {
    /** No overlay peer at all. */
    public static final OverlayPlan EMPTY = new OverlayPlan(Map.of(), Map.of(), Map.of());

    public OverlayPlan {
        peers = Map.copyOf(peers);
        byRemote = Map.copyOf(byRemote);
        byInner = Map.copyOf(byInner);
    }

    /** @param local this node's underlay per family (a family without one has no overlay) */
    public static OverlayPlan of(RoutingIntent intent, Map<IpFamily, Underlay> local, OverlayMode mode) {
        Map<IpFamily, List<VtepPeer>> peers = new EnumMap<>(IpFamily.class);
        Map<IpAddress, VtepPeer> byRemote = new HashMap<>();
        Map<IpAddress, VtepPeer> byInner = new HashMap<>();
        if (mode == OverlayMode.NONE) {
            return EMPTY;
        }
        for (NodeInfo node : intent.nodes()) {
            if (node.name().equals(intent.localNode().name())) {
                continue;
            }
            for (IpPrefix cidr : node.podCidrs()) {
                Underlay mine = local.get(cidr.family());
                Optional<IpAddress> remote = node.internalIp(cidr.family());
                if (mine == null || remote.isEmpty()) {
                    continue;
                }
                if (mode == OverlayMode.FULL || !mine.subnet().contains(remote.get())) {
                    VtepPeer p = new VtepPeer(node.name(), remote.get(), VtepPeer.macFor(remote.get()), cidr.network());
                    peers.computeIfAbsent(cidr.family(), f -> new ArrayList<>()).add(p);
                    byRemote.putIfAbsent(remote.get(), p);
                    byInner.put(p.inner(), p);
                }
            }
        }
        return new OverlayPlan(peers, byRemote, byInner);
    }

    /** The overlay peer whose underlay address is {@code remote}, if that node is reached through the overlay. */
    public Optional<VtepPeer> peerAt(IpAddress remote) {
        return Optional.ofNullable(byRemote.get(remote));
    }

    /** The overlay peer owning pod CIDR {@code cidr}, if its node is reached through the overlay. */
    public Optional<VtepPeer> peerFor(IpPrefix cidr) {
        return Optional.ofNullable(byInner.get(cidr.network()));
    }

    /** The on-link next hop through the overlay device {@code device} towards {@code peer}. */
    public static NextHop nextHop(VtepPeer peer, String device) {
        return new NextHop(peer.inner(), device, true, 1);
    }
}
