package dev.lattice.routing.bgp.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lattice.routing.bgp.plugin.BgpRouteDistributor;
import dev.lattice.spi.net.IpAddress;
import dev.lattice.spi.net.IpPrefix;
import dev.lattice.spi.node.NodeInfo;
import dev.lattice.spi.routing.Route;
import dev.lattice.spi.routing.RoutingContext;
import dev.lattice.spi.routing.RoutingIntent;
import dev.lattice.spi.routing.RoutingStatus;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Lattice's BGP plugin against a real gobgpd (Debian package {@code gobgpd}) in a network
 * namespace: eBGP over IPv4 (TCP MD5 protected) and IPv6, prefixes both ways, communities and large
 * communities, and a graceful restart of our speaker during which GoBGP keeps our routes.
 */
class GoBgpInteropTest {
    NetnsLab lab;
    Process gobgpd;
    final AtomicReference<Collection<Route>> sunk = new AtomicReference<>(List.of());

    @BeforeEach
    void up() throws Exception {
        assumeTrue(NetnsLab.usable() && NetnsLab.has("gobgpd") && NetnsLab.has("gobgp"),
                "needs root and the gobgpd package");
        lab = new NetnsLab();
        String conf = """
                [global.config]
                  as = 65002
                  router-id = "%2$s"
                  port = 179
                  local-address-list = ["%2$s", "%4$s"]

                [[neighbors]]
                  [neighbors.config]
                    neighbor-address = "%1$s"
                    peer-as = 65001
                    auth-password = "lattice-md5-secret"
                  [neighbors.timers.config]
                    connect-retry = 1
                    hold-time = 9
                    keepalive-interval = 3
                  [neighbors.graceful-restart.config]
                    enabled = true
                    restart-time = 60
                  [[neighbors.afi-safis]]
                    [neighbors.afi-safis.config]
                      afi-safi-name = "ipv4-unicast"
                    [neighbors.afi-safis.mp-graceful-restart.config]
                      enabled = true

                [[neighbors]]
                  [neighbors.config]
                    neighbor-address = "%3$s"
                    peer-as = 65001
                  [neighbors.timers.config]
                    connect-retry = 1
                    hold-time = 9
                    keepalive-interval = 3
                  [[neighbors.afi-safis]]
                    [neighbors.afi-safis.config]
                      afi-safi-name = "ipv6-unicast"
                """.formatted(lab.v4(1), lab.v4(2), lab.v6(1), lab.v6(2));
        gobgpd = lab.startInB("gobgpd", "-f", lab.write("gobgpd.toml", conf).toString(), "--api-hosts",
                "127.0.0.1:50051", "-l", "info", "--pprof-disable");
        await("gobgpd API", () -> {
            try {
                lab.inB("gobgp", "global");
                return true;
            } catch (Exception e) {
                return false;
            }
        });
        lab.inB("gobgp", "global", "rib", "add", "-a", "ipv4", "10.202.0.0/24", "community", "65002:100",
                "large-community", "65002:1:2");
        lab.inB("gobgp", "global", "rib", "add", "-a", "ipv6", "fd10:202::/64", "community", "65002:600");
    }

    @AfterEach
    void down() {
        if (lab != null) {
            lab.close();
        }
    }

    BgpRouteDistributor plugin() {
        BgpRouteDistributor d = new BgpRouteDistributor(lab.threadsInA());
        d.configure(Map.of("asn", "65001", "fullMesh", "false", "holdTime", "9", "connectRetry", "1",
                "communities", "65001:7", "largeCommunities", "65001:1:1",
                "peers", "address=" + lab.v4(2) + " asn=65002 password=lattice-md5-secret name=gobgp4;"
                        + "address=" + lab.v6(2) + " asn=65002 name=gobgp6"));
        d.start(new RoutingContext("node-a", routes -> sunk.set(List.copyOf(routes))));
        NodeInfo me = new NodeInfo("node-a", List.of(IpAddress.parse(lab.v4(1)), IpAddress.parse(lab.v6(1))),
                List.of(IpPrefix.parse("10.201.0.0/24"), IpPrefix.parse("fd10:201::/64")), Map.of(), Map.of());
        d.update(new RoutingIntent(me, List.of(me), me.podCidrs()));
        return d;
    }

    @Test
    void prefixesCommunitiesMd5AndGracefulRestart() throws Exception {
        BgpRouteDistributor d = plugin();
        try {
            await("both sessions Established", () -> d.status().peers().stream()
                    .allMatch(p -> p.state().equals("Established")) && d.status().peers().size() == 2);
            RoutingStatus st = d.status();
            assertTrue(st.healthy(), st.summary());
            // GoBGP's routes reach the core's sink with GoBGP as next hop
            await("routes from GoBGP in the sink", () -> sunk.get().stream().anyMatch(r ->
                    r.destination().equals(IpPrefix.parse("10.202.0.0/24"))
                            && r.nextHops().get(0).gateway().equals(IpAddress.parse(lab.v4(2))))
                    && sunk.get().stream().anyMatch(r -> r.destination().equals(IpPrefix.parse("fd10:202::/64"))));
            String rib = d.speaker().locRib().toString();
            assertTrue(rib.contains("communities=65002:100"), rib);
            assertTrue(rib.contains("large=65002:1:2"), rib);
            assertTrue(rib.contains("communities=65002:600"), rib);
            // ours reach GoBGP with communities and large communities, IPv4 and IPv6
            await("GoBGP has our IPv4 prefix", () -> gobgpRib("ipv4").contains("10.201.0.0/24"));
            await("GoBGP has our IPv6 prefix", () -> gobgpRib("ipv6").contains("fd10:201::/64"));
            String v4 = gobgpRibText("ipv4");
            assertTrue(v4.contains("65001:7"), v4);
            assertTrue(v4.contains("65001:1:1"), v4);
            assertTrue(v4.contains(lab.v4(1)), "next hop is our address: " + v4);
            String v6 = gobgpRibText("ipv6");
            assertTrue(v6.contains(lab.v6(1)), v6);
            // the IPv4 session is MD5-protected: GoBGP (with the key set) only accepts signed segments
            String nb = lab.inB("gobgp", "neighbor", lab.v4(1));
            assertTrue(nb.toLowerCase().contains("bgp state = established"), nb);

            // graceful restart: the agent stops (no NOTIFICATION); GoBGP keeps our route (stale)
            d.stopForRestart();
            await("GoBGP sees the session down", () -> {
                try {
                    return !lab.inB("gobgp", "neighbor", lab.v4(1)).toLowerCase().contains("bgp state = established");
                } catch (Exception e) {
                    return false;
                }
            });
            Thread.sleep(1000);
            assertTrue(gobgpRib("ipv4").contains("10.201.0.0/24"), "route kept while we restart: " + gobgpRib("ipv4"));
            BgpRouteDistributor d2 = plugin();
            try {
                await("re-established after restart", () -> d2.status().peers().stream()
                        .anyMatch(p -> p.state().equals("Established") && p.address().isIpv4()));
                await("route fresh again", () -> {
                    String j = gobgpRib("ipv4");
                    return j.contains("10.201.0.0/24") && !j.contains("\"stale\":true");
                });
            } finally {
                d2.stop();
            }
        } catch (AssertionError | RuntimeException e) {
            System.err.println(lab.logs());
            if (d.speaker() != null) {
                System.err.println("peers: " + d.speaker().peers());
                System.err.println("loc-rib: " + d.speaker().locRib());
                System.err.println("sink: " + sunk.get());
                System.err.println("gobgp: " + gobgpRib("ipv4") + gobgpRib("ipv6"));
            }
            throw e;
        } finally {
            d.stop();
        }
    }

    String gobgpRib(String family) {
        try {
            return lab.inB("gobgp", "global", "rib", "-a", family, "-j");
        } catch (Exception e) {
            return e.toString();
        }
    }

    String gobgpRibText(String family) throws Exception {
        return lab.inB("gobgp", "global", "rib", "-a", family);
    }

    static void await(String what, BooleanSupplier c) throws InterruptedException {
        long end = System.currentTimeMillis() + 30_000;
        while (!c.getAsBoolean()) {
            if (System.currentTimeMillis() > end) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(200);
        }
    }

    static void check(boolean b, String msg) {
        assertEquals(true, b, msg);
    }
}
