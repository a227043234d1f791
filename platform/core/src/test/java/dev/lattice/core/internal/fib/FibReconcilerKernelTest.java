package dev.lattice.core.internal.fib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lattice.kernel.Kernel;
import dev.lattice.spi.kernel.AddressEntry;
import dev.lattice.spi.kernel.LinkSettings;
import dev.lattice.spi.kernel.LinkSpec;
import dev.lattice.spi.kernel.NetNamespace;
import dev.lattice.spi.kernel.Rtnetlink;
import dev.lattice.spi.net.IpAddress;
import dev.lattice.spi.net.IpPrefix;
import dev.lattice.spi.routing.NextHop;
import dev.lattice.spi.routing.Route;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The FIB reconciler against the real kernel, in a throwaway network namespace, checked with
 * {@code ip -j route}: install, no flapping, repair of a route deleted by hand, removal of routes
 * no longer wanted, and foreign routes never touched.
 */
class FibReconcilerKernelTest {
    private static final int PROTO = 44;
    private Kernel kernel;
    private String nsName;
    private NetNamespace ns;
    private Rtnetlink rt;

    @BeforeEach
    void createNamespace() {
        kernel = Kernel.open();
        nsName = "ltf-" + UUID.randomUUID().toString().substring(0, 8);
        ns = kernel.namespaces().create(nsName);
        rt = ns.rtnetlink();
        // One link with an IPv4 and an IPv6 subnet, for gateways to resolve against.
        rt.createLink(LinkSpec.Veth.of("ltf-a", "ltf-b"), LinkSettings.create().up(true));
        rt.setLink("ltf-b", LinkSettings.create().up(true));
        int a = rt.linkIndex("ltf-a");
        rt.addAddress(AddressEntry.of(a, IpAddress.parse("192.0.2.1"), 24));
        rt.addAddress(AddressEntry.of(a, IpAddress.parse("fd00:1::1"), 64));
    }

    @AfterEach
    void deleteNamespace() {
        try {
            ns.close();
        } finally {
            kernel.namespaces().delete(nsName);
            kernel.close();
        }
    }

    private static Route via(String prefix, String... gateways) {
        List<NextHop> hops = new ArrayList<>();
        for (String g : gateways) {
            hops.add(NextHop.via(IpAddress.parse(g)));
        }
        return new Route(IpPrefix.parse(prefix), hops, 0);
    }

    private String ip(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ip", "-n", nsName));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "ip " + String.join(" ", args) + ": " + out);
        return out;
    }

    @Test
    void installsRepairsRemovesAndLeavesForeignRoutesAlone() throws Exception {
        FibReconciler fib = new FibReconciler(rt, PROTO, 254);
        List<Route> desired = List.of(
                via("10.244.2.0/24", "192.0.2.2"),
                via("10.244.3.0/24", "192.0.2.2", "192.0.2.3"),
                via("fd00:2::/64", "fd00:1::2"));

        FibReconciler.Result first = fib.reconcile(desired);
        assertEquals(3, first.installed());
        String v4 = ip("-j", "-4", "route", "show", "proto", "44");
        assertTrue(v4.contains("\"dst\":\"10.244.2.0/24\",\"gateway\":\"192.0.2.2\""), v4);
        assertTrue(v4.contains("\"dst\":\"10.244.3.0/24\""), v4);
        assertTrue(v4.contains("\"gateway\":\"192.0.2.3\""), "ECMP keeps both next hops: " + v4);
        assertTrue(ip("-j", "-6", "route", "show", "proto", "44").contains("\"dst\":\"fd00:2::/64\""));

        FibReconciler.Result again = fib.reconcile(desired);
        assertEquals(0, again.installed(), "a second pass over the same state changes nothing");
        assertEquals(3, again.unchanged());

        ip("route", "del", "10.244.2.0/24");
        assertEquals(1, fib.reconcile(desired).installed(), "a route deleted by hand is put back");
        assertTrue(ip("-j", "-4", "route", "show", "proto", "44").contains("\"dst\":\"10.244.2.0/24\""));

        ip("route", "add", "10.244.9.0/24", "via", "192.0.2.9", "proto", "static");
        List<Route> withConflict = new ArrayList<>(desired);
        withConflict.add(via("10.244.9.0/24", "192.0.2.2"));
        FibReconciler.Result conflict = fib.reconcile(withConflict);
        assertEquals(1, conflict.conflicts().size(), conflict.toString());
        assertTrue(ip("-j", "-4", "route", "show", "10.244.9.0/24").contains("\"gateway\":\"192.0.2.9\""),
                "the foreign route is untouched");

        FibReconciler.Result smaller = fib.reconcile(List.of(via("10.244.2.0/24", "192.0.2.2")));
        assertEquals(2, smaller.removed());
        String left = ip("-j", "route", "show");
        assertTrue(!left.contains("10.244.3.0/24"), left);
        assertTrue(left.contains("10.244.9.0/24"), "foreign route survives: " + left);
        assertTrue(left.contains("192.0.2.0/24"), "kernel route survives: " + left);

        assertEquals(1, fib.removeAll());
        assertEquals("[]", ip("-j", "-4", "route", "show", "proto", "44").trim().replace("\n", ""));
        assertTrue(ip("-j", "route", "show").contains("10.244.9.0/24"));
    }

    @Test
    void resolvesNextHopsInOtherSubnetsThroughTheNodesOwnRoutes() throws Exception {
        FibReconciler fib = new FibReconciler(rt, PROTO, 254);
        // A BGP peer in another rack: 198.51.100.7 is not on-link, only routed via 192.0.2.254.
        List<Route> desired = List.of(
                via("10.244.5.0/24", "198.51.100.7"),
                via("10.244.6.0/24", "203.0.113.9"),
                via("10.244.7.0/24", "192.0.2.2", "198.51.100.7"));
        ip("route", "add", "198.51.100.0/24", "via", "192.0.2.254", "proto", "static");

        FibReconciler.Result first = fib.reconcile(desired);
        assertEquals(2, first.installed(), first.toString());
        assertEquals(1, first.conflicts().size(), first.toString());
        assertTrue(first.conflicts().get(0).contains("203.0.113.9 is unreachable"), first.conflicts().toString());
        String v4 = ip("-j", "-4", "route", "show", "proto", "44");
        assertTrue(v4.contains("\"dst\":\"10.244.5.0/24\",\"gateway\":\"192.0.2.254\""), v4);
        assertTrue(!v4.contains("10.244.6.0/24"), "no route through an unreachable next hop: " + v4);
        String ecmp = ip("-j", "-4", "route", "show", "10.244.7.0/24");
        assertTrue(ecmp.contains("\"gateway\":\"192.0.2.2\"") && ecmp.contains("\"gateway\":\"192.0.2.254\""),
                "a direct and a resolved next hop: " + ecmp);
        assertEquals(0, fib.reconcile(desired).installed(), "resolved routes compare equal to what is installed");

        // A default route appears (DHCP, the operator): the unreachable next hop resolves through it.
        ip("route", "add", "default", "via", "192.0.2.1", "proto", "static");
        FibReconciler.Result second = fib.reconcile(desired);
        assertEquals(List.of(), second.conflicts());
        assertTrue(ip("-j", "-4", "route", "show", "10.244.6.0/24").contains("\"gateway\":\"192.0.2.1\""));

        // The more specific route goes: its routes follow the default route.
        ip("route", "del", "198.51.100.0/24");
        fib.reconcile(desired);
        assertTrue(ip("-j", "-4", "route", "show", "10.244.5.0/24").contains("\"gateway\":\"192.0.2.1\""));
        assertEquals(3, fib.removeAll());
    }
}
