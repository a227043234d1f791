package dev.lattice.routing.bgp.interop;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lattice.routing.bgp.plugin.BgpRouteDistributor;
import dev.lattice.spi.net.IpAddress;
import dev.lattice.spi.net.IpPrefix;
import dev.lattice.spi.node.NodeInfo;
import dev.lattice.spi.routing.Route;
import dev.lattice.spi.routing.RoutingContext;
import dev.lattice.spi.routing.RoutingIntent;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Lattice's BGP plugin against BIRD 2 (Debian package {@code bird2}) and gobgpd in a network
 * namespace: eBGP IPv4 and IPv6 both ways with communities and large communities, and Lattice as a
 * route reflector for two clients (GoBGP and BIRD).
 */
class BirdInteropTest {
    NetnsLab lab;
    final AtomicReference<Collection<Route>> sunk = new AtomicReference<>(List.of());

    @BeforeEach
    void up() throws Exception {
        assumeTrue(NetnsLab.usable() && NetnsLab.has("bird") && NetnsLab.has("birdc"), "needs root and bird2");
        lab = new NetnsLab();
    }

    @AfterEach
    void down() {
        if (lab != null) {
            lab.close();
        }
    }

    void startBird(String protocols, String routerId) throws Exception {
        String conf = """
                router id %s;
                protocol device { scan time 1; }
                protocol direct { ipv4; ipv6; }
                protocol static s4 { ipv4; route 10.203.0.0/24 blackhole; }
                protocol static s6 { ipv6; route fd10:203::/64 blackhole; }
                filter out_static {
                  if source = RTS_STATIC then {
                    bgp_community.add((65003,300));
                    bgp_large_community.add((65003,3,3));
                    accept;
                  }
                  reject;
                }
                %s
                """.formatted(routerId, protocols);
        lab.startInB("bird", "-f", "-c", lab.write("bird.conf", conf).toString(), "-s", sock(), "-P",
                lab.dir.resolve("bird.pid").toString());
        await("bird control socket", () -> {
            try {
                return birdc("show", "status").contains("Daemon is up");
            } catch (Exception e) {
                return false;
            }
        });
    }

    String sock() {
        return lab.dir.resolve("bird.ctl").toString();
    }

    String birdc(String... args) throws Exception {
        String[] c = new String[args.length + 3];
        c[0] = "birdc";
        c[1] = "-s";
        c[2] = sock();
        System.arraycopy(args, 0, c, 3, args.length);
        return lab.inB(c);
    }

    String birdcQuiet(String... args) {
        try {
            return birdc(args);
        } catch (Exception e) {
            return e.toString();
        }
    }

    BgpRouteDistributor plugin(long asn, String peers, List<String> podCidrs, Map<String, String> annotations) {
        BgpRouteDistributor d = new BgpRouteDistributor(lab.threadsInA());
        d.configure(Map.of("asn", Long.toString(asn), "fullMesh", "false", "holdTime", "9", "connectRetry", "1",
                "communities", "65001:7", "largeCommunities", "65001:1:1", "peers", peers));
        d.start(new RoutingContext("node-a", routes -> sunk.set(List.copyOf(routes))));
        NodeInfo me = new NodeInfo("node-a", List.of(IpAddress.parse(lab.v4(1)), IpAddress.parse(lab.v6(1))),
                podCidrs.stream().map(IpPrefix::parse).toList(), Map.of(), annotations);
        d.update(new RoutingIntent(me, List.of(me), me.podCidrs()));
        return d;
    }

    @Test
    void ebgpIpv4AndIpv6BothWaysWithCommunities() throws Exception {
        startBird("""
                protocol bgp lat4 {
                  local %1$s as 65003;
                  neighbor %2$s as 65001;
                  strict bind yes;
                  hold time 9;
                  connect retry time 1;
                  ipv4 { import all; export filter out_static; };
                }
                protocol bgp lat6 {
                  local %3$s as 65003;
                  neighbor %4$s as 65001;
                  strict bind yes;
                  hold time 9;
                  connect retry time 1;
                  ipv6 { import all; export filter out_static; };
                }
                """.formatted(lab.v4(3), lab.v4(1), lab.v6(3), lab.v6(1)), lab.v4(3));
        BgpRouteDistributor d = plugin(65001, "address=" + lab.v4(3) + " asn=65003 name=bird4;address=" + lab.v6(3)
                + " asn=65003 name=bird6", List.of("10.201.0.0/24", "fd10:201::/64"), Map.of());
        try {
            GoBgpInteropTest.await("sessions with BIRD", () -> d.status().peers().size() == 2
                    && d.status().peers().stream().allMatch(p -> p.state().equals("Established")));
            GoBgpInteropTest.await("BIRD's routes in our sink", () -> sunk.get().stream().anyMatch(r ->
                    r.destination().equals(IpPrefix.parse("10.203.0.0/24"))
                            && r.nextHops().get(0).gateway().equals(IpAddress.parse(lab.v4(3))))
                    && sunk.get().stream().anyMatch(r -> r.destination().equals(IpPrefix.parse("fd10:203::/64"))));
            String rib = d.speaker().locRib().toString();
            assertTrue(rib.contains("communities=65003:300"), rib);
            assertTrue(rib.contains("large=65003:3:3"), rib);
            GoBgpInteropTest.await("BIRD has our routes", () -> birdcQuiet("show", "route", "protocol", "lat4")
                    .contains("10.201.0.0/24") && birdcQuiet("show", "route", "protocol", "lat6").contains("fd10:201::/64"));
            String v4 = birdc("show", "route", "10.201.0.0/24", "all");
            assertTrue(v4.contains("(65001,7)"), v4);
            assertTrue(v4.contains("(65001, 1, 1)"), v4);
            assertTrue(v4.contains("BGP.as_path: 65001"), v4);
            String v6 = birdc("show", "route", "fd10:201::/64", "all");
            assertTrue(v6.contains("(65001,7)"), v6);
            assertTrue(v6.contains(lab.v6(1)), v6);
        } catch (AssertionError | RuntimeException e) {
            System.err.println(lab.logs());
            System.err.println(birdcQuiet("show", "protocols", "all"));
            throw e;
        } finally {
            d.stop();
        }
    }

    @Test
    void routeReflectorWithGoBgpAndBirdClients() throws Exception {
        assumeTrue(NetnsLab.has("gobgpd"), "needs gobgpd");
        startBird("""
                protocol bgp lattice {
                  local %1$s as 64512;
                  neighbor %2$s as 64512;
                  strict bind yes;
                  hold time 9;
                  connect retry time 1;
                  ipv4 { import all; export filter out_static; };
                }
                """.formatted(lab.v4(3), lab.v4(1)), lab.v4(3));
        String conf = """
                [global.config]
                  as = 64512
                  router-id = "%2$s"
                  port = 179
                  local-address-list = ["%2$s"]
                [[neighbors]]
                  [neighbors.config]
                    neighbor-address = "%1$s"
                    peer-as = 64512
                  [neighbors.timers.config]
                    connect-retry = 1
                    hold-time = 9
                    keepalive-interval = 3
                  [[neighbors.afi-safis]]
                    [neighbors.afi-safis.config]
                      afi-safi-name = "ipv4-unicast"
                """.formatted(lab.v4(1), lab.v4(2));
        lab.startInB("gobgpd", "-f", lab.write("gobgpd.toml", conf).toString(), "--api-hosts", "127.0.0.1:50051",
                "-l", "info", "--pprof-disable");
        GoBgpInteropTest.await("gobgpd API", () -> {
            try {
                lab.inB("gobgp", "global");
                return true;
            } catch (Exception e) {
                return false;
            }
        });
        lab.inB("gobgp", "global", "rib", "add", "-a", "ipv4", "10.210.0.0/24", "community", "64512:210");
        // Lattice node annotated as reflector; both daemons are its clients
        BgpRouteDistributor d = plugin(64512, "address=" + lab.v4(2) + " asn=64512 rrClient=true name=gobgp;address="
                + lab.v4(3) + " asn=64512 rrClient=true name=bird", List.of("10.201.0.0/24"),
                Map.of("lattice.dev/bgp-rr-server", "1.1.1.1"));
        try {
            GoBgpInteropTest.await("both clients Established", () -> d.status().peers().size() == 2
                    && d.status().peers().stream().allMatch(p -> p.state().equals("Established")));
            GoBgpInteropTest.await("BIRD learns GoBGP's route via the reflector",
                    () -> birdcQuiet("show", "route", "10.210.0.0/24", "all").contains("BGP.originator_id"));
            String b = birdc("show", "route", "10.210.0.0/24", "all");
            assertTrue(b.contains("BGP.originator_id: " + lab.v4(2)), b);
            assertTrue(b.contains("BGP.cluster_list: 1.1.1.1"), b);
            assertTrue(b.contains("(64512,210)"), b);
            GoBgpInteropTest.await("GoBGP learns BIRD's route via the reflector", () -> {
                try {
                    return lab.inB("gobgp", "global", "rib", "-a", "ipv4", "-j").contains("10.203.0.0/24");
                } catch (Exception e) {
                    return false;
                }
            });
            String g = lab.inB("gobgp", "global", "rib", "-a", "ipv4", "10.203.0.0/24", "-j");
            assertTrue(g.contains("\"type\":9"), "ORIGINATOR_ID present: " + g);
            assertTrue(g.contains("\"type\":10"), "CLUSTER_LIST present: " + g);
            // and both clients have the reflector's own pod CIDR (its UPDATE may come after the
            // reflected route's: the order of a table dump follows the Loc-RIB's slots)
            await("BIRD learns the reflector's own prefix",
                    () -> birdcQuiet("show", "route", "10.201.0.0/24").contains("10.201.0.0/24"));
        } catch (AssertionError | RuntimeException e) {
            System.err.println(lab.logs());
            System.err.println(birdcQuiet("show", "protocols", "all"));
            throw e;
        } finally {
            d.stop();
        }
    }

    static void await(String what, BooleanSupplier c) throws InterruptedException {
        GoBgpInteropTest.await(what, c);
    }
}
