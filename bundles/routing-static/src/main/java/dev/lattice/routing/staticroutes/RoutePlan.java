package dev.lattice.routing.staticroutes;

import dev.lattice.spi.net.IpAddress;
import dev.lattice.spi.net.IpFamily;
import dev.lattice.spi.net.IpPrefix;
import dev.lattice.spi.node.NodeInfo;
import dev.lattice.spi.routing.NextHop;
import dev.lattice.spi.routing.Route;
import dev.lattice.spi.routing.RoutingIntent;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What static routing wants for one intent, computed without touching the kernel: a route per
 * remote pod CIDR — direct via the node's InternalIP when it is in this node's subnet, or through
 * the VXLAN device otherwise (or always, in {@link OverlayMode#FULL}) — the overlay peers per
 * family, and the nodes that cannot be reached.
 */
record RoutePlan(List<Route> routes, Map<IpFamily, List<VtepPeer>> overlayPeers, List<String> unreachable,
                 int direct) {

    /** This node's underlay per family: its InternalIP and the subnet that holds it. */
    record Underlay(IpAddress address, IpPrefix subnet) {
    }

    static RoutePlan of(RoutingIntent intent, Map<IpFamily, Underlay> local, OverlayMode mode,
                        Map<IpFamily, String> vxlanDevice) {
        List<Route> routes = new ArrayList<>();
        Map<IpFamily, List<VtepPeer>> peers = new EnumMap<>(IpFamily.class);
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
                boolean sameSubnet = mine.subnet().contains(remote.get());
                boolean overlay = mode == OverlayMode.FULL || (mode == OverlayMode.CROSS_SUBNET && !sameSubnet);
                if (!overlay && !sameSubnet) {
                    unreachable.add(node.name() + " " + cidr + ": " + remote.get() + " is outside "
                            + mine.subnet() + " and the overlay is off");
                    continue;
                }
                if (overlay) {
                    IpAddress inner = cidr.network();
                    peers.computeIfAbsent(family, f -> new ArrayList<>()).add(
                            new VtepPeer(node.name(), remote.get(), VtepPeer.macFor(remote.get()), inner));
                    routes.add(new Route(cidr, List.of(new NextHop(inner, vxlanDevice.get(family), true, 1)), 0));
                } else {
                    routes.add(new Route(cidr, List.of(NextHop.via(remote.get())), 0));
                    direct++;
                }
            }
        }
        return new RoutePlan(List.copyOf(routes), peers, List.copyOf(unreachable), direct);
    }
}
