package dev.lattice.kernel.netlink;

import dev.lattice.spi.kernel.AddressEntry;
import dev.lattice.spi.kernel.FdbEntry;
import dev.lattice.spi.kernel.LinkInfo;
import dev.lattice.spi.kernel.Neighbour;
import dev.lattice.spi.kernel.NeighbourState;
import dev.lattice.spi.kernel.RouteEntry;
import dev.lattice.spi.kernel.RouteNextHop;
import dev.lattice.spi.net.IpAddress;
import dev.lattice.spi.net.IpFamily;
import dev.lattice.spi.net.IpPrefix;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Encoding and decoding of rtnetlink payloads (ifinfomsg, ifaddrmsg, rtmsg, ndmsg). */
public final class RtCodec {
    private RtCodec() {
    }

    public static int family(IpFamily f) {
        return f == null ? Nl.AF_UNSPEC : f == IpFamily.IPV4 ? Nl.AF_INET : Nl.AF_INET6;
    }

    // ---- links ----

    public static LinkInfo decodeLink(ByteBuffer b, int payload, int end) {
        int index = b.getInt(payload + 4);
        int flags = b.getInt(payload + 8);
        NlAttrs a = new NlAttrs(b, payload + 16, end);
        String kind = null;
        Boolean hairpin = null;
        Boolean learning = null;
        NlAttrs info = a.nested(Nl.IFLA_LINKINFO);
        if (info != null) {
            kind = info.string(Nl.IFLA_INFO_KIND);
            if ("bridge".equals(info.string(Nl.IFLA_INFO_SLAVE_KIND))) {
                NlAttrs port = info.nested(Nl.IFLA_INFO_SLAVE_DATA);
                if (port != null) {
                    hairpin = port.u8(Nl.IFLA_BRPORT_MODE, 0) != 0;
                    learning = port.u8(Nl.IFLA_BRPORT_LEARNING, 0) != 0;
                }
            }
        }
        String alias = a.string(Nl.IFLA_IFALIAS);
        return new LinkInfo(index, a.string(Nl.IFLA_IFNAME), kind, a.u32(Nl.IFLA_MTU, 0), a.mac(Nl.IFLA_ADDRESS),
                (flags & Nl.IFF_UP) != 0, (flags & (Nl.IFF_RUNNING | Nl.IFF_LOWER_UP)) == (Nl.IFF_RUNNING | Nl.IFF_LOWER_UP),
                a.u32(Nl.IFLA_MASTER, 0), a.u32(Nl.IFLA_LINK, 0), alias == null || alias.isEmpty() ? null : alias,
                hairpin, learning);
    }

    // ---- addresses ----

    public static void encodeAddress(NlBuilder b, AddressEntry e) {
        boolean v4 = e.address().isIpv4();
        b.u8(v4 ? Nl.AF_INET : Nl.AF_INET6).u8(e.prefixLength()).u8(e.flags() & 0xff).u8(e.scope()).u32(e.ifindex());
        byte[] addr = e.address().bytes();
        b.attr(Nl.IFA_LOCAL, addr);
        b.attr(Nl.IFA_ADDRESS, addr);
        if (e.flags() != 0) {
            b.attrU32(Nl.IFA_FLAGS, e.flags());
        }
    }

    public static AddressEntry decodeAddress(ByteBuffer b, int payload, int end) {
        int plen = b.get(payload + 1) & 0xff;
        int flags = b.get(payload + 2) & 0xff;
        int scope = b.get(payload + 3) & 0xff;
        int index = b.getInt(payload + 4);
        NlAttrs a = new NlAttrs(b, payload + 8, end);
        IpAddress ip = a.has(Nl.IFA_LOCAL) ? a.ip(Nl.IFA_LOCAL) : a.ip(Nl.IFA_ADDRESS);
        flags = a.u32(Nl.IFA_FLAGS, flags);
        if (ip == null || index <= 0) {
            return null;
        }
        return new AddressEntry(index, ip, plen, scope, flags);
    }

    // ---- routes ----

    /** rtmsg and attributes of a route; {@code delete} leaves scope open (RT_SCOPE_NOWHERE). */
    public static void encodeRoute(NlBuilder b, RouteEntry r, boolean delete) {
        IpPrefix dst = r.destination();
        boolean v4 = dst.family() == IpFamily.IPV4;
        int scope = r.scope();
        if (delete) {
            scope = Nl.RT_SCOPE_NOWHERE;
        } else if (scope == RouteEntry.SCOPE_AUTO) {
            if (r.type() == RouteEntry.TYPE_LOCAL) {
                scope = RouteEntry.SCOPE_HOST;
            } else if (r.type() == RouteEntry.TYPE_UNICAST && r.gateway() == null && r.nextHops().isEmpty()) {
                scope = RouteEntry.SCOPE_LINK;
            } else {
                scope = RouteEntry.SCOPE_UNIVERSE;
            }
        }
        int table = r.table();
        b.u8(v4 ? Nl.AF_INET : Nl.AF_INET6).u8(dst.length()).u8(0).u8(0)
                .u8(table < 256 ? table : 252).u8(r.protocol()).u8(scope).u8(r.type())
                .u32(r.onlink() ? Nl.RTNH_F_ONLINK : 0);
        if (dst.length() > 0) {
            b.attr(Nl.RTA_DST, dst.network().bytes());
        }
        b.attrU32(Nl.RTA_TABLE, table);
        if (r.metric() != 0) {
            b.attrU32(Nl.RTA_PRIORITY, r.metric());
        }
        if (r.gateway() != null) {
            b.attr(Nl.RTA_GATEWAY, r.gateway().bytes());
        }
        if (r.outputIndex() != 0) {
            b.attrU32(Nl.RTA_OIF, r.outputIndex());
        }
        if (r.preferredSource() != null) {
            b.attr(Nl.RTA_PREFSRC, r.preferredSource().bytes());
        }
        if (!r.nextHops().isEmpty()) {
            int mp = b.nestStart(Nl.RTA_MULTIPATH);
            for (RouteNextHop h : r.nextHops()) {
                ByteBuffer buf = b.buffer();
                int start = buf.position();
                b.u16(0).u8(h.onlink() ? Nl.RTNH_F_ONLINK : 0).u8(h.weight() - 1).u32(h.outputIndex());
                if (h.gateway() != null) {
                    b.attr(Nl.RTA_GATEWAY, h.gateway().bytes());
                }
                b.buffer().putShort(start, (short) (b.buffer().position() - start));
            }
            b.nestEnd(mp);
        }
    }

    /** The route of an RTM_NEWROUTE, or null for families other than IPv4/IPv6 and for cache entries. */
    public static RouteEntry decodeRoute(ByteBuffer b, int payload, int end) {
        int family = b.get(payload) & 0xff;
        if (family != Nl.AF_INET && family != Nl.AF_INET6) {
            return null;
        }
        int dstLen = b.get(payload + 1) & 0xff;
        int table = b.get(payload + 4) & 0xff;
        int protocol = b.get(payload + 5) & 0xff;
        int scope = b.get(payload + 6) & 0xff;
        int type = b.get(payload + 7) & 0xff;
        int flags = b.getInt(payload + 8);
        if ((flags & Nl.RTM_F_CLONED) != 0) {
            return null;
        }
        NlAttrs a = new NlAttrs(b, payload + 12, end);
        IpAddress dst = a.ip(Nl.RTA_DST);
        if (dst == null) {
            dst = IpAddress.ofBytes(new byte[family == Nl.AF_INET ? 4 : 16]);
        }
        table = a.u32(Nl.RTA_TABLE, table);
        List<RouteNextHop> hops = new ArrayList<>();
        if (a.has(Nl.RTA_MULTIPATH)) {
            int p = a.offset(Nl.RTA_MULTIPATH);
            int mpEnd = p + a.length(Nl.RTA_MULTIPATH);
            while (p + 8 <= mpEnd) {
                int len = b.getShort(p) & 0xffff;
                if (len < 8 || p + len > mpEnd) {
                    break;
                }
                int hflags = b.get(p + 2) & 0xff;
                int hops1 = b.get(p + 3) & 0xff;
                int oif = b.getInt(p + 4);
                NlAttrs ha = new NlAttrs(b, p + 8, p + len);
                hops.add(new RouteNextHop(ha.ip(Nl.RTA_GATEWAY), oif, hops1 + 1, (hflags & Nl.RTNH_F_ONLINK) != 0));
                p += Nl.align(len);
            }
        }
        IpAddress gw = hops.isEmpty() ? a.ip(Nl.RTA_GATEWAY) : null;
        int oif = hops.isEmpty() ? a.u32(Nl.RTA_OIF, 0) : 0;
        return new RouteEntry(IpPrefix.containing(dst, dstLen), table, protocol, scope, type,
                a.u32(Nl.RTA_PRIORITY, 0), gw, oif, (flags & Nl.RTNH_F_ONLINK) != 0, a.ip(Nl.RTA_PREFSRC), hops);
    }

    // ---- neighbours and fdb ----

    public static void encodeNeighbour(NlBuilder b, Neighbour n) {
        b.u8(n.address().isIpv4() ? Nl.AF_INET : Nl.AF_INET6).u8(0).u16(0).u32(n.ifindex())
                .u16(n.state().value()).u8(0).u8(0);
        b.attr(Nl.NDA_DST, n.address().bytes());
        if (n.mac() != null) {
            b.attr(Nl.NDA_LLADDR, n.mac().bytes());
        }
    }

    public static Neighbour decodeNeighbour(ByteBuffer b, int payload, int end) {
        int family = b.get(payload) & 0xff;
        if (family != Nl.AF_INET && family != Nl.AF_INET6) {
            return null;
        }
        int index = b.getInt(payload + 4);
        int state = b.getShort(payload + 8) & 0xffff;
        NlAttrs a = new NlAttrs(b, payload + 12, end);
        IpAddress dst = a.ip(Nl.NDA_DST);
        return dst == null ? null : new Neighbour(index, dst, a.mac(Nl.NDA_LLADDR), NeighbourState.of(state));
    }

    public static void encodeFdb(NlBuilder b, FdbEntry e) {
        b.u8(Nl.AF_BRIDGE).u8(0).u16(0).u32(e.ifindex()).u16(e.state().value())
                .u8(e.self() ? Nl.NTF_SELF : Nl.NTF_MASTER).u8(0);
        b.attr(Nl.NDA_LLADDR, e.mac().bytes());
        if (e.destination() != null) {
            b.attr(Nl.NDA_DST, e.destination().bytes());
        }
        if (e.vlan() != 0) {
            b.attrU16(Nl.NDA_VLAN, e.vlan());
        }
    }

    public static FdbEntry decodeFdb(ByteBuffer b, int payload, int end) {
        if ((b.get(payload) & 0xff) != Nl.AF_BRIDGE) {
            return null;
        }
        int index = b.getInt(payload + 4);
        int state = b.getShort(payload + 8) & 0xffff;
        int flags = b.get(payload + 10) & 0xff;
        NlAttrs a = new NlAttrs(b, payload + 12, end);
        if (a.mac(Nl.NDA_LLADDR) == null) {
            return null;
        }
        return new FdbEntry(index, a.mac(Nl.NDA_LLADDR), a.ip(Nl.NDA_DST), a.u16(Nl.NDA_VLAN, 0),
                (flags & Nl.NTF_SELF) != 0, NeighbourState.of(state));
    }
}
