package dev.lattice.routing.staticroutes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lattice.core.internal.fib.FibReconciler;
import dev.lattice.kernel.Kernel;
import dev.lattice.spi.kernel.NetNamespace;
import dev.lattice.spi.net.IpAddress;
import dev.lattice.spi.net.IpPrefix;
import dev.lattice.spi.node.NodeInfo;
import dev.lattice.spi.routing.RoutingContext;
import dev.lattice.spi.routing.RoutingIntent;
import dev.lattice.spi.routing.overlay.OverlayMode;
import dev.lattice.spi.routing.overlay.OverlayPlan;
import dev.lattice.spi.routing.overlay.OverlaySettings;
import dev.lattice.spi.routing.overlay.Underlay;
import dev.lattice.spi.routing.overlay.VxlanOverlay;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Three nodes in two subnets, each a network namespace: n1 and n2 share 192.168.1.0/24 behind a
 * switch namespace, n3 sits in 192.168.2.0/24 behind a router namespace. Each node runs the static
 * distributor with the core's FIB reconciler; pod CIDRs are bridges holding the gateway address.
 * Checked with ip -j / bridge -j and with pings between pod gateways, direct and over VXLAN.
 */
class StaticRoutingKernelTest {
    private final String id = UUID.randomUUID().toString().substring(0, 5);
    private final List<String> namespaces = new ArrayList<>();
    private final Map<String, NetNamespace> handles = new LinkedHashMap<>();
    private final Map<String, StaticRouting> agents = new LinkedHashMap<>();
    private Kernel kernel;

    private String ns(String role) {
        return "lts-" + id + "-" + role;
    }

    private String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), String.join(" ", cmd));
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + ": " + out);
        return out;
    }

    private String ip(String role, String args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ip", "-n", ns(role)));
        cmd.addAll(List.of(args.split(" ")));
        return run(cmd.toArray(new String[0]));
    }

    private boolean ping(String role, String from, String to) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("ip", "netns", "exec", ns(role), "ping", "-c", "2", "-W", "2", "-I", from, to)
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return p.exitValue() == 0;
    }

    @BeforeEach
    void buildTopology() throws Exception {
        for (String role : List.of("sw", "rt", "n1", "n2", "n3")) {
            run("ip", "netns", "add", ns(role));
            namespaces.add(ns(role));
            ip(role, "link set lo up");
        }
        ip("sw", "link add br0 type bridge");
        ip("sw", "link set br0 up");
        for (String[] leg : new String[][] {{"n1", "p1"}, {"n2", "p2"}, {"rt", "pr"}}) {
            ip("sw", "link add " + leg[1] + " type veth peer name eth0 netns " + ns(leg[0]));
            ip("sw", "link set " + leg[1] + " master br0 up");
            ip(leg[0], "link set eth0 up");
        }
        ip("rt", "link add eth1 type veth peer name eth0 netns " + ns("n3"));
        ip("rt", "link set eth1 up");
        ip("n3", "link set eth0 up");
        ip("rt", "addr add 192.168.1.1/24 dev eth0");
        ip("rt", "addr add 192.168.2.1/24 dev eth1");
        run("ip", "netns", "exec", ns("rt"), "sysctl", "-qw", "net.ipv4.ip_forward=1");
        String[][] nodes = {{"n1", "192.168.1.11/24", "192.168.1.1", "10.244.1.1/24"},
            {"n2", "192.168.1.12/24", "192.168.1.1", "10.244.2.1/24"},
            {"n3", "192.168.2.13/24", "192.168.2.1", "10.244.3.1/24"}};
        kernel = Kernel.open();
        for (String[] n : nodes) {
            ip(n[0], "addr add " + n[1] + " dev eth0");
            ip(n[0], "route add default via " + n[2]);
            ip(n[0], "link add lattice0 type bridge");
            ip(n[0], "addr add " + n[3] + " dev lattice0");
            ip(n[0], "link set lattice0 up");
            run("ip", "netns", "exec", ns(n[0]), "sysctl", "-qw", "net.ipv4.ip_forward=1");
            handles.put(n[0], kernel.namespaces().open(ns(n[0])));
        }
    }

    @AfterEach
    void removeTopology() throws Exception {
        try {
            handles.values().forEach(NetNamespace::close);
            if (kernel != null) {
                kernel.close();
            }
        } finally {
            for (String n : namespaces) {
                new ProcessBuilder("ip", "netns", "del", n).start().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static NodeInfo node(String name, String ip, String cidr) {
        return new NodeInfo(name, List.of(IpAddress.parse(ip)), List.of(IpPrefix.parse(cidr)), Map.of(), Map.of());
    }

    private void startAgent(String role) {
        NetNamespace handle = handles.get(role);
        FibReconciler fib = new FibReconciler(handle.rtnetlink(), 44, 254);
        StaticRouting agent = new StaticRouting(handle, OverlaySettings.DEFAULTS);
        agent.start(new RoutingContext(role, fib::reconcile));
        agents.put(role, agent);
    }

    @Test
    void directRoutesInTheSubnetVxlanAcrossItAndCleanupWhenANodeLeaves() throws Exception {
        List<NodeInfo> all = List.of(node("n1", "192.168.1.11", "10.244.1.0/24"),
                node("n2", "192.168.1.12", "10.244.2.0/24"), node("n3", "192.168.2.13", "10.244.3.0/24"));
        for (NodeInfo n : all) {
            startAgent(n.name());
            agents.get(n.name()).update(new RoutingIntent(n, all, n.podCidrs()));
        }

        String n1Routes = ip("n1", "-j route show proto 44");
        assertTrue(n1Routes.contains("\"dst\":\"10.244.2.0/24\",\"gateway\":\"192.168.1.12\""), n1Routes);
        assertTrue(n1Routes.contains("\"dst\":\"10.244.3.0/24\",\"gateway\":\"10.244.3.0\",\"dev\":\"lattice-vxlan\""), n1Routes);
        String n3Routes = ip("n3", "-j route show proto 44");
        assertTrue(n3Routes.contains("\"dst\":\"10.244.1.0/24\",\"gateway\":\"10.244.1.0\",\"dev\":\"lattice-vxlan\""), n3Routes);
        String fdb = run("bridge", "-n", ns("n1"), "-j", "fdb", "show", "dev", "lattice-vxlan");
        assertTrue(fdb.contains("\"dst\":\"192.168.2.13\""), fdb);
        assertTrue(ip("n1", "-j -d link show lattice-vxlan").contains("\"id\":4096"));

        assertTrue(ping("n1", "10.244.1.1", "10.244.2.1"), "n1 -> n2 pods, direct");
        assertTrue(ping("n1", "10.244.1.1", "10.244.3.1"), "n1 -> n3 pods, VXLAN through the router");
        assertTrue(ping("n3", "10.244.3.1", "10.244.2.1"), "n3 -> n2 pods, VXLAN through the router");
        assertTrue(agents.get("n1").status().summary().contains("1 direct, 1 via VXLAN"), agents.get("n1").status().summary());

        // Updating with the same intent again changes nothing (level-triggered, no flapping).
        String before = ip("n1", "-j -d link show lattice-vxlan");
        agents.get("n1").update(new RoutingIntent(all.get(0), all, all.get(0).podCidrs()));
        assertEquals(before, ip("n1", "-j -d link show lattice-vxlan"));

        // n3 leaves: n1 drops its route, and with no overlay peer left, its VXLAN device.
        List<NodeInfo> two = all.subList(0, 2);
        agents.get("n1").update(new RoutingIntent(all.get(0), two, all.get(0).podCidrs()));
        assertFalse(ip("n1", "-j route show proto 44").contains("10.244.3.0/24"));
        assertFalse(ip("n1", "-j link show").contains("lattice-vxlan"));
        assertTrue(ping("n1", "10.244.1.1", "10.244.2.1"), "the direct route stays");

        agents.get("n3").stop();
        assertFalse(ip("n3", "-j link show").contains("lattice-vxlan"));
        assertEquals("[]", ip("n3", "-j route show proto 44").trim());
    }

    @Test
    void anotherDistributorTakesTheOverlayDeviceOverAndTheOldOneLeavesItInPlace() throws Exception {
        List<NodeInfo> all = List.of(node("n1", "192.168.1.11", "10.244.1.0/24"),
                node("n2", "192.168.1.12", "10.244.2.0/24"), node("n3", "192.168.2.13", "10.244.3.0/24"));
        startAgent("n1");
        agents.get("n1").update(new RoutingIntent(all.get(0), all, all.get(0).podCidrs()));
        String before = ip("n1", "-j -d link show lattice-vxlan");
        assertTrue(before.contains("lattice static vni=4096"), before);
        String index = before.replaceAll("(?s).*?\"ifindex\":(\\d+).*", "$1");

        // A hot swap to another distributor (BGP) with the same VXLAN parameters: it adopts the
        // device (same ifindex, its mark now), and the static distributor's stop leaves it alone.
        VxlanOverlay taken = new VxlanOverlay(handles.get("n1").rtnetlink(), "bgp", "lattice-vxlan", 4096, 4789);
        OverlayPlan plan = OverlayPlan.of(new RoutingIntent(all.get(0), all, all.get(0).podCidrs()),
                Map.of(dev.lattice.spi.net.IpFamily.IPV4, Underlay.find(handles.get("n1").rtnetlink(),
                        IpAddress.parse("192.168.1.11")).orElseThrow()), OverlayMode.CROSS_SUBNET);
        taken.apply(IpAddress.parse("192.168.1.11"), "eth0", IpAddress.parse("10.244.1.0"),
                plan.peers().get(dev.lattice.spi.net.IpFamily.IPV4));
        String adopted = ip("n1", "-j -d link show lattice-vxlan");
        assertTrue(adopted.contains("lattice bgp vni=4096 port=4789 local=192.168.1.11"), adopted);
        assertEquals(index, adopted.replaceAll("(?s).*?\"ifindex\":(\\d+).*", "$1"), "the same device");
        agents.get("n1").stop();
        assertTrue(ip("n1", "-j link show").contains("lattice-vxlan"), "the new owner keeps its device");
        taken.remove();
        assertFalse(ip("n1", "-j link show").contains("lattice-vxlan"));
    }

    @Test
    void fullOverlayAndUnreachableNodesWithoutIt() throws Exception {
        NodeInfo n1 = node("n1", "192.168.1.11", "10.244.1.0/24");
        NodeInfo n2 = node("n2", "192.168.1.12", "10.244.2.0/24");
        NodeInfo n3 = node("n3", "192.168.2.13", "10.244.3.0/24");
        NetNamespace h1 = handles.get("n1");
        FibReconciler fib = new FibReconciler(h1.rtnetlink(), 44, 254);
        StaticRouting full = new StaticRouting(h1, new OverlaySettings(OverlayMode.FULL, 7, 4789,
                "lattice-vxlan", "lattice-vxlan6"));
        full.start(new RoutingContext("n1", fib::reconcile));
        full.update(new RoutingIntent(n1, List.of(n1, n2, n3), n1.podCidrs()));
        assertTrue(full.status().summary().contains("0 direct, 2 via VXLAN"), full.status().summary());
        assertTrue(ip("n1", "-j -d link show lattice-vxlan").contains("\"id\":7"));
        full.stop();

        StaticRouting none = new StaticRouting(h1, new OverlaySettings(OverlayMode.NONE, 7, 4789,
                "lattice-vxlan", "lattice-vxlan6"));
        none.start(new RoutingContext("n1", fib::reconcile));
        none.update(new RoutingIntent(n1, List.of(n1, n2, n3), n1.podCidrs()));
        assertFalse(none.status().healthy());
        assertTrue(none.status().summary().contains("192.168.2.13 is outside 192.168.1.0/24 and the overlay is off"),
                none.status().summary());
        assertTrue(ip("n1", "-j route show proto 44").contains("10.244.2.0/24"));
        assertFalse(ip("n1", "-j route show proto 44").contains("10.244.3.0/24"));
        none.stop();
    }
}
