package dev.lattice.routing.staticroutes;

import dev.lattice.spi.net.IpAddress;
import dev.lattice.spi.net.IpFamily;
import dev.lattice.spi.net.IpPrefix;
import dev.lattice.spi.node.NodeInfo;
import dev.lattice.spi.routing.NextHop;
import dev.lattice.spi.routing.Route;
import dev.lattice.spi.routing.RoutingIntent;
import dev.lattice.spi.routing.overlay.OverlayMode;
import dev.lattice.spi.routing.overlay.OverlayPlan;
import dev.lattice.spi.routing.overlay.Underlay;
import dev.lattice.spi.routing.overlay.VtepPeer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What static routing wants for one intent, computed without touching the kernel: a route per
 * remote pod CIDR — direct via the node's InternalIP when it is in this node's subnet, or through
 * the VXLAN device otherwise (or always, in {@link OverlayMode#FULL}; which nodes is the
 * {@link OverlayPlan}'s decision) — the overlay peers per family, and the nodes that cannot be
 * reached.
 */
record RoutePlan(List<Route> routes, Map<IpFamily, List<VtepPeer>> overlayPeers, List<String> unreachable,
                 int direct) {

    static RoutePlan of(RoutingIntent intent, Map<IpFamily, Underlay> local, OverlayMode mode,
                        Map<IpFamily, String> vxlanDevice) {
        OverlayPlan overlay = OverlayPlan.of(intent, local, mode);
        List<Route> routes = new ArrayList<>();
        List<String> unreachable = new ArrayList<>();
        int direct = 0;
        String self = intent.localNode().name();
        for (NodeInfo node : intent.nodes()) {
            if (node.name().equals(self)) {
                continue;
            }
            for (IpPrefix cidr : node.podCidrs()) {
                IpFamily family = cidr.family();
                Optional<IpAddress> remote = node.internalIp(family);
                Underlay mine = local.get(family);
                if (remote.isEmpty() || mine == null) {
                    unreachable.add(node.name() + " " + cidr + ": no " + family + " InternalIP on "
                            + (remote.isEmpty() ? node.name() : "this node"));
                    continue;
                }
                Optional<VtepPeer> peer = overlay.peerFor(cidr);
                if (peer.isPresent()) {
                    routes.add(new Route(cidr, List.of(OverlayPlan.nextHop(peer.get(), vxlanDevice.get(family))), 0));
                } else if (mine.subnet().contains(remote.get())) {
                    routes.add(new Route(cidr, List.of(NextHop.via(remote.get())), 0));
                    direct++;
                } else {
                    unreachable.add(node.name() + " " + cidr + ": " + remote.get() + " is outside "
                            + mine.subnet() + " and the overlay is off");
                }
            }
        }
        return new RoutePlan(List.copyOf(routes), overlay.peers(), List.copyOf(unreachable), direct);
    }
}
