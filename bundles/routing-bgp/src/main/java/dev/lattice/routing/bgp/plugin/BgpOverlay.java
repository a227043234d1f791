package dev.lattice.routing.bgp.plugin;

import dev.lattice.spi.kernel.NetNamespace;
import dev.lattice.spi.kernel.Rtnetlink;
import dev.lattice.spi.net.IpAddress;
import dev.lattice.spi.net.IpFamily;
import dev.lattice.spi.net.IpPrefix;
import dev.lattice.spi.routing.NextHop;
import dev.lattice.spi.routing.Route;
import dev.lattice.spi.routing.RoutingIntent;
import dev.lattice.spi.routing.overlay.OverlayMode;
import dev.lattice.spi.routing.overlay.OverlayPlan;
import dev.lattice.spi.routing.overlay.OverlaySettings;
import dev.lattice.spi.routing.overlay.Underlay;
import dev.lattice.spi.routing.overlay.VtepPeer;
import dev.lattice.spi.routing.overlay.VxlanOverlay;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * BGP mode's VXLAN overlay to cluster nodes in other subnets (kube-router's overlay type
 * "subnet"): BGP still decides which node owns which prefix, but a route whose next hop is a node
 * reached through the overlay goes through the VXLAN device instead of the underlay, so the
 * routers between the subnets need not know pod CIDRs. With {@code overlay: none} such next hops
 * are left to the FIB's recursive resolution, for fabrics whose routers peer with the nodes.
 */
final class BgpOverlay {
    static final String OWNER = "bgp";

    private final NetNamespace node;
    private volatile OverlaySettings settings;
    private final Map<IpFamily, VxlanOverlay> devices = new EnumMap<>(IpFamily.class);
    private volatile OverlayPlan plan = OverlayPlan.EMPTY;
    private volatile String summary = "overlay not set up yet";

    /** {@code node}: the node's network namespace; null: no kernel access (tests), no overlay. */
    BgpOverlay(NetNamespace node) {
        this.node = node;
    }

    /**
     * Makes the overlay devices match the intent; returns whether the set of overlay peers
     * changed (the learned routes must then be rewritten again).
     */
    synchronized boolean apply(RoutingIntent intent, OverlaySettings wanted) {
        OverlayPlan before = plan;
        if (node == null || wanted.mode() == OverlayMode.NONE) {
            removeDevices();
            settings = wanted;
            plan = OverlayPlan.EMPTY;
            summary = node == null ? "overlay off (no kernel access)" : "overlay off";
            return !before.byRemote().isEmpty();
        }
        Rtnetlink rt = node.rtnetlink();
        if (!wanted.equals(settings)) {
            removeDevices();
            for (IpFamily f : IpFamily.values()) {
                devices.put(f, new VxlanOverlay(rt, OWNER, wanted.device(f), wanted.vni(), wanted.port()));
            }
            settings = wanted;
        }
        Map<IpFamily, Underlay> local = new EnumMap<>(IpFamily.class);
        for (IpAddress ip : intent.localNode().internalIps()) {
            Underlay.find(rt, ip).ifPresent(u -> local.putIfAbsent(ip.family(), u));
        }
        OverlayPlan next = OverlayPlan.of(intent, local, wanted.mode());
        for (IpFamily f : IpFamily.values()) {
            List<VtepPeer> peers = next.peers().getOrDefault(f, List.of());
            if (peers.isEmpty()) {
                devices.get(f).remove();
                continue;
            }
            Underlay u = local.get(f);
            IpAddress ownInner = intent.localNode().podCidrs().stream().filter(c -> c.family() == f).findFirst()
                    .map(IpPrefix::network).orElse(u.address());
            devices.get(f).apply(u.address(), u.device(), ownInner, peers);
        }
        plan = next;
        summary = next.byRemote().isEmpty() ? "overlay " + wanted.mode() + ": no node in another subnet"
                : "overlay " + wanted.mode() + ": " + next.byRemote().size() + " nodes via VXLAN "
                        + wanted.vni() + "/" + wanted.port();
        return !next.byRemote().equals(before.byRemote());
    }

    /** The learned routes, with next hops at overlay peers sent through the VXLAN device. */
    List<Route> rewrite(List<Route> learned) {
        OverlayPlan p = plan;
        OverlaySettings s = settings;
        if (p.byRemote().isEmpty() || s == null) {
            return learned;
        }
        List<Route> out = new ArrayList<>(learned.size());
        for (Route r : learned) {
            Set<NextHop> hops = new LinkedHashSet<>();
            boolean changed = false;
            for (NextHop h : r.nextHops()) {
                Optional<VtepPeer> peer = h.gateway() == null || !h.device().isEmpty()
                        ? Optional.empty() : p.peerAt(h.gateway());
                if (peer.isPresent()) {
                    hops.add(OverlayPlan.nextHop(peer.get(), s.device(h.gateway().family())));
                    changed = true;
                } else {
                    hops.add(h);
                }
            }
            out.add(changed ? new Route(r.destination(), List.copyOf(hops), r.metric()) : r);
        }
        return out;
    }

    String summary() {
        return summary;
    }

    /**
     * Removes the devices this distributor holds (not one another distributor took over), also
     * those an earlier agent process made with {@code configured} ({@code lattice cleanup} runs in
     * a process that never applied an intent).
     */
    synchronized void remove(OverlaySettings configured) {
        removeDevices();
        if (node != null && configured != null) {
            Rtnetlink rt = node.rtnetlink();
            for (IpFamily f : IpFamily.values()) {
                new VxlanOverlay(rt, OWNER, configured.device(f), configured.vni(), configured.port()).remove();
            }
        }
        settings = null;
        plan = OverlayPlan.EMPTY;
        summary = "overlay removed";
    }

    private void removeDevices() {
        devices.values().forEach(VxlanOverlay::remove);
        devices.clear();
    }
}
