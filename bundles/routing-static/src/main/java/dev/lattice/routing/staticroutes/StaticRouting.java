package dev.lattice.routing.staticroutes;

import dev.lattice.spi.kernel.NetNamespace;
import dev.lattice.spi.kernel.Rtnetlink;
import dev.lattice.spi.net.IpAddress;
import dev.lattice.spi.net.IpFamily;
import dev.lattice.spi.net.IpPrefix;
import dev.lattice.spi.node.NodeInfo;
import dev.lattice.spi.plugin.DataplaneException;
import dev.lattice.spi.routing.LearnedRouteSink;
import dev.lattice.spi.routing.PeerStatus;
import dev.lattice.spi.routing.RouteDistributor;
import dev.lattice.spi.routing.RoutingContext;
import dev.lattice.spi.routing.RoutingIntent;
import dev.lattice.spi.routing.RoutingStatus;
import dev.lattice.spi.routing.overlay.OverlaySettings;
import dev.lattice.spi.routing.overlay.Underlay;
import dev.lattice.spi.routing.overlay.VtepPeer;
import dev.lattice.spi.routing.overlay.VxlanOverlay;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Static route distribution: learns nothing over the wire. For every other node's pod CIDRs it
 * reports a route via that node's InternalIP when the node shares this node's subnet, and a
 * route through a VXLAN overlay otherwise (or always, with {@code overlay: full}). It programs the
 * overlay device and its forwarding entries itself; the routes go to the core's FIB programmer.
 */
public final class StaticRouting implements RouteDistributor {
    /** The word marking this distributor's overlay devices (their alias). */
    static final String OWNER = "static";
    private final NetNamespace node;
    private final OverlaySettings settings;
    private final Map<IpFamily, VxlanOverlay> overlays = new EnumMap<>(IpFamily.class);
    private LearnedRouteSink sink;
    private volatile RoutingStatus status = new RoutingStatus(true, "not started", List.of());

    /** @param settings the overlay settings (plugins.static: in lattice.yaml) */
    public StaticRouting(NetNamespace node, OverlaySettings settings) {
        this.node = node;
        this.settings = settings;
        Rtnetlink rt = node.rtnetlink();
        overlays.put(IpFamily.IPV4, new VxlanOverlay(rt, OWNER, settings.device4(), settings.vni(), settings.port()));
        overlays.put(IpFamily.IPV6, new VxlanOverlay(rt, OWNER, settings.device6(), settings.vni(), settings.port()));
    }

    @Override
    public synchronized void start(RoutingContext context) {
        sink = context.sink();
        status = new RoutingStatus(true, "started on " + context.localNodeName(), List.of());
    }

    @Override
    public synchronized void update(RoutingIntent intent) {
        if (sink == null) {
            throw new IllegalStateException("update before start");
        }
        Map<IpFamily, Underlay> local = new EnumMap<>(IpFamily.class);
        for (IpAddress ip : intent.localNode().internalIps()) {
            Underlay.find(node.rtnetlink(), ip).ifPresent(u -> local.putIfAbsent(ip.family(), u));
        }
        if (local.isEmpty() && intent.nodes().size() > 1) {
            status = new RoutingStatus(false, "none of this node's InternalIPs " + intent.localNode().internalIps()
                    + " is configured on an interface of this node", List.of());
            throw new DataplaneException(status.summary() + "; check the Node's status.addresses", null, true);
        }
        RoutePlan plan = RoutePlan.of(intent, local, settings.mode(),
                Map.of(IpFamily.IPV4, settings.device4(), IpFamily.IPV6, settings.device6()));
        // The overlay first: the routes reported next name its devices.
        for (IpFamily family : IpFamily.values()) {
            List<VtepPeer> peers = plan.overlayPeers().getOrDefault(family, List.of());
            VxlanOverlay overlay = overlays.get(family);
            if (peers.isEmpty()) {
                continue;
            }
            IpAddress ownInner = ownInner(intent.localNode(), family, local.get(family).address());
            overlay.apply(local.get(family).address(), local.get(family).device(), ownInner, peers);
        }
        sink.replaceAll(plan.routes());
        for (IpFamily family : IpFamily.values()) {
            if (plan.overlayPeers().getOrDefault(family, List.of()).isEmpty()) {
                overlays.get(family).remove();
            }
        }
        status = statusOf(intent, plan);
    }

    /** This node's own overlay address: the network address of its pod CIDR of that family. */
    private static IpAddress ownInner(NodeInfo self, IpFamily family, IpAddress fallback) {
        return self.podCidrs().stream().filter(p -> p.family() == family).findFirst()
                .map(IpPrefix::network).orElse(fallback);
    }

    private RoutingStatus statusOf(RoutingIntent intent, RoutePlan plan) {
        List<PeerStatus> peers = new ArrayList<>();
        Instant now = Instant.now();
        for (NodeInfo n : intent.nodes()) {
            if (n.name().equals(intent.localNode().name()) || n.internalIps().isEmpty()) {
                continue;
            }
            boolean viaOverlay = plan.overlayPeers().values().stream().flatMap(List::stream)
                    .anyMatch(p -> p.node().equals(n.name()));
            boolean lost = plan.unreachable().stream().anyMatch(u -> u.startsWith(n.name() + " "));
            peers.add(new PeerStatus(n.internalIps().get(0), 0, lost ? "unreachable" : viaOverlay ? "vxlan" : "direct",
                    now, n.podCidrs().size(), 0));
        }
        int overlay = plan.routes().size() - plan.direct();
        String summary = plan.routes().size() + " routes (" + plan.direct() + " direct, " + overlay + " via VXLAN)"
                + (plan.unreachable().isEmpty() ? "" : "; unreachable: " + String.join("; ", plan.unreachable()));
        return new RoutingStatus(plan.unreachable().isEmpty(), summary, peers);
    }

    @Override
    public RoutingStatus status() {
        return status;
    }

    @Override
    public synchronized void stop() {
        if (sink != null) {
            sink.replaceAll(List.of());
        }
        overlays.values().forEach(VxlanOverlay::remove);
        status = new RoutingStatus(true, "stopped", List.of());
    }
}
