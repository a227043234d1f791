package dev.lattice.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lattice.spi.kernel.AddressEntry;
import dev.lattice.spi.kernel.AlreadyExistsException;
import dev.lattice.spi.kernel.Errno;
import dev.lattice.spi.kernel.FdbEntry;
import dev.lattice.spi.kernel.KernelException;
import dev.lattice.spi.kernel.LinkInfo;
import dev.lattice.spi.kernel.LinkSettings;
import dev.lattice.spi.kernel.LinkSpec;
import dev.lattice.spi.kernel.NetNamespace;
import dev.lattice.spi.kernel.NotFoundException;
import dev.lattice.spi.kernel.Rtnetlink;
import dev.lattice.spi.net.IpAddress;
import dev.lattice.spi.net.IpFamily;
import dev.lattice.spi.net.MacAddress;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import org.junit.jupiter.api.Test;

class LinksTest extends KernelTestSupport {

    /** Two namespaces joined by a veth pair made with the library: ping both ways and TCP. */
    @Test
    void vethPairJoinsTwoNamespacesWithPingAndTcp() throws Exception {
        NetNamespace a = newNamespace();
        NetNamespace b = newNamespace();
        Rtnetlink ra = a.rtnetlink();
        Rtnetlink rb = b.rtnetlink();
        LinkInfo va = ra.createLink(new LinkSpec.Veth("ltk-va", "ltk-vb", b, 1400));
        assertEquals("veth", va.kind());
        assertEquals(1400, va.mtu());
        int ib = rb.linkIndex("ltk-vb");
        ra.setLink("ltk-va", LinkSettings.create().up(true));
        rb.setLink("ltk-vb", LinkSettings.create().up(true));
        ra.setLink("lo", LinkSettings.create().up(true));
        rb.setLink("lo", LinkSettings.create().up(true));
        ra.addAddress(AddressEntry.of(va.index(), IpAddress.parse("10.99.0.1"), 24));
        rb.addAddress(AddressEntry.of(ib, IpAddress.parse("10.99.0.2"), 24));
        ra.addAddress(AddressEntry.of(va.index(), IpAddress.parse("fd99::1"), 64));
        rb.addAddress(AddressEntry.of(ib, IpAddress.parse("fd99::2"), 64));

        // independent check
        String ipa = ok("ip", "-n", a.name(), "-j", "addr", "show", "dev", "ltk-va");
        assertTrue(ipa.contains("\"local\":\"10.99.0.1\"") && ipa.contains("\"prefixlen\":24"), ipa);
        assertTrue(ipa.contains("\"local\":\"fd99::1\""), ipa);
        assertTrue(ipa.contains("\"mtu\":1400"), ipa);
        String ipb = ok("ip", "-n", b.name(), "-j", "link", "show", "dev", "ltk-vb");
        assertTrue(ipb.contains("\"operstate\":\"UP\""), ipb);
        // the library reads back the same
        assertTrue(ra.addresses(va.index(), IpFamily.IPV4).stream()
                .anyMatch(e -> e.address().equals(IpAddress.parse("10.99.0.1")) && e.prefixLength() == 24));
        assertTrue(ra.addresses(va.index(), IpFamily.IPV6).stream()
                .anyMatch(e -> e.address().equals(IpAddress.parse("fd99::1"))));
        assertTrue(ra.link("ltk-va").orElseThrow().running());

        in(a, "ping", "-c", "1", "-W", "2", "10.99.0.2");
        in(b, "ping", "-c", "1", "-W", "2", "10.99.0.1");
        in(a, "ping", "-6", "-c", "1", "-W", "2", "fd99::2");

        // TCP: a server socket opened inside b stays in b; a client opened inside a connects to it.
        ServerSocket server = b.call(() -> {
            ServerSocket s = new ServerSocket();
            s.bind(new InetSocketAddress("10.99.0.2", 0));
            return s;
        });
        try (server) {
            int port = server.getLocalPort();
            Socket client = a.call(() -> {
                Socket s = new Socket();
                s.connect(new InetSocketAddress("10.99.0.2", port), 3000);
                return s;
            });
            try (client; Socket accepted = server.accept()) {
                OutputStream out = client.getOutputStream();
                out.write("hello".getBytes());
                out.flush();
                InputStream inStream = accepted.getInputStream();
                byte[] buf = inStream.readNBytes(5);
                assertEquals("hello", new String(buf));
                assertEquals("10.99.0.1", accepted.getInetAddress().getHostAddress());
            }
        }
        // address delete
        assertTrue(ra.deleteAddress(AddressEntry.of(va.index(), IpAddress.parse("10.99.0.1"), 24)));
        assertFalse(ra.deleteAddress(AddressEntry.of(va.index(), IpAddress.parse("10.99.0.1"), 24)));
        assertFalse(ok("ip", "-n", a.name(), "-j", "addr", "show", "dev", "ltk-va").contains("10.99.0.1"));
    }

    @Test
    void linkSettingsAreAppliedAndReadBack() {
        NetNamespace a = newNamespace();
        NetNamespace b = newNamespace();
        Rtnetlink r = a.rtnetlink();
        r.createLink(LinkSpec.Veth.of("ltk-x", "ltk-y"));
        MacAddress mac = MacAddress.parse("02:11:22:33:44:55");
        r.setLink("ltk-x", LinkSettings.create().mtu(1300).mac(mac).alias("owned by lattice").up(true));
        String j = ok("ip", "-n", a.name(), "-j", "link", "show", "dev", "ltk-x");
        assertTrue(j.contains("\"mtu\":1300"), j);
        assertTrue(j.contains("\"address\":\"02:11:22:33:44:55\""), j);
        assertTrue(j.contains("\"ifalias\":\"owned by lattice\""), j);
        assertTrue(j.contains("\"UP\""), j);
        LinkInfo x = r.link("ltk-x").orElseThrow();
        assertEquals(mac, x.mac());
        assertEquals("owned by lattice", x.alias());
        assertTrue(x.up());
        assertEquals(r.linkIndex("ltk-y"), x.parentIndex());

        r.setLink("ltk-x", LinkSettings.create().up(false).rename("ltk-x2"));
        assertTrue(r.link("ltk-x").isEmpty());
        assertFalse(r.link("ltk-x2").orElseThrow().up());

        // move the other end into b by fd
        r.setLink("ltk-y", LinkSettings.create().namespace(b));
        assertTrue(r.link("ltk-y").isEmpty());
        assertTrue(ok("ip", "-n", b.name(), "-j", "link", "show").contains("\"ifname\":\"ltk-y\""));
        assertTrue(b.rtnetlink().link("ltk-y").isPresent());

        assertTrue(r.deleteLink("ltk-x2"));
        assertFalse(r.deleteLink("ltk-x2"));
        assertFalse(ok("ip", "-n", b.name(), "-j", "link", "show").contains("ltk-y"), "the peer goes with the pair");
        assertTrue(r.links().stream().anyMatch(l -> l.name().equals("lo")));
    }

    @Test
    void errorsAreTypedAndNameTheRequest() {
        NetNamespace a = newNamespace();
        Rtnetlink r = a.rtnetlink();
        r.createLink(LinkSpec.Bridge.of("ltk-br"));
        AlreadyExistsException e = assertThrows(AlreadyExistsException.class, () -> r.createLink(LinkSpec.Bridge.of("ltk-br")));
        assertEquals(Errno.EEXIST, e.errno());
        assertEquals("EEXIST", e.errnoName());
        assertTrue(e.getMessage().contains("RTM_NEWLINK bridge ltk-br") && e.getMessage().contains("EEXIST"), e.getMessage());

        IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
                () -> r.createLink(LinkSpec.Bridge.of("ltk-a-very-long-name")));
        assertTrue(tooLong.getMessage().contains("at most 15"), tooLong.getMessage());
        IllegalArgumentException slash = assertThrows(IllegalArgumentException.class,
                () -> r.createLink(LinkSpec.Bridge.of("ltk/x")));
        assertTrue(slash.getMessage().contains("'/'"), slash.getMessage());
        assertThrows(IllegalArgumentException.class, () -> r.createLink(LinkSpec.Bridge.of("")));
        assertThrows(IllegalArgumentException.class, () -> r.createLink(LinkSpec.Bridge.of("a b")));

        NotFoundException nf = assertThrows(NotFoundException.class,
                () -> r.setLink("ltk-none", LinkSettings.create().up(true)));
        assertTrue(nf.getMessage().contains("ltk-none"), nf.getMessage());
        NotFoundException noParent = assertThrows(NotFoundException.class,
                () -> r.createLink(new LinkSpec.Macvlan("ltk-mv", "ltk-nope", LinkSpec.Macvlan.Mode.BRIDGE, 0)));
        assertTrue(noParent.getMessage().contains("ltk-nope"));
        // a kernel-side refusal carries errno and the request: enslaving a bridge to itself
        KernelException self = assertThrows(KernelException.class,
                () -> r.setLink("ltk-br", LinkSettings.create().master("ltk-br")));
        assertTrue(self.errno() > 0 && self.getMessage().contains("ltk-br"), self.getMessage());
        assertTrue(r.link("ltk-nothing").isEmpty());
    }

    @Test
    void createAndConfigureIsAllOrNothing() {
        NetNamespace a = newNamespace();
        NetNamespace b = newNamespace();
        Rtnetlink r = a.rtnetlink();
        r.createLink(LinkSpec.Bridge.of("ltk-cbr"));
        LinkInfo ok = r.createLink(new LinkSpec.Veth("ltk-c0", "eth0", b, 0),
                LinkSettings.create().master("ltk-cbr").mtu(1400).up(true));
        assertTrue(ok.up() && ok.mtu() == 1400 && ok.masterIndex() == r.linkIndex("ltk-cbr"), ok.toString());
        // the second one fails on its master: the veth it made (both ends) is removed again
        NotFoundException e = assertThrows(NotFoundException.class, () -> r.createLink(
                new LinkSpec.Veth("ltk-c1", "eth1", b, 0), LinkSettings.create().master("ltk-nobr").up(true)));
        assertTrue(e.getMessage().contains("ltk-nobr"), e.getMessage());
        assertTrue(r.link("ltk-c1").isEmpty());
        assertTrue(b.rtnetlink().link("eth1").isEmpty());
        assertFalse(ok("ip", "-n", b.name(), "-j", "link").contains("eth1"));
        // with a move: configured, then moved
        LinkInfo moved = r.createLink(LinkSpec.Veth.of("ltk-c2", "ltk-c3"),
                LinkSettings.create().alias("x").namespace(b));
        assertEquals("x", moved.alias());
        assertTrue(b.rtnetlink().link("ltk-c2").isPresent());
        assertTrue(r.link("ltk-c2").isEmpty());
    }

    /** A veth whose peer name is taken in the target namespace fails as a whole: no local end is left. */
    @Test
    void failedVethLeavesNothingBehind() {
        NetNamespace a = newNamespace();
        NetNamespace b = newNamespace();
        b.rtnetlink().createLink(LinkSpec.Bridge.of("eth0"));
        AlreadyExistsException e = assertThrows(AlreadyExistsException.class,
                () -> a.rtnetlink().createLink(new LinkSpec.Veth("ltk-half", "eth0", b, 0)));
        assertTrue(e.getMessage().contains("peer in netns " + b.name()), e.getMessage());
        assertTrue(a.rtnetlink().link("ltk-half").isEmpty());
        assertFalse(ok("ip", "-n", a.name(), "-j", "link").contains("ltk-half"));
        assertEquals(2, b.rtnetlink().links().size()); // lo and the bridge
    }

    /** A bridge with three ports forwards between them; hairpin and learning flags are set per port. */
    @Test
    void bridgeWithThreePortsForwards() {
        NetNamespace sw = newNamespace();
        NetNamespace[] hosts = {newNamespace(), newNamespace(), newNamespace()};
        Rtnetlink r = sw.rtnetlink();
        LinkInfo br = r.createLink(LinkSpec.Bridge.of("ltk-br0"));
        r.setLink("ltk-br0", LinkSettings.create().up(true));
        for (int i = 0; i < 3; i++) {
            String port = "ltk-p" + i;
            r.createLink(new LinkSpec.Veth(port, "eth0", hosts[i], 0));
            r.setLink(port, LinkSettings.create().master("ltk-br0").up(true));
            Rtnetlink h = hosts[i].rtnetlink();
            int idx = h.linkIndex("eth0");
            h.setLink("eth0", LinkSettings.create().up(true));
            h.addAddress(AddressEntry.of(idx, IpAddress.parse("10.98.0." + (i + 1)), 24));
        }
        r.setLink("ltk-p0", LinkSettings.create().hairpin(true).learning(false));
        LinkInfo p0 = r.link("ltk-p0").orElseThrow();
        assertEquals(br.index(), p0.masterIndex());
        assertEquals(Boolean.TRUE, p0.hairpin());
        assertEquals(Boolean.FALSE, p0.learning());
        assertEquals(Boolean.TRUE, r.link("ltk-p1").orElseThrow().learning());
        String bj = ok("bridge", "-n", sw.name(), "-j", "-d", "link", "show", "dev", "ltk-p0");
        assertTrue(bj.contains("\"hairpin\":true") && bj.contains("\"learning\":false"), bj);
        assertTrue(ok("ip", "-n", sw.name(), "-j", "link", "show", "master", "ltk-br0").split("\"ifname\"").length == 4);

        in(hosts[0], "ping", "-c", "1", "-W", "2", "10.98.0.2");
        in(hosts[0], "ping", "-c", "1", "-W", "2", "10.98.0.3");
        in(hosts[1], "ping", "-c", "1", "-W", "2", "10.98.0.3");

        // a static FDB entry on the bridge, checked with bridge -j fdb
        MacAddress m = MacAddress.parse("02:aa:bb:cc:dd:01");
        int p1 = r.linkIndex("ltk-p1");
        r.replaceFdb(FdbEntry.bridgeStatic(p1, m));
        String fdb = ok("bridge", "-n", sw.name(), "-j", "fdb", "show", "dev", "ltk-p1");
        assertTrue(fdb.contains("02:aa:bb:cc:dd:01") && fdb.contains("static"), fdb);
        assertTrue(r.fdb(p1).stream().anyMatch(f -> f.mac().equals(m) && !f.self()));
        assertTrue(r.deleteFdb(FdbEntry.bridgeStatic(p1, m)));
        assertFalse(r.deleteFdb(FdbEntry.bridgeStatic(p1, m)));

        // releasing a port
        r.setLink("ltk-p2", LinkSettings.create().master(""));
        assertEquals(0, r.link("ltk-p2").orElseThrow().masterIndex());
    }

    @Test
    void macvlanOnVethAndVxlanWithFdb() {
        NetNamespace a = newNamespace();
        NetNamespace b = newNamespace();
        Rtnetlink r = a.rtnetlink();
        r.createLink(new LinkSpec.Veth("ltk-u0", "ltk-u1", b, 0));
        r.setLink("ltk-u0", LinkSettings.create().up(true));
        int u0 = r.linkIndex("ltk-u0");
        r.addAddress(AddressEntry.of(u0, IpAddress.parse("192.168.77.1"), 24));
        LinkInfo mv = r.createLink(new LinkSpec.Macvlan("ltk-mv0", "ltk-u0", LinkSpec.Macvlan.Mode.BRIDGE, 0));
        assertEquals("macvlan", mv.kind());
        assertEquals(u0, mv.parentIndex());
        String mj = ok("ip", "-n", a.name(), "-j", "-d", "link", "show", "dev", "ltk-mv0");
        assertTrue(mj.contains("\"info_kind\":\"macvlan\"") && mj.contains("\"mode\":\"bridge\""), mj);

        LinkInfo vx = r.createLink(new LinkSpec.Vxlan("ltk-vx0", 4242, IpAddress.parse("192.168.77.1"), "ltk-u0", 0, false, 1450));
        assertEquals("vxlan", vx.kind());
        String vj = ok("ip", "-n", a.name(), "-j", "-d", "link", "show", "dev", "ltk-vx0");
        assertTrue(vj.contains("\"id\":4242") && vj.contains("\"port\":4789") && vj.contains("\"learning\":false"), vj);
        MacAddress zero = MacAddress.parse("00:00:00:00:00:00");
        r.appendFdb(FdbEntry.vxlan(vx.index(), zero, IpAddress.parse("192.168.77.2")));
        r.appendFdb(FdbEntry.vxlan(vx.index(), zero, IpAddress.parse("192.168.77.3")));
        r.replaceFdb(FdbEntry.vxlan(vx.index(), MacAddress.parse("02:00:00:00:00:09"), IpAddress.parse("192.168.77.2")));
        String fdb = ok("bridge", "-n", a.name(), "-j", "fdb", "show", "dev", "ltk-vx0");
        assertTrue(fdb.contains("\"dst\":\"192.168.77.2\"") && fdb.contains("\"dst\":\"192.168.77.3\""), fdb);
        assertTrue(fdb.contains("02:00:00:00:00:09"), fdb);
        List<FdbEntry> entries = r.fdb(vx.index());
        assertEquals(3, entries.stream().filter(f -> f.destination() != null).count(), entries.toString());
        assertTrue(r.deleteFdb(FdbEntry.vxlan(vx.index(), zero, IpAddress.parse("192.168.77.3"))));
        assertFalse(ok("bridge", "-n", a.name(), "-j", "fdb", "show", "dev", "ltk-vx0").contains("192.168.77.3"));
    }
}
