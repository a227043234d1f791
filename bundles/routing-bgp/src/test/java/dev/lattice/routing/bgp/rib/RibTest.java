package dev.lattice.routing.bgp.rib;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lattice.routing.bgp.wire.AsPath;
import dev.lattice.routing.bgp.wire.Family;
import dev.lattice.routing.bgp.wire.PathAttributes;
import dev.lattice.routing.bgp.wire.Prefix;
import dev.lattice.spi.net.IpAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RibTest {
    static final Prefix P = Prefix.parse("10.244.1.0/24");

    static PeerInfo peer(String addr, long as, boolean ibgp, int id) {
        PeerInfo p = new PeerInfo(addr, IpAddress.parse(addr), 64512, ibgp, false);
        p.established(ibgp ? 64512 : as, id);
        return p;
    }

    static PathAttributes.Builder attrs(int nh, long... path) {
        return new PathAttributes.Builder().origin(0).asPath(AsPath.sequence(path)).nextHop(nh);
    }

    final List<String> changes = new ArrayList<>();

    Rib rib(int maxPaths) {
        Rib r = new Rib(maxPaths, 16);
        r.setListener((p, o, n) -> changes.add(p + " " + o.length + "->" + n.length));
        return r;
    }

    @Test
    void decisionSteps() {
        Rib r = rib(1);
        PeerInfo a = peer("10.0.0.1", 65001, false, 1);
        PeerInfo b = peer("10.0.0.2", 65002, false, 2);
        PeerInfo c = peer("10.0.0.3", 64512, true, 3);
        for (PeerInfo p : List.of(a, b, c)) {
            r.addPeer(p);
        }
        // shorter AS path wins
        r.announce(a, P, new Path(a, attrs(1, 65001, 65010).build(), null));
        r.announce(b, P, new Path(b, attrs(2, 65002).build(), null));
        assertSame(b, r.best(P)[0].source());
        // higher LOCAL_PREF beats path length
        r.announce(c, P, new Path(c, attrs(3, 65020, 65021, 65022).localPref(200).build(), null));
        assertSame(c, r.best(P)[0].source());
        r.withdraw(c, P);
        // lower origin wins at equal length
        r.announce(a, P, new Path(a, attrs(1, 65001).origin(2).build(), null));
        assertSame(b, r.best(P)[0].source());
        // MED compared only within one neighbour AS: here the ASes differ, so eBGP tie -> router ID
        r.announce(a, P, new Path(a, attrs(1, 65001).med(0).build(), null));
        r.announce(b, P, new Path(b, attrs(2, 65002).med(5).build(), null));
        assertSame(a, r.best(P)[0].source(), "lower router ID");
        // same neighbour AS: lower MED wins even against a lower router ID
        r.announce(a, P, new Path(a, attrs(1, 65009).med(50).build(), null));
        r.announce(b, P, new Path(b, attrs(2, 65009).med(5).build(), null));
        assertSame(b, r.best(P)[0].source());
        // eBGP over iBGP
        r.withdraw(a, P);
        r.announce(b, P, new Path(b, attrs(2, 65009).build(), null));
        r.announce(c, P, new Path(c, attrs(3, 65009).build(), null));
        assertSame(b, r.best(P)[0].source());
        r.withdraw(b, P);
        assertSame(c, r.best(P)[0].source());
        r.removePeer(c);
        assertEquals(0, r.best(P).length);
        assertTrue(changes.get(changes.size() - 1).endsWith("1->0"));
    }

    @Test
    void ecmpAcrossEqualPaths() {
        Rib r = rib(4);
        PeerInfo a = peer("10.0.0.1", 65001, false, 1);
        PeerInfo b = peer("10.0.0.2", 65001, false, 2);
        PeerInfo c = peer("10.0.0.3", 65001, false, 3);
        for (PeerInfo p : List.of(a, b, c)) {
            r.addPeer(p);
        }
        r.announce(a, P, new Path(a, attrs(1, 65001).build(), null));
        r.announce(b, P, new Path(b, attrs(2, 65001).build(), null));
        r.announce(c, P, new Path(c, attrs(3, 65001, 65001).build(), null));
        Path[] best = r.best(P);
        assertEquals(2, best.length, "the longer path is not equal cost");
        assertSame(a, best[0].source());
    }

    @Test
    void staleSweep() {
        Rib r = rib(1);
        PeerInfo a = peer("10.0.0.1", 65001, false, 1);
        r.addPeer(a);
        r.announce(a, P, new Path(a, attrs(1, 65001).build(), null));
        Prefix q = Prefix.parse("10.244.2.0/24");
        r.announce(a, q, new Path(a, attrs(1, 65001).build(), null));
        a.newGeneration();
        assertTrue(r.best(P)[0].stale());
        r.announce(a, P, new Path(a, attrs(1, 65001).build(), null)); // re-announced after restart
        assertEquals(1, r.sweepStale(a, Family.IPV4_UNICAST));
        assertEquals(1, r.locSize());
        assertNull(r.best(q).length == 0 ? null : r.best(q)[0]);
    }

    @Test
    void prefixTableAgainstHashMap() {
        PrefixTable<Integer> t = new PrefixTable<>();
        Map<Prefix, Integer> ref = new HashMap<>();
        Random rnd = new Random(7);
        for (int i = 0; i < 200_000; i++) {
            Prefix p = rnd.nextInt(10) == 0 ? Prefix.v6(rnd.nextInt(50), 0, 64)
                    : Prefix.v4(rnd.nextInt(5000) << 8, 16 + rnd.nextInt(9));
            if (rnd.nextInt(3) == 0) {
                assertEquals(ref.remove(p), t.remove(p));
            } else {
                assertEquals(ref.put(p, i), t.put(p, i));
            }
        }
        assertEquals(ref.size(), t.size());
        Map<Prefix, Integer> back = new HashMap<>();
        t.forEach(back::put);
        assertEquals(ref, back);
    }

    @Test
    void prefixTableEdgesAndSharedValues() {
        PrefixTable<String> t = new PrefixTable<>();
        Prefix all = Prefix.parse("0.0.0.0/0");
        Prefix host = Prefix.parse("255.255.255.255/32");
        String shared = "path";
        assertNull(t.put(all, shared));
        assertNull(t.put(host, shared));
        for (int i = 0; i < 5000; i++) { // grows several times; one value id for all of them
            t.put(Prefix.v4(0x0b000000 + (i << 8), 24), shared);
        }
        assertEquals(5002, t.size());
        assertEquals(shared, t.get(all));
        assertEquals(shared, t.remove(host));
        assertNull(t.get(host));
        String other = "other";
        assertEquals(shared, t.put(all, other));
        assertEquals(other, t.get(all));
        Map<Prefix, String> back = new HashMap<>();
        t.forEach(back::put);
        assertEquals(5001, back.size());
        assertEquals(other, back.get(all));
        t.clear();
        assertEquals(0, t.size());
        assertNull(t.get(all));
        assertNull(t.put(all, shared));
        assertEquals(shared, t.get(all));
    }

    @Test
    void policyMatchesAndActs() {
        Policy p = Policy.parse("prefix 10.0.0.0/8 le 24 community 65000:1 => local-pref 300, add-community 65000:2, accept;"
                + " prefix 192.168.0.0/16 ge 24 => reject; => add-large-community 1:2:3, prepend 2");
        PathAttributes a = attrs(1, 65001).communities(new int[] {Policy.community("65000:1")}).build();
        PathAttributes r = p.apply(Prefix.parse("10.1.0.0/16"), a, "x", 64512);
        assertEquals(300, r.localPref());
        assertTrue(r.hasCommunity(Policy.community("65000:2")));
        assertEquals(0, r.largeCommunities().length, "accept ended the evaluation");
        assertNull(p.apply(Prefix.parse("192.168.7.0/24"), a, "x", 64512));
        PathAttributes s = p.apply(Prefix.parse("192.168.0.0/16"), a, "x", 64512);
        assertArrayEquals(new int[] {1, 2, 3}, s.largeCommunities());
        assertEquals("64512 64512 65001", s.asPath().toString());
        // prefix too long for "le 24"
        PathAttributes t = p.apply(Prefix.parse("10.1.1.128/25"), a, "x", 64512);
        assertEquals(3, t.asPath().decisionLength());
    }
}
