package dev.lattice.kernel.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lattice.spi.kernel.AddressEntry;
import dev.lattice.spi.kernel.Errno;
import dev.lattice.spi.kernel.FdbEntry;
import dev.lattice.spi.kernel.KernelException;
import dev.lattice.spi.kernel.NotFoundException;
import dev.lattice.spi.kernel.RouteEntry;
import dev.lattice.spi.kernel.RouteNextHop;
import dev.lattice.spi.net.IpAddress;
import dev.lattice.spi.net.IpPrefix;
import dev.lattice.spi.net.MacAddress;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Unit tier: message encoding and decoding without a kernel. */
class CodecTest {

    @Test
    void attributesArePaddedAndNestsMeasured() {
        NlBuilder b = new NlBuilder(16);
        b.begin(Nl.RTM_NEWLINK, Nl.NLM_F_REQUEST, 7);
        b.ifinfomsg(0, 0, 0, 0);
        b.attrString(Nl.IFLA_IFNAME, "abc"); // 4 + 4 bytes
        int nest = b.nestStart(Nl.IFLA_LINKINFO);
        b.attrString(Nl.IFLA_INFO_KIND, "veth"); // 4 + 5 -> 12
        b.nestEnd(nest);
        b.attrU8(99 & 0x3f, 1); // grows past the initial capacity too
        b.end();
        ByteBuffer buf = b.buffer();
        assertEquals(b.length(), buf.getInt(0));
        assertEquals(0, b.length() % 4);
        assertEquals(7, buf.getInt(8));
        NlAttrs a = new NlAttrs(buf, 16 + 16, b.length());
        assertEquals("abc", a.string(Nl.IFLA_IFNAME));
        assertEquals("veth", a.nested(Nl.IFLA_LINKINFO).string(Nl.IFLA_INFO_KIND));
        assertEquals(16, a.length(Nl.IFLA_LINKINFO) + 4);
        assertNull(a.string(Nl.IFLA_MTU));
        assertEquals(1500, a.u32(Nl.IFLA_MTU, 1500));
    }

    private static RouteEntry roundTrip(RouteEntry r) {
        NlBuilder b = new NlBuilder(256);
        b.begin(Nl.RTM_NEWROUTE, 0, 1);
        RtCodec.encodeRoute(b, r, false);
        b.end();
        return RtCodec.decodeRoute(b.buffer(), Nl.HDRLEN, b.length());
    }

    @Test
    void routesRoundTrip() {
        RouteEntry r = RouteEntry.to(IpPrefix.parse("10.1.0.0/16")).via(IpAddress.parse("192.168.0.1"), 3)
                .withTable(1000).withMetric(20).withProtocol(44).withOnlink(true);
        RouteEntry d = roundTrip(r);
        assertEquals(r.destination(), d.destination());
        assertEquals(1000, d.table());
        assertEquals(20, d.metric());
        assertEquals(44, d.protocol());
        assertEquals(IpAddress.parse("192.168.0.1"), d.gateway());
        assertEquals(3, d.outputIndex());
        assertTrue(d.onlink());
        assertEquals(RouteEntry.SCOPE_UNIVERSE, d.scope());

        RouteEntry dev = roundTrip(RouteEntry.to(IpPrefix.parse("fd00::/64")).dev(4));
        assertEquals(RouteEntry.SCOPE_LINK, dev.scope(), "a device route gets link scope");
        RouteEntry def = roundTrip(RouteEntry.to(IpPrefix.parse("0.0.0.0/0")).via(IpAddress.parse("10.0.0.1"), 0));
        assertEquals(0, def.destination().length());

        RouteEntry ecmp = roundTrip(RouteEntry.to(IpPrefix.parse("10.2.0.0/16")).withNextHops(List.of(
                RouteNextHop.via(IpAddress.parse("10.0.0.1"), 2), new RouteNextHop(IpAddress.parse("10.0.1.1"), 3, 5, true))));
        assertEquals(2, ecmp.nextHops().size());
        assertEquals(new RouteNextHop(IpAddress.parse("10.0.1.1"), 3, 5, true), ecmp.nextHops().get(1));
        assertNull(ecmp.gateway());
    }

    @Test
    void addressesAndFdbRoundTrip() {
        AddressEntry a = AddressEntry.of(5, IpAddress.parse("fd00::5"), 64);
        NlBuilder b = new NlBuilder(64);
        b.begin(Nl.RTM_NEWADDR, 0, 1);
        RtCodec.encodeAddress(b, a);
        b.end();
        assertEquals(a, RtCodec.decodeAddress(b.buffer(), Nl.HDRLEN, b.length()));

        FdbEntry f = FdbEntry.vxlan(9, MacAddress.parse("00:00:00:00:00:00"), IpAddress.parse("10.0.0.2"));
        b.reset();
        b.begin(Nl.RTM_NEWNEIGH, 0, 1);
        RtCodec.encodeFdb(b, f);
        b.end();
        assertEquals(f, RtCodec.decodeFdb(b.buffer(), Nl.HDRLEN, b.length()));
    }

    @Test
    void valuesRejectNonsense() {
        assertThrows(IllegalArgumentException.class, () -> RtnetlinkImpl.checkName("0123456789abcdef", "link"));
        assertThrows(IllegalArgumentException.class, () -> RtnetlinkImpl.checkName("a:b", "link"));
        assertEquals("eth0", RtnetlinkImpl.checkName("eth0", "link"));
        assertThrows(IllegalArgumentException.class, () -> new RouteNextHop(null, 0, 1, false));
        assertThrows(IllegalArgumentException.class,
                () -> RouteEntry.to(IpPrefix.parse("10.0.0.0/8")).via(IpAddress.parse("fd00::1"), 0));
        KernelException e = KernelException.of("RTM_DELLINK x", Errno.ENODEV, null);
        assertTrue(e instanceof NotFoundException);
        assertEquals("RTM_DELLINK x: ENODEV (19): no such device", e.getMessage());
    }
}
