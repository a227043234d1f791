package dev.lattice.routing.bgp.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lattice.kernel.Kernel;
import dev.lattice.spi.kernel.NetNamespace;
import dev.lattice.spi.net.IpAddress;
import dev.lattice.spi.net.IpPrefix;
import dev.lattice.spi.node.NodeInfo;
import dev.lattice.spi.routing.NextHop;
import dev.lattice.spi.routing.Route;
import dev.lattice.spi.routing.RoutingIntent;
import dev.lattice.spi.routing.overlay.OverlaySettings;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * BGP mode's overlay against the real kernel, in a throwaway network namespace standing in for
 * the node, checked with {@code ip -j} and {@code bridge -j}.
 */
class BgpOverlayKernelTest {
    private Kernel kernel;
    private String ns;
    private NetNamespace node;

    @BeforeEach
    void createNode() throws Exception {
        kernel = Kernel.open();
        ns = "ltbo-" + UUID.randomUUID().toString().substring(0, 8);
        node = kernel.namespaces().create(ns);
        ip("link add u0 type veth peer name u1");
        ip("link set u0 up");
        ip("link set u1 up");
        ip("addr add 192.0.2.1/24 dev u0");
    }

    @AfterEach
    void deleteNode() {
        try {
            node.close();
        } finally {
            kernel.namespaces().delete(ns);
            kernel.close();
        }
    }

    private String ip(String args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ip", "-n", ns));
        cmd.addAll(List.of(args.split(" ")));
        return run(cmd);
    }

    private static String run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + ": " + out);
        return out;
    }

    private static NodeInfo nodeInfo(String name, String ip, String cidr) {
        return new NodeInfo(name, List.of(IpAddress.parse(ip)), List.of(IpPrefix.parse(cidr)), Map.of(), Map.of());
    }

    @Test
    void routesToNodesInOtherSubnetsGoThroughTheDeviceAndTheSameSubnetStaysDirect() throws Exception {
        NodeInfo a = nodeInfo("a", "192.0.2.1", "10.244.1.0/24");
        NodeInfo b = nodeInfo("b", "192.0.2.2", "10.244.2.0/24");
        NodeInfo c = nodeInfo("c", "198.51.100.3", "10.244.3.0/24");
        BgpOverlay overlay = new BgpOverlay(node);
        assertTrue(overlay.apply(new RoutingIntent(a, List.of(a, b, c), a.podCidrs()), OverlaySettings.DEFAULTS));
        String link = ip("-j -d link show lattice-vxlan");
        assertTrue(link.contains("\"ifalias\":\"lattice bgp vni=4096 port=4789 local=192.0.2.1\""), link);
        String fdb = run(List.of("bridge", "-n", ns, "-j", "fdb", "show", "dev", "lattice-vxlan"));
        assertTrue(fdb.contains("\"dst\":\"198.51.100.3\""), fdb);
        assertFalse(fdb.contains("192.0.2.2"), "a node in the same subnet gets no overlay entry: " + fdb);

        List<Route> learned = List.of(
                new Route(IpPrefix.parse("10.244.2.0/24"), List.of(NextHop.via(IpAddress.parse("192.0.2.2"))), 0),
                new Route(IpPrefix.parse("10.244.3.0/24"), List.of(NextHop.via(IpAddress.parse("198.51.100.3"))), 0),
                new Route(IpPrefix.parse("203.0.113.0/24"), List.of(NextHop.via(IpAddress.parse("192.0.2.254"))), 0));
        List<Route> out = overlay.rewrite(learned);
        assertEquals(learned.get(0), out.get(0), "same subnet: direct");
        assertEquals(new NextHop(IpAddress.parse("10.244.3.0"), "lattice-vxlan", true, 1), out.get(1).nextHops().get(0));
        assertEquals(learned.get(2), out.get(2), "an external route is not touched");

        // The same intent again: nothing changes.
        assertFalse(overlay.apply(new RoutingIntent(a, List.of(a, b, c), a.podCidrs()), OverlaySettings.DEFAULTS));
        // c leaves: no overlay peer, no device.
        assertTrue(overlay.apply(new RoutingIntent(a, List.of(a, b), a.podCidrs()), OverlaySettings.DEFAULTS));
        assertFalse(ip("-j link show").contains("lattice-vxlan"));
    }

    @Test
    void stopRemovesTheDevicesAnEarlierAgentMadeButNotAnotherOwners() throws Exception {
        // What an earlier agent left (lattice cleanup runs in a fresh process), and a device the
        // static plugin holds.
        ip("link add lattice-vxlan type vxlan id 4096 dstport 4789 local 192.0.2.1 dev u0");
        run(List.of("ip", "-n", ns, "link", "set", "lattice-vxlan", "alias", "lattice bgp vni=4096 port=4789 local=192.0.2.1"));
        ip("link add lattice-vxlan6 type vxlan id 7 dstport 4789 local 192.0.2.1 dev u0");
        run(List.of("ip", "-n", ns, "link", "set", "lattice-vxlan6", "alias", "lattice static vni=7 port=4789 local=192.0.2.1"));

        BgpRouteDistributor fresh = new BgpRouteDistributor(null, node);
        fresh.configure(Map.of());
        fresh.stop();
        String links = ip("-j link show");
        assertFalse(links.contains("\"ifname\":\"lattice-vxlan\""), links);
        assertTrue(links.contains("\"ifname\":\"lattice-vxlan6\""), "another owner's device stays: " + links);
    }
}
