package dev.lattice.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lattice.spi.kernel.AddressEntry;
import dev.lattice.spi.kernel.AlreadyExistsException;
import dev.lattice.spi.kernel.KernelException;
import dev.lattice.spi.kernel.LinkSettings;
import dev.lattice.spi.kernel.LinkSpec;
import dev.lattice.spi.kernel.Neighbour;
import dev.lattice.spi.kernel.NeighbourState;
import dev.lattice.spi.kernel.NetNamespace;
import dev.lattice.spi.kernel.RouteEntry;
import dev.lattice.spi.kernel.RouteNextHop;
import dev.lattice.spi.kernel.Rtnetlink;
import dev.lattice.spi.net.IpAddress;
import dev.lattice.spi.net.IpFamily;
import dev.lattice.spi.net.IpPrefix;
import dev.lattice.spi.net.MacAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoutesTest extends KernelTestSupport {

    /** A namespace with two veth links up and addressed (v4 and v6), peers in a second namespace. */
    private int[] twoLinks(NetNamespace a, NetNamespace b) {
        Rtnetlink r = a.rtnetlink();
        int[] idx = new int[2];
        for (int i = 0; i < 2; i++) {
            r.createLink(new LinkSpec.Veth("ltk-r" + i, "ltk-q" + i, b, 0));
            r.setLink("ltk-r" + i, LinkSettings.create().up(true));
            idx[i] = r.linkIndex("ltk-r" + i);
            r.addAddress(AddressEntry.of(idx[i], IpAddress.parse("10.97." + i + ".1"), 24));
            r.addAddress(AddressEntry.of(idx[i], IpAddress.parse("fd97:" + i + "::1"), 64));
            b.rtnetlink().setLink("ltk-q" + i, LinkSettings.create().up(true));
        }
        return idx;
    }

    @Test
    void ipv4AndIpv6RoutesAddReplaceDeleteList() {
        NetNamespace a = newNamespace();
        NetNamespace b = newNamespace();
        int[] idx = twoLinks(a, b);
        Rtnetlink r = a.rtnetlink();

        RouteEntry v4 = RouteEntry.to(IpPrefix.parse("10.200.0.0/16")).via(IpAddress.parse("10.97.0.2"), idx[0])
                .withProtocol(RouteEntry.PROTO_LATTICE).withMetric(50);
        r.addRoute(v4);
        String j = ok("ip", "-n", a.name(), "-j", "route", "show", "10.200.0.0/16");
        assertTrue(j.contains("\"gateway\":\"10.97.0.2\"") && j.contains("\"dev\":\"ltk-r0\"")
                && j.contains("\"metric\":50") && j.contains("\"protocol\":\"44\""), j);
        assertThrows(AlreadyExistsException.class, () -> r.addRoute(v4));
        // replace moves it to the other link
        r.replaceRoute(v4.via(IpAddress.parse("10.97.1.2"), idx[1]));
        j = ok("ip", "-n", a.name(), "-j", "route", "show", "10.200.0.0/16");
        assertTrue(j.contains("\"gateway\":\"10.97.1.2\"") && j.contains("\"dev\":\"ltk-r1\""), j);

        // a device route in another table, scope link, and an onlink gateway
        RouteEntry dev = RouteEntry.to(IpPrefix.parse("10.201.0.0/24")).dev(idx[0]).withTable(100);
        r.addRoute(dev);
        j = ok("ip", "-n", a.name(), "-j", "route", "show", "table", "100");
        assertTrue(j.contains("\"dst\":\"10.201.0.0/24\"") && j.contains("\"scope\":\"link\""), j);
        RouteEntry onlink = RouteEntry.to(IpPrefix.parse("10.202.0.0/24")).via(IpAddress.parse("172.31.9.9"), idx[0]).withOnlink(true);
        r.addRoute(onlink);
        j = ok("ip", "-n", a.name(), "-j", "route", "show", "10.202.0.0/24");
        assertTrue(j.contains("onlink"), j);
        // a default route and a blackhole
        r.addRoute(RouteEntry.to(IpPrefix.parse("0.0.0.0/0")).via(IpAddress.parse("10.97.0.2"), 0));
        r.addRoute(RouteEntry.to(IpPrefix.parse("10.203.0.0/24")).withType(RouteEntry.TYPE_BLACKHOLE));
        j = ok("ip", "-n", a.name(), "-j", "route", "show");
        assertTrue(j.contains("\"dst\":\"default\"") && j.contains("\"type\":\"blackhole\""), j);

        // IPv6
        RouteEntry v6 = RouteEntry.to(IpPrefix.parse("fd00:200::/48")).via(IpAddress.parse("fd97:0::2"), idx[0]).withMetric(10);
        r.addRoute(v6);
        j = ok("ip", "-n", a.name(), "-6", "-j", "route", "show", "fd00:200::/48");
        assertTrue(j.contains("\"gateway\":\"fd97::2\"") && j.contains("\"metric\":10"), j);

        // list through the library
        List<RouteEntry> main4 = r.routes(IpFamily.IPV4, RouteEntry.TABLE_MAIN);
        assertTrue(main4.stream().anyMatch(e -> e.destination().equals(IpPrefix.parse("10.200.0.0/16"))
                && IpAddress.parse("10.97.1.2").equals(e.gateway()) && e.outputIndex() == idx[1]
                && e.protocol() == RouteEntry.PROTO_LATTICE && e.metric() == 50), main4.toString());
        assertTrue(main4.stream().anyMatch(e -> e.destination().length() == 0));
        assertTrue(main4.stream().anyMatch(e -> e.onlink() && e.destination().equals(IpPrefix.parse("10.202.0.0/24"))));
        assertTrue(r.routes(IpFamily.IPV4, 100).stream().allMatch(e -> e.table() == 100));
        assertEquals(1, r.routes(IpFamily.IPV4, 100).size());
        assertTrue(r.routes(IpFamily.IPV6, 0).stream().anyMatch(e -> e.destination().equals(IpPrefix.parse("fd00:200::/48"))));
        assertTrue(r.routes(null, 0).stream().anyMatch(e -> e.destination().family() == IpFamily.IPV6));

        // delete
        assertTrue(r.deleteRoute(v4.via(IpAddress.parse("10.97.1.2"), idx[1])));
        assertFalse(r.deleteRoute(v4.via(IpAddress.parse("10.97.1.2"), idx[1])));
        assertTrue(r.deleteRoute(dev));
        assertTrue(r.deleteRoute(v6));
        assertEquals("[]", ok("ip", "-n", a.name(), "-j", "route", "show", "10.200.0.0/16").strip());
        assertEquals("[]", ok("ip", "-n", a.name(), "-6", "-j", "route", "show", "fd00:200::/48").strip());

        // a route someone else made (ip: proto boot) is not ours to delete unless asked for any protocol
        ok("ip", "-n", a.name(), "route", "add", "10.205.0.0/24", "via", "10.97.0.2");
        RouteEntry theirs = RouteEntry.to(IpPrefix.parse("10.205.0.0/24")).via(IpAddress.parse("10.97.0.2"), 0);
        assertFalse(r.deleteRoute(theirs));
        assertTrue(r.deleteRoute(theirs.withProtocol(0)));

        // an unreachable gateway is refused with the errno and the route named
        KernelException e = assertThrows(KernelException.class,
                () -> r.addRoute(RouteEntry.to(IpPrefix.parse("10.204.0.0/24")).via(IpAddress.parse("172.30.0.1"), 0)));
        assertTrue(e.getMessage().contains("10.204.0.0/24") && e.errno() > 0, e.getMessage());
    }

    /** An ECMP route has both next hops (IPv4 and IPv6). */
    @Test
    void ecmpRouteHasBothNextHops() {
        NetNamespace a = newNamespace();
        NetNamespace b = newNamespace();
        int[] idx = twoLinks(a, b);
        Rtnetlink r = a.rtnetlink();
        RouteEntry ecmp = RouteEntry.to(IpPrefix.parse("10.210.0.0/16")).withNextHops(List.of(
                RouteNextHop.via(IpAddress.parse("10.97.0.2"), idx[0]),
                new RouteNextHop(IpAddress.parse("10.97.1.2"), idx[1], 3, false)));
        r.addRoute(ecmp);
        String j = ok("ip", "-n", a.name(), "-j", "route", "show", "10.210.0.0/16");
        assertTrue(j.contains("\"nexthops\"") && j.contains("\"gateway\":\"10.97.0.2\"")
                && j.contains("\"gateway\":\"10.97.1.2\"") && j.contains("\"weight\":3"), j);
        RouteEntry read = r.routes(IpFamily.IPV4, RouteEntry.TABLE_MAIN).stream()
                .filter(e -> e.destination().equals(IpPrefix.parse("10.210.0.0/16"))).findFirst().orElseThrow();
        assertEquals(2, read.nextHops().size(), read.toString());
        assertEquals(3, read.nextHops().get(1).weight());

        RouteEntry ecmp6 = RouteEntry.to(IpPrefix.parse("fd00:210::/48")).withNextHops(List.of(
                RouteNextHop.via(IpAddress.parse("fd97:0::2"), idx[0]),
                RouteNextHop.via(IpAddress.parse("fd97:1::2"), idx[1])));
        r.replaceRoute(ecmp6);
        j = ok("ip", "-n", a.name(), "-6", "-j", "route", "show", "fd00:210::/48");
        assertTrue(j.contains("\"gateway\":\"fd97::2\"") && j.contains("\"gateway\":\"fd97:1::2\""), j);
        RouteEntry read6 = r.routes(IpFamily.IPV6, 0).stream()
                .filter(e -> e.destination().equals(IpPrefix.parse("fd00:210::/48"))).findFirst().orElseThrow();
        assertEquals(2, read6.nextHops().size(), read6.toString());
        assertTrue(r.deleteRoute(ecmp));
    }

    @Test
    void batchedRoutesAndNeighbours() {
        NetNamespace a = newNamespace();
        NetNamespace b = newNamespace();
        int[] idx = twoLinks(a, b);
        Rtnetlink r = a.rtnetlink();
        List<RouteEntry> routes = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            routes.add(RouteEntry.to(IpPrefix.parse("10." + (100 + i / 256) + "." + (i % 256) + ".0/24"))
                    .via(IpAddress.parse("10.97.0.2"), idx[0]).withProtocol(RouteEntry.PROTO_LATTICE));
        }
        r.replaceRoutes(routes);
        r.replaceRoutes(routes); // idempotent
        String count = ok("sh", "-c", "ip -n " + a.name() + " route show proto 44 | wc -l").strip();
        assertEquals("2000", count);
        assertEquals(2000, r.routes(IpFamily.IPV4, RouteEntry.TABLE_MAIN).stream()
                .filter(e -> e.protocol() == RouteEntry.PROTO_LATTICE).count());
        // a batch with one bad route applies the others and reports the bad one
        List<RouteEntry> mixed = List.of(
                RouteEntry.to(IpPrefix.parse("10.250.0.0/24")).via(IpAddress.parse("10.97.0.2"), idx[0]),
                RouteEntry.to(IpPrefix.parse("10.250.1.0/24")).via(IpAddress.parse("172.30.0.1"), idx[0]),
                RouteEntry.to(IpPrefix.parse("10.250.2.0/24")).via(IpAddress.parse("10.97.0.2"), idx[0]));
        KernelException e = assertThrows(KernelException.class, () -> r.replaceRoutes(mixed));
        assertTrue(e.getMessage().contains("10.250.1.0/24"), e.getMessage());
        assertTrue(ok("ip", "-n", a.name(), "route", "show").contains("10.250.2.0/24"));
        r.deleteRoutes(routes);
        r.deleteRoutes(routes); // gone already: not an error
        assertEquals("0", ok("sh", "-c", "ip -n " + a.name() + " route show proto 44 | wc -l").strip());

        // neighbours
        MacAddress mac = MacAddress.parse("02:de:ad:be:ef:01");
        r.replaceNeighbour(Neighbour.permanent(idx[0], IpAddress.parse("10.97.0.77"), mac));
        r.replaceNeighbour(Neighbour.permanent(idx[0], IpAddress.parse("fd97:0::77"), mac));
        String n = ok("ip", "-n", a.name(), "-j", "neigh", "show", "dev", "ltk-r0");
        assertTrue(n.contains("\"dst\":\"10.97.0.77\"") && n.contains("\"dst\":\"fd97::77\"")
                && n.contains("02:de:ad:be:ef:01") && n.contains("PERMANENT"), n);
        List<Neighbour> list = r.neighbours(idx[0], null);
        assertTrue(list.stream().anyMatch(x -> x.address().equals(IpAddress.parse("10.97.0.77"))
                && mac.equals(x.mac()) && x.state() == NeighbourState.PERMANENT), list.toString());
        assertEquals(1, r.neighbours(idx[0], IpFamily.IPV6).stream().filter(x -> x.mac() != null && x.mac().equals(mac)).count());
        assertTrue(r.deleteNeighbour(Neighbour.permanent(idx[0], IpAddress.parse("10.97.0.77"), mac)));
        assertFalse(r.deleteNeighbour(Neighbour.permanent(idx[0], IpAddress.parse("10.97.0.77"), mac)));
    }
}
