package dev.lattice.routing.staticroutes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lattice.spi.net.IpAddress;
import dev.lattice.spi.net.IpFamily;
import dev.lattice.spi.net.IpPrefix;
import dev.lattice.spi.node.NodeInfo;
import dev.lattice.spi.routing.Route;
import dev.lattice.spi.routing.RoutingIntent;
import dev.lattice.spi.routing.overlay.OverlayMode;
import dev.lattice.spi.routing.overlay.Underlay;
import dev.lattice.spi.routing.overlay.VtepPeer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoutePlanTest {
    private static NodeInfo node(String name, List<String> ips, List<String> cidrs) {
        return new NodeInfo(name, ips.stream().map(IpAddress::parse).toList(),
                cidrs.stream().map(IpPrefix::parse).toList(), Map.of(), Map.of());
    }

    private static final Map<IpFamily, String> DEVICES = Map.of(IpFamily.IPV4, "vx4", IpFamily.IPV6, "vx6");

    @Test
    void dualStackDirectAndOverlayPerFamily() {
        NodeInfo a = node("a", List.of("192.168.1.1", "fd00:1::1"), List.of("10.244.0.0/24", "fd10:0:0:1::/64"));
        NodeInfo b = node("b", List.of("192.168.1.2", "fd00:2::2"), List.of("10.244.1.0/24", "fd10:0:0:2::/64"));
        Map<IpFamily, Underlay> local = Map.of(
                IpFamily.IPV4, new Underlay(IpAddress.parse("192.168.1.1"), IpPrefix.parse("192.168.1.0/24"), "eth0"),
                IpFamily.IPV6, new Underlay(IpAddress.parse("fd00:1::1"), IpPrefix.parse("fd00:1::/64"), "eth0"));
        RoutePlan plan = RoutePlan.of(new RoutingIntent(a, List.of(a, b), a.podCidrs()), local,
                OverlayMode.CROSS_SUBNET, DEVICES);
        assertEquals(2, plan.routes().size());
        Route v4 = plan.routes().get(0);
        assertEquals("10.244.1.0/24", v4.destination().toString());
        assertEquals("192.168.1.2", v4.nextHops().get(0).gateway().toString());
        Route v6 = plan.routes().get(1);
        assertEquals("fd10:0:0:2::/64", v6.destination().toString());
        assertEquals("vx6", v6.nextHops().get(0).device());
        assertTrue(v6.nextHops().get(0).onLink());
        VtepPeer peer = plan.overlayPeers().get(IpFamily.IPV6).get(0);
        assertEquals(IpAddress.parse("fd00:2::2"), peer.underlay());
        assertEquals(IpAddress.parse("fd10:0:0:2::"), peer.inner());
        assertEquals(1, plan.direct());
    }

    @Test
    void macsAreDerivedFromTheUnderlayAddress() {
        assertEquals("0e:4c:c0:a8:01:02", VtepPeer.macFor(IpAddress.parse("192.168.1.2")).toString());
        assertEquals(VtepPeer.macFor(IpAddress.parse("fd00::2")), VtepPeer.macFor(IpAddress.parse("fd00::2")));
    }

    @Test
    void nodesWithoutAnInternalIpOfTheFamilyAreUnreachable() {
        NodeInfo a = node("a", List.of("192.168.1.1"), List.of("10.244.0.0/24"));
        NodeInfo b = node("b", List.of(), List.of("10.244.1.0/24"));
        RoutePlan plan = RoutePlan.of(new RoutingIntent(a, List.of(a, b), a.podCidrs()),
                Map.of(IpFamily.IPV4, new Underlay(IpAddress.parse("192.168.1.1"), IpPrefix.parse("192.168.1.0/24"), "eth0")),
                OverlayMode.FULL, DEVICES);
        assertEquals(0, plan.routes().size());
        assertTrue(plan.unreachable().get(0).startsWith("b 10.244.1.0/24: no IPV4 InternalIP"), plan.unreachable().toString());
        assertThrows(IllegalArgumentException.class, () -> OverlayMode.parse("sometimes"));
    }
}
