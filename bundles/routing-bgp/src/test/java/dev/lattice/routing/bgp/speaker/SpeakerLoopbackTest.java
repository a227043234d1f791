package dev.lattice.routing.bgp.speaker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lattice.routing.bgp.fsm.PeerConfig;
import dev.lattice.routing.bgp.rib.Policy;
import dev.lattice.routing.bgp.wire.Prefix;
import dev.lattice.spi.net.IpAddress;
import dev.lattice.spi.net.IpPrefix;
import dev.lattice.spi.routing.Route;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Real speakers over real TCP on loopback addresses (127.x.y.z, distinct per speaker and per run).
 */
class SpeakerLoopbackTest {
    final List<BgpSpeaker> speakers = new ArrayList<>();
    final int net = ThreadLocalRandom.current().nextInt(10, 250);

    @AfterEach
    void stopAll() {
        for (BgpSpeaker s : speakers) {
            try {
                s.stop(false);
            } catch (RuntimeException e) {
                // already stopped
            }
        }
    }

    IpAddress addr(int host) {
        return IpAddress.parse("127." + net + ".0." + host);
    }

    BgpSpeaker speaker(int host, long as, Policy export, IpAddress nh6) throws Exception {
        SpeakerConfig c = new SpeakerConfig(as, SpeakerConfig.toInt(addr(host)), addr(host), 0, 0, 4, null, export,
                null, nh6, false, 360);
        BgpSpeaker s = new BgpSpeaker(c, null);
        s.start();
        speakers.add(s);
        return s;
    }

    PeerConfig peer(int host, BgpSpeaker remote, long remoteAs, long localAs, int localHost) {
        return PeerConfig.of(addr(host), remoteAs, localAs).withPort(remote.listenPort()).withTimers(9, 1)
                .withLocalAddress(addr(localHost)).withName("s" + host);
    }

    static void await(String what, BooleanSupplier cond) throws InterruptedException {
        long end = System.currentTimeMillis() + 20_000;
        while (!cond.getAsBoolean()) {
            if (System.currentTimeMillis() > end) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    static Set<String> routes(BgpSpeaker s) {
        return s.learnedRoutes().stream().map(r -> r.destination() + " via "
                + r.nextHops().stream().map(h -> h.gateway().toString()).sorted().collect(Collectors.joining(",")))
                .collect(Collectors.toSet());
    }

    @Test
    void ibgpPairExchangesIpv4AndIpv6BothWays() throws Exception {
        BgpSpeaker a = speaker(1, 64512, null, IpAddress.parse("fd00::1"));
        BgpSpeaker b = speaker(2, 64512, null, IpAddress.parse("fd00::2"));
        a.setPeers(List.of(peer(2, b, 64512, 64512, 1)));
        b.setPeers(List.of(peer(1, a, 64512, 64512, 2)));
        a.originate(List.of(Prefix.parse("10.244.1.0/24"), Prefix.parse("fd10:1::/64")));
        b.originate(List.of(Prefix.parse("10.244.2.0/24")));
        await("a learns b's pod CIDR", () -> routes(a).contains("10.244.2.0/24 via " + addr(2)));
        await("b learns a's", () -> routes(b).equals(Set.of("10.244.1.0/24 via " + addr(1), "fd10:1::/64 via fd00::1")));
        assertEquals("Established", a.peers().get(0).state());
        assertEquals(2, a.peers().get(0).prefixesAdvertised());
        assertEquals(1, a.peers().get(0).prefixesReceived());
        // route refresh (RFC 2918): b asks, a sends its routes again
        long before = a.peers().get(0).updatesOut();
        b.refreshAll();
        await("a re-sends on ROUTE-REFRESH", () -> a.peers().get(0).updatesOut() > before);
        // withdrawal
        a.originate(List.of(Prefix.parse("10.244.1.0/24")));
        await("b drops the IPv6 route", () -> routes(b).equals(Set.of("10.244.1.0/24 via " + addr(1))));
    }

    @Test
    void ebgpPrependsAndExportPolicyAddsCommunity() throws Exception {
        BgpSpeaker a = speaker(1, 65001, Policy.parse("prefix 10.0.0.0/8 le 32 => add-community 65001:7, prepend 2"), null);
        BgpSpeaker b = speaker(2, 65002, null, null);
        a.setPeers(List.of(peer(2, b, 65002, 65001, 1).withTtl(1)));
        b.setPeers(List.of(peer(1, a, 65001, 65002, 2).withTtl(1)));
        a.originate(List.of(Prefix.parse("10.9.0.0/16")));
        await("b learns", () -> !b.locRib().isEmpty());
        String path = b.locRib().get(0).paths().get(0);
        assertTrue(path.contains("as-path=[65001 65001 65001]"), path);
        assertTrue(path.contains("communities=65001:7"), path);
    }

    @Test
    void anOriginatedOnlyPeerGetsOurPrefixesButNoneWeLearned() throws Exception {
        // A node (a) meshes with another node (b) and has a top-of-rack router (tor) as eBGP peer.
        BgpSpeaker a = speaker(1, 64512, null, null);
        BgpSpeaker b = speaker(2, 64512, null, null);
        BgpSpeaker tor = speaker(3, 64500, null, null);
        a.setPeers(List.of(peer(2, b, 64512, 64512, 1), peer(3, tor, 64500, 64512, 1).withTtl(1).withOriginatedOnly(true)));
        b.setPeers(List.of(peer(1, a, 64512, 64512, 2)));
        tor.setPeers(List.of(peer(1, a, 64512, 64500, 3).withTtl(1)));
        b.originate(List.of(Prefix.parse("10.244.2.0/24")));
        a.originate(List.of(Prefix.parse("10.244.1.0/24")));
        await("a learns b's pod CIDR", () -> routes(a).contains("10.244.2.0/24 via " + addr(2)));
        await("the router learns a's own pod CIDR", () -> routes(tor).contains("10.244.1.0/24 via " + addr(1)));
        Thread.sleep(300); // an UPDATE for b's prefix would have been sent together with or right after a's
        assertEquals(Set.of("10.244.1.0/24 via " + addr(1)), routes(tor),
                "b's pod CIDR must not be advertised by a: the router would send b's traffic to a");
        assertEquals(1, a.peers().stream().filter(p -> p.name().equals("s3")).findFirst().orElseThrow()
                .prefixesAdvertised());
    }

    @Test
    void serviceAddressesGoToExternalPeersButNotToOtherClusterNodes() throws Exception {
        BgpSpeaker a = speaker(1, 64512, null, null);
        BgpSpeaker b = speaker(2, 64512, null, null);
        BgpSpeaker tor = speaker(3, 64500, null, null);
        a.setPeers(List.of(peer(2, b, 64512, 64512, 1).withClusterNode(true),
                peer(3, tor, 64500, 64512, 1).withTtl(1).withOriginatedOnly(true)));
        b.setPeers(List.of(peer(1, a, 64512, 64512, 2)));
        tor.setPeers(List.of(peer(1, a, 64512, 64500, 3).withTtl(1)));
        Prefix pods = Prefix.parse("10.244.1.0/24");
        Prefix service = Prefix.parse("10.96.0.10/32");
        a.originate(List.of(pods, service), Set.of(service), new int[0], new int[0]);
        await("the router learns the pod CIDR and the Service address", () -> routes(tor).equals(Set.of(
                "10.244.1.0/24 via " + addr(1), "10.96.0.10/32 via " + addr(1))));
        await("the other node learns the pod CIDR", () -> routes(b).contains("10.244.1.0/24 via " + addr(1)));
        Thread.sleep(300);
        assertEquals(Set.of("10.244.1.0/24 via " + addr(1)), routes(b), "no Service address to another node");

        // The same prefix no longer external-only: the other node gets it now; and back.
        a.originate(List.of(pods, service), Set.of(), new int[0], new int[0]);
        await("the other node learns the address", () -> routes(b).contains("10.96.0.10/32 via " + addr(1)));
        a.originate(List.of(pods, service), Set.of(service), new int[0], new int[0]);
        await("and has it withdrawn again", () -> !routes(b).contains("10.96.0.10/32 via " + addr(1)));
        assertTrue(routes(tor).contains("10.96.0.10/32 via " + addr(1)), "the router keeps it");
    }

    @Test
    void routeReflectorReflectsBetweenClientsWithOriginatorAndClusterList() throws Exception {
        BgpSpeaker rr = speaker(1, 64512, null, null);
        BgpSpeaker c1 = speaker(2, 64512, null, null);
        BgpSpeaker c2 = speaker(3, 64512, null, null);
        rr.setPeers(List.of(peer(2, c1, 64512, 64512, 1).withRouteReflectorClient(true),
                peer(3, c2, 64512, 64512, 1).withRouteReflectorClient(true)));
        c1.setPeers(List.of(peer(1, rr, 64512, 64512, 2)));
        c2.setPeers(List.of(peer(1, rr, 64512, 64512, 3)));
        c1.originate(List.of(Prefix.parse("10.244.2.0/24")));
        c2.originate(List.of(Prefix.parse("10.244.3.0/24")));
        await("c2 learns c1's prefix through the reflector", () -> routes(c2).contains("10.244.2.0/24 via " + addr(2)));
        await("c1 learns c2's", () -> routes(c1).contains("10.244.3.0/24 via " + addr(3)));
        String p = c2.locRib().stream().filter(e -> e.prefix().equals(Prefix.parse("10.244.2.0/24"))).findFirst()
                .orElseThrow().paths().get(0);
        assertTrue(p.contains("from s1"), p);
    }

    @Test
    void gracefulRestartKeepsRoutesUntilEndOfRib() throws Exception {
        BgpSpeaker a = speaker(1, 64512, null, null);
        BgpSpeaker b = speaker(2, 64512, null, null);
        b.setPeers(List.of(peer(1, a, 64512, 64512, 2).withPassive(true)));
        a.setPeers(List.of(peer(2, b, 64512, 64512, 1)));
        a.originate(List.of(Prefix.parse("10.244.1.0/24"), Prefix.parse("10.244.9.0/24")));
        await("b learns", () -> routes(b).size() == 2);
        int port = a.listenPort();
        a.stop(true);
        speakers.remove(a);
        await("b sees the session down", () -> !b.peers().get(0).state().equals("Established"));
        Thread.sleep(300);
        assertEquals(2, routes(b).size(), "routes kept (stale) while a restarts");
        // a comes back (same address), announces the R bit and only one of the two prefixes
        SpeakerConfig c = new SpeakerConfig(64512, SpeakerConfig.toInt(addr(1)), addr(1), port, 0, 4, null, null,
                null, null, false, 360);
        BgpSpeaker a2 = new BgpSpeaker(c, null);
        a2.start();
        speakers.add(a2);
        a2.setRestarting(true);
        a2.originate(List.of(Prefix.parse("10.244.1.0/24")));
        a2.setPeers(List.of(peer(2, b, 64512, 64512, 1)));
        await("stale 10.244.9.0/24 swept at End-of-RIB", () -> routes(b).equals(Set.of("10.244.1.0/24 via " + addr(1))));
        List<Route> r = b.learnedRoutes();
        assertEquals(IpPrefix.parse("10.244.1.0/24"), r.get(0).destination());
    }
}
