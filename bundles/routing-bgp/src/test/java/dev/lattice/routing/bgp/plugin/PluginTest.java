package dev.lattice.routing.bgp.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lattice.routing.bgp.fsm.PeerConfig;
import dev.lattice.spi.net.IpAddress;
import dev.lattice.spi.net.IpPrefix;
import dev.lattice.spi.node.NodeInfo;
import dev.lattice.spi.plugin.DataplaneException;
import dev.lattice.spi.routing.RoutingContext;
import dev.lattice.spi.routing.RoutingIntent;
import dev.lattice.spi.telemetry.Health;
import dev.lattice.spi.telemetry.MetricFamily;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PluginTest {
    static NodeInfo node(String name, String ip, Map<String, String> ann) {
        return new NodeInfo(name, List.of(IpAddress.parse(ip)), List.of(IpPrefix.parse("10.244." + ip.substring(ip.lastIndexOf('.') + 1) + ".0/24")),
                Map.of(), ann);
    }

    static List<String> names(List<PeerConfig> ps) {
        return ps.stream().map(p -> p.name() + (p.routeReflectorClient() ? "(client)" : "")).collect(Collectors.toList());
    }

    @Test
    void defaultsAndParsing() {
        BgpPluginConfig d = BgpPluginConfig.defaults();
        assertEquals(64512, d.asn());
        assertEquals(179, d.listenPort());
        assertTrue(d.fullMesh());
        BgpPluginConfig c = BgpPluginConfig.parse(Map.of("asn", 65100, "peers",
                List.of("address=192.0.2.1 asn=65000 password=pw multihop=3", "address=2001:db8::1 asn=65001 passive=true"),
                "communities", "65100:1,65100:2", "exportPolicy", "=> prepend 1"));
        assertEquals(2, c.peers().size());
        assertEquals("pw", c.peers().get(0).password());
        assertEquals(3, c.peers().get(0).multihop());
        assertTrue(c.peers().get(1).passive());
        assertEquals(2, c.communities().length);
        assertThrows(IllegalArgumentException.class, () -> BgpPluginConfig.parse(Map.of("peers", "address=1.2.3.4")));
        assertThrows(IllegalArgumentException.class, () -> BgpPluginConfig.parse(Map.of("asn", "0")));
        assertThrows(IllegalArgumentException.class, () -> BgpPluginConfig.parse(Map.of("importPolicy", "bogus => accept")));
    }

    @Test
    void fullMeshAmongNodesOfTheSameAs() {
        NodeInfo a = node("a", "192.168.1.1", Map.of());
        NodeInfo b = node("b", "192.168.1.2", Map.of());
        NodeInfo c = node("c", "192.168.1.3", Map.of(Annotations.ASN, "65010"));
        List<PeerConfig> ps = MeshPlanner.peers(a, List.of(a, b, c), BgpPluginConfig.defaults());
        assertEquals(List.of("b"), names(ps));
        assertTrue(ps.get(0).ibgp());
        assertEquals(255, ps.get(0).ttl());
    }

    @Test
    void routeReflectorRoles() {
        Map<String, String> rr = Map.of(Annotations.RR_SERVER, "10.0.0.100");
        Map<String, String> client = Map.of(Annotations.RR_CLIENT, "10.0.0.100");
        NodeInfo r1 = node("rr1", "192.168.1.1", rr);
        NodeInfo r2 = node("rr2", "192.168.1.2", rr);
        NodeInfo c1 = node("c1", "192.168.1.3", client);
        NodeInfo c2 = node("c2", "192.168.1.4", client);
        List<NodeInfo> all = List.of(r1, r2, c1, c2);
        BgpPluginConfig cfg = BgpPluginConfig.defaults();
        assertEquals(List.of("rr2", "c1(client)", "c2(client)"), names(MeshPlanner.peers(r1, all, cfg)));
        assertEquals(List.of("rr1", "rr2"), names(MeshPlanner.peers(c1, all, cfg)));
        assertEquals(0x0a000064, MeshPlanner.local(r1, cfg).clusterId());
    }

    @Test
    void externalPeersFromConfigAndAnnotation() {
        NodeInfo a = node("a", "192.168.1.1", Map.of(Annotations.PEERS, "address=192.168.1.254 asn=65000 multihop=2"));
        BgpPluginConfig cfg = BgpPluginConfig.parse(Map.of("fullMesh", "false", "peers", "address=192.168.0.1 asn=65001"));
        List<PeerConfig> ps = MeshPlanner.peers(a, List.of(a), cfg);
        assertEquals(2, ps.size());
        assertEquals(1, ps.get(0).ttl(), "directly connected eBGP");
        assertEquals(2, ps.get(1).ttl(), "multihop");
        assertFalse(ps.get(1).ibgp());
        assertTrue(ps.get(0).originatedOnly() && ps.get(1).originatedOnly(),
                "external peers get only this node's own prefixes unless transit=true");
        assertFalse(ps.get(0).clusterNode() || ps.get(1).clusterNode(), "external peers get Service addresses");
        NodeInfo b = node("b", "192.168.1.2", Map.of());
        PeerConfig mesh = MeshPlanner.peers(a, List.of(a, b), BgpPluginConfig.parse(Map.of())).get(0);
        assertTrue(mesh.clusterNode() && !mesh.originatedOnly(), "mesh peers: all routes but Service addresses");
        assertEquals(IpAddress.parse("192.168.1.1"), mesh.localAddress(), "mesh sessions from the node's InternalIP");
        List<PeerConfig> transit = MeshPlanner.peers(a, List.of(a), BgpPluginConfig.parse(Map.of("fullMesh", "false",
                "peers", "address=192.168.0.1 asn=65001 transit=true; address=192.168.0.2 asn=64512 rrClient=true")));
        assertFalse(transit.get(0).originatedOnly());
        assertFalse(transit.get(1).originatedOnly(), "a route-reflector client gets the reflected routes");
    }

    @Test
    void distributorStatusHealthAndMetricsWithoutPeers() {
        BgpRouteDistributor d = new BgpRouteDistributor();
        int port = 20000 + ThreadLocalRandom.current().nextInt(20000);
        d.configure(Map.of("listenPort", Integer.toString(port), "listenAddress", "127.0.0.1", "fullMesh", "false"));
        // Not started (not the selected routing plugin): idle, not broken.
        assertEquals(Health.Status.UP, d.health().status());
        assertTrue(d.health().message().contains("not in use"), d.health().message());
        assertThrows(DataplaneException.class, () -> d.update(new RoutingIntent(node("a", "127.0.0.1", Map.of()),
                List.of(), List.of())));
        d.start(new RoutingContext("a", routes -> { }));
        try {
            NodeInfo a = node("a", "127.0.0.1", Map.of());
            d.update(new RoutingIntent(a, List.of(a), a.podCidrs()));
            assertTrue(d.status().healthy(), d.status().summary());
            assertEquals(Health.Status.UP, d.health().status());
            assertTrue(d.ribJson(null).contains("\"prefix\":\"10.244.1.0/24\""), d.ribJson(null));
            assertEquals("[]", d.neighborsJson());
            List<MetricFamily> m = d.collect();
            assertTrue(m.stream().anyMatch(f -> f.name().equals("lattice_bgp_loc_rib_prefixes")
                    && f.samples().get(0).value() == 1.0));
        } finally {
            d.stop();
        }
    }

    /** Two nodes' distributors meshed on loopback; returns [a, b] started, b's learned routes in {@code bRoutes}. */
    private static BgpRouteDistributor[] meshPair(int net, int port,
                                                  java.util.concurrent.atomic.AtomicReference<List<dev.lattice.spi.routing.Route>> bRoutes) {
        NodeInfo a = node("a", "127." + net + ".0.1", Map.of());
        NodeInfo b = node("b", "127." + net + ".0.2", Map.of());
        BgpRouteDistributor[] d = {new BgpRouteDistributor(), new BgpRouteDistributor()};
        NodeInfo[] self = {a, b};
        for (int i = 0; i < 2; i++) {
            d[i].configure(Map.of("listenPort", Integer.toString(port), "listenAddress", self[i].internalIps().get(0).toString(),
                    "connectRetry", "1", "holdTime", "9"));
            d[i].start(new RoutingContext(self[i].name(), i == 0 ? routes -> { } : routes -> bRoutes.set(List.copyOf(routes))));
            d[i].update(new RoutingIntent(self[i], List.of(a, b), self[i].podCidrs()));
        }
        return d;
    }

    private static void awaitTrue(String what, java.util.function.BooleanSupplier c) throws InterruptedException {
        long end = System.currentTimeMillis() + 20_000;
        while (!c.getAsBoolean()) {
            if (System.currentTimeMillis() > end) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    @Test
    void stopSendsCeaseSoPeersWithdrawAtOnceWhileDeactivationRestartsGracefully() throws Exception {
        int net = ThreadLocalRandom.current().nextInt(10, 250);
        int port = 20000 + ThreadLocalRandom.current().nextInt(20000);
        var bRoutes = new java.util.concurrent.atomic.AtomicReference<List<dev.lattice.spi.routing.Route>>(List.of());
        BgpRouteDistributor[] d = meshPair(net, port, bRoutes);
        try {
            String aCidr = "10.244.1.0/24";
            awaitTrue("b learns a's pod CIDR", () -> bRoutes.get().stream().anyMatch(r -> r.destination().toString().equals(aCidr)));

            // The agent stops (bundle deactivation): graceful restart, b keeps forwarding to a.
            d[0].stopForRestart();
            Thread.sleep(1500);
            assertTrue(bRoutes.get().stream().anyMatch(r -> r.destination().toString().equals(aCidr)),
                    "a restarting node's routes are kept (RFC 4724): " + bRoutes.get());
            assertTrue(d[1].neighborsJson().contains("\"state\":\"Active\"") || d[1].neighborsJson().contains("\"state\":\"Connect\"")
                    || d[1].neighborsJson().contains("\"state\":\"Idle\""), d[1].neighborsJson());

            // It comes back, then is retired by the core for another distributor: Cease, routes gone at once.
            d[0] = new BgpRouteDistributor();
            NodeInfo a = node("a", "127." + net + ".0.1", Map.of());
            NodeInfo b = node("b", "127." + net + ".0.2", Map.of());
            d[0].configure(Map.of("listenPort", Integer.toString(port), "listenAddress", "127." + net + ".0.1",
                    "connectRetry", "1", "holdTime", "9"));
            d[0].start(new RoutingContext("a", routes -> { }));
            d[0].update(new RoutingIntent(a, List.of(a, b), a.podCidrs()));
            awaitTrue("the session is back", () -> d[1].neighborsJson().contains("\"state\":\"Established\""));
            d[0].stop();
            awaitTrue("b withdraws a's routes on Cease, well within the restart time",
                    () -> bRoutes.get().stream().noneMatch(r -> r.destination().toString().equals(aCidr)));
            assertTrue(d[1].neighborsJson().contains("Cease"), "b saw a Cease: " + d[1].neighborsJson());
        } finally {
            d[0].stop();
            d[1].stop();
        }
    }

    @Test
    void anInvalidConfigurationIsReportedAndNeverReplacesAGoodOne() {
        BgpRouteDistributor bad = new BgpRouteDistributor();
        bad.activate(Map.of("overlay", "sometimes"));
        DataplaneException e = assertThrows(DataplaneException.class, () -> bad.start(new RoutingContext("a", r -> { })));
        assertTrue(e.getMessage().contains("invalid BGP configuration (plugins.bgp): overlay 'sometimes'"), e.getMessage());
        assertEquals(Health.Status.DOWN, bad.health().status(), bad.health().message());

        BgpRouteDistributor d = new BgpRouteDistributor();
        int port = 20000 + ThreadLocalRandom.current().nextInt(20000);
        Map<String, Object> good = Map.of("listenPort", Integer.toString(port), "listenAddress", "127.0.0.1",
                "fullMesh", "false");
        d.activate(good);
        d.start(new RoutingContext("a", routes -> { }));
        try {
            NodeInfo a = node("a", "127.0.0.1", Map.of());
            d.update(new RoutingIntent(a, List.of(a), a.podCidrs()));
            d.modified(Map.of("asn", "not-a-number"));
            assertTrue(d.status().summary().contains("invalid BGP configuration")
                    && d.status().summary().contains("the previous settings stay in force"), d.status().summary());
            assertTrue(d.ribJson(null).contains("10.244.1.0/24"), "still running: " + d.ribJson(null));
            d.modified(good);
            assertTrue(d.status().healthy(), d.status().summary());
        } finally {
            d.stop();
        }
    }
}
