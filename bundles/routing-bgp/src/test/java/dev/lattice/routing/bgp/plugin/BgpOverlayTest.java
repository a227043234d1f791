package dev.lattice.routing.bgp.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lattice.spi.net.IpAddress;
import dev.lattice.spi.net.IpPrefix;
import dev.lattice.spi.node.NodeInfo;
import dev.lattice.spi.routing.NextHop;
import dev.lattice.spi.routing.Route;
import dev.lattice.spi.routing.RoutingIntent;
import dev.lattice.spi.routing.overlay.OverlaySettings;
import dev.lattice.spi.routing.overlay.OverlayMode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The overlay's settings and its behaviour without kernel access. The overlay itself (devices,
 * routes through it, traffic) is checked end to end in the BGP sandbox (SandboxIT).
 */
class BgpOverlayTest {
    @Test
    void settingsDefaultsAndErrors() {
        OverlaySettings d = BgpPluginConfig.defaults().overlay();
        assertEquals(OverlayMode.CROSS_SUBNET, d.mode(), "kube-router's default: overlay to other subnets");
        assertEquals(4096, d.vni());
        assertEquals("lattice-vxlan", d.device4());
        assertEquals(OverlayMode.NONE, BgpPluginConfig.parse(Map.of("overlay", "none")).overlay().mode());
        assertThrows(IllegalArgumentException.class, () -> BgpPluginConfig.parse(Map.of("overlay", "sometimes")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BgpPluginConfig.parse(Map.of("vxlanId", "0")));
        assertTrue(e.getMessage().contains("vxlanId 0 is outside"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BgpPluginConfig.parse(Map.of("vxlanPort", "x")));
    }

    @Test
    void withoutKernelAccessRoutesPassUnchanged() {
        BgpOverlay overlay = new BgpOverlay(null);
        NodeInfo a = new NodeInfo("a", List.of(IpAddress.parse("10.0.1.1")), List.of(IpPrefix.parse("10.244.1.0/24")),
                Map.of(), Map.of());
        NodeInfo b = new NodeInfo("b", List.of(IpAddress.parse("10.0.2.1")), List.of(IpPrefix.parse("10.244.2.0/24")),
                Map.of(), Map.of());
        assertFalse(overlay.apply(new RoutingIntent(a, List.of(a, b), a.podCidrs()), OverlaySettings.DEFAULTS));
        List<Route> learned = List.of(new Route(IpPrefix.parse("10.244.2.0/24"),
                List.of(NextHop.via(IpAddress.parse("10.0.2.1"))), 0));
        assertSame(learned, overlay.rewrite(learned));
        assertTrue(overlay.summary().contains("no kernel access"), overlay.summary());
    }
}
