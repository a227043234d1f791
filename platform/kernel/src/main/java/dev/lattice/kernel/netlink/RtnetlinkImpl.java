package dev.lattice.kernel.netlink;

import dev.lattice.spi.kernel.AddressEntry;
import dev.lattice.spi.kernel.Errno;
import dev.lattice.spi.kernel.FdbEntry;
import dev.lattice.spi.kernel.KernelException;
import dev.lattice.spi.kernel.LinkInfo;
import dev.lattice.spi.kernel.LinkSettings;
import dev.lattice.spi.kernel.LinkSpec;
import dev.lattice.spi.kernel.Neighbour;
import dev.lattice.spi.kernel.NotFoundException;
import dev.lattice.spi.kernel.RouteEntry;
import dev.lattice.spi.kernel.Rtnetlink;
import dev.lattice.spi.net.IpFamily;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** {@link Rtnetlink} over one NETLINK_ROUTE socket. */
public final class RtnetlinkImpl implements Rtnetlink {
    private final Supplier<NetlinkSocket> socket;
    private final String where;

    /**
     * @param socket the namespace's socket (opened lazily inside it)
     * @param where  the namespace's name, for error messages
     */
    public RtnetlinkImpl(Supplier<NetlinkSocket> socket, String where) {
        this.socket = socket;
        this.where = where;
    }

    private NetlinkSocket s() {
        return socket.get();
    }

    private String what(int type, Object subject) {
        return Nl.typeName(type) + " " + subject + " (netns " + where + ")";
    }

    /** Checks an interface name the way the kernel's dev_valid_name does, with a clearer message. */
    public static String checkName(String name, String role) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException(role + " name is empty");
        }
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_IFNAME) {
            throw new IllegalArgumentException(role + " name '" + name + "' is " + bytes
                    + " bytes long; Linux allows at most " + MAX_IFNAME);
        }
        if (name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException(role + " name '" + name + "' is reserved");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == ':' || Character.isWhitespace(c) || c < 0x20) {
                throw new IllegalArgumentException(role + " name '" + name
                        + "' contains '" + (Character.isWhitespace(c) ? "white space" : String.valueOf(c))
                        + "', which Linux does not allow in interface names");
            }
        }
        return name;
    }

    // ---- links ----

    @Override
    public LinkInfo createLink(LinkSpec spec) {
        checkName(spec.name(), "link");
        String what = what(Nl.RTM_NEWLINK, describe(spec));
        int parent = 0;
        int vxlanDev = 0;
        if (spec instanceof LinkSpec.Veth v) {
            checkName(v.peerName(), "veth peer");
        } else if (spec instanceof LinkSpec.Macvlan m) {
            parent = linkIndex(checkName(m.parent(), "macvlan parent"));
        } else if (spec instanceof LinkSpec.Vxlan x && x.device() != null) {
            vxlanDev = linkIndex(checkName(x.device(), "vxlan device"));
        }
        if (spec.mtu() != 0 && (spec.mtu() < 68 || spec.mtu() > 65535)) {
            throw new IllegalArgumentException("MTU " + spec.mtu() + " is outside 68..65535");
        }
        final int parentIndex = parent;
        final int vxlanIndex = vxlanDev;
        try {
            sendNewLink(spec, what, parentIndex, vxlanIndex);
        } catch (KernelException e) {
            if (e.errno() == Errno.EOPNOTSUPP) {
                String kind = kindOf(spec);
                throw new KernelException(what, e.errno(), "this kernel has no '" + kind
                        + "' links: load the module (modprobe " + kind + ") or use a kernel built with it", e);
            }
            throw e;
        }
        return link(spec.name()).orElseThrow(() -> new NotFoundException(what, Errno.ENODEV,
                "created, but gone before it could be read back"));
    }

    @Override
    public LinkInfo createLink(LinkSpec spec, LinkSettings settings) {
        LinkInfo created = createLink(spec);
        try {
            if (settings.namespace() == null) {
                setLink(spec.name(), settings);
                return link(created.index()).orElse(created);
            }
            setLink(spec.name(), settings.withoutNamespace());
            LinkInfo configured = link(created.index()).orElse(created);
            setLink(spec.name(), LinkSettings.create().namespace(settings.namespace()));
            return configured;
        } catch (RuntimeException e) {
            try {
                deleteLink(spec.name());
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    private static String kindOf(LinkSpec spec) {
        if (spec instanceof LinkSpec.Veth) {
            return "veth";
        } else if (spec instanceof LinkSpec.Macvlan) {
            return "macvlan";
        } else if (spec instanceof LinkSpec.Vxlan) {
            return "vxlan";
        }
        return "bridge";
    }

    private void sendNewLink(LinkSpec spec, String what, int parentIndex, int vxlanIndex) {
        s().request(what, Nl.RTM_NEWLINK, Nl.NLM_F_CREATE | Nl.NLM_F_EXCL, b -> {
            b.ifinfomsg(Nl.AF_UNSPEC, 0, 0, 0);
            b.attrString(Nl.IFLA_IFNAME, spec.name());
            if (spec.mtu() != 0) {
                b.attrU32(Nl.IFLA_MTU, spec.mtu());
            }
            if (parentIndex != 0) {
                b.attrU32(Nl.IFLA_LINK, parentIndex);
            }
            int info = b.nestStart(Nl.IFLA_LINKINFO);
            if (spec instanceof LinkSpec.Veth v) {
                    b.attrString(Nl.IFLA_INFO_KIND, "veth");
                    int data = b.nestStart(Nl.IFLA_INFO_DATA);
                    int peer = b.nestStart(Nl.VETH_INFO_PEER);
                    b.ifinfomsg(Nl.AF_UNSPEC, 0, 0, 0);
                    b.attrString(Nl.IFLA_IFNAME, v.peerName());
                    if (v.mtu() != 0) {
                        b.attrU32(Nl.IFLA_MTU, v.mtu());
                    }
                    if (v.peerNamespace() != null) {
                        b.attrU32(Nl.IFLA_NET_NS_FD, v.peerNamespace().fd());
                    }
                    b.nestEnd(peer);
                    b.nestEnd(data);
            } else if (spec instanceof LinkSpec.Bridge) {
                b.attrString(Nl.IFLA_INFO_KIND, "bridge");
            } else if (spec instanceof LinkSpec.Macvlan m) {
                    b.attrString(Nl.IFLA_INFO_KIND, "macvlan");
                    int data = b.nestStart(Nl.IFLA_INFO_DATA);
                    b.attrU32(Nl.IFLA_MACVLAN_MODE, m.mode().value());
                    b.nestEnd(data);
            } else if (spec instanceof LinkSpec.Vxlan x) {
                    b.attrString(Nl.IFLA_INFO_KIND, "vxlan");
                    int data = b.nestStart(Nl.IFLA_INFO_DATA);
                    b.attrU32(Nl.IFLA_VXLAN_ID, x.vni());
                    if (x.local() != null) {
                        b.attr(x.local().isIpv4() ? Nl.IFLA_VXLAN_LOCAL : Nl.IFLA_VXLAN_LOCAL6, x.local().bytes());
                    }
                    if (vxlanIndex != 0) {
                        b.attrU32(Nl.IFLA_VXLAN_LINK, vxlanIndex);
                    }
                    b.attrBe16(Nl.IFLA_VXLAN_PORT, x.port() == 0 ? 4789 : x.port());
                    b.attrU8(Nl.IFLA_VXLAN_LEARNING, x.learning() ? 1 : 0);
                    b.nestEnd(data);
            }
            b.nestEnd(info);
        }, null);
    }

    private static String describe(LinkSpec spec) {
        if (spec instanceof LinkSpec.Veth v) {
            return "veth " + v.name() + "/" + v.peerName()
                    + (v.peerNamespace() == null ? "" : " (peer in netns " + v.peerNamespace().name() + ")");
        } else if (spec instanceof LinkSpec.Macvlan m) {
            return "macvlan " + m.name() + " on " + m.parent();
        } else if (spec instanceof LinkSpec.Vxlan x) {
            return "vxlan " + x.name() + " id " + x.vni();
        }
        return "bridge " + spec.name();
    }

    @Override
    public void setLink(String name, LinkSettings st) {
        checkName(name, "link");
        int index = linkIndex(name);
        int master = 0;
        if (st.master() != null && !st.master().isEmpty()) {
            master = linkIndex(checkName(st.master(), "master"));
        }
        if (st.newName() != null) {
            checkName(st.newName(), "new link");
        }
        final int masterIndex = master;
        boolean basic = st.up() != null || st.mtu() != null || st.mac() != null || st.master() != null
                || st.alias() != null || st.newName() != null;
        if (basic) {
            s().request(what(Nl.RTM_NEWLINK, name + " " + st), Nl.RTM_NEWLINK, 0, b -> {
                int flags = st.up() != null && st.up() ? Nl.IFF_UP : 0;
                b.ifinfomsg(Nl.AF_UNSPEC, index, flags, st.up() != null ? Nl.IFF_UP : 0);
                if (st.mtu() != null) {
                    b.attrU32(Nl.IFLA_MTU, st.mtu());
                }
                if (st.mac() != null) {
                    b.attr(Nl.IFLA_ADDRESS, st.mac().bytes());
                }
                if (st.master() != null) {
                    b.attrU32(Nl.IFLA_MASTER, masterIndex);
                }
                if (st.alias() != null) {
                    b.attr(Nl.IFLA_IFALIAS, st.alias().getBytes(StandardCharsets.UTF_8));
                }
                if (st.newName() != null) {
                    b.attrString(Nl.IFLA_IFNAME, st.newName());
                }
            }, null);
        }
        if (st.hairpin() != null || st.learning() != null) {
            s().request(what(Nl.RTM_SETLINK, "bridge port " + name), Nl.RTM_SETLINK, 0, b -> {
                b.ifinfomsg(Nl.AF_BRIDGE, index, 0, 0);
                int prot = b.nestStart(Nl.IFLA_PROTINFO | Nl.NLA_F_NESTED);
                if (st.hairpin() != null) {
                    b.attrU8(Nl.IFLA_BRPORT_MODE, st.hairpin() ? 1 : 0);
                }
                if (st.learning() != null) {
                    b.attrU8(Nl.IFLA_BRPORT_LEARNING, st.learning() ? 1 : 0);
                }
                b.nestEnd(prot);
            }, null);
        }
        if (st.namespace() != null) {
            int fd = st.namespace().fd();
            s().request(what(Nl.RTM_NEWLINK, name + " netns " + st.namespace().name()), Nl.RTM_NEWLINK, 0, b -> {
                b.ifinfomsg(Nl.AF_UNSPEC, index, 0, 0);
                b.attrU32(Nl.IFLA_NET_NS_FD, fd);
            }, null);
        }
    }

    @Override
    public boolean deleteLink(String name) {
        checkName(name, "link");
        try {
            s().request(what(Nl.RTM_DELLINK, name), Nl.RTM_DELLINK, 0, b -> {
                b.ifinfomsg(Nl.AF_UNSPEC, 0, 0, 0);
                b.attrString(Nl.IFLA_IFNAME, name);
            }, null);
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    @Override
    public Optional<LinkInfo> link(String name) {
        checkName(name, "link");
        return getLink(name, 0);
    }

    @Override
    public Optional<LinkInfo> link(int index) {
        if (index <= 0) {
            throw new IllegalArgumentException("interface index must be positive, got " + index);
        }
        return getLink(null, index);
    }

    private Optional<LinkInfo> getLink(String name, int index) {
        List<LinkInfo> out = new ArrayList<>(1);
        try {
            s().request(what(Nl.RTM_GETLINK, name != null ? name : "#" + index), Nl.RTM_GETLINK, 0, b -> {
                b.ifinfomsg(Nl.AF_UNSPEC, index, 0, 0);
                if (name != null) {
                    b.attrString(Nl.IFLA_IFNAME, name);
                }
            }, (buf, type, flags, p, end) -> {
                if (type == Nl.RTM_NEWLINK) {
                    out.add(RtCodec.decodeLink(buf, p, end));
                }
            });
        } catch (NotFoundException e) {
            return Optional.empty();
        }
        return out.stream().findFirst();
    }

    @Override
    public List<LinkInfo> links() {
        List<LinkInfo> out = new ArrayList<>();
        s().dump(what(Nl.RTM_GETLINK, "dump"), Nl.RTM_GETLINK, b -> b.ifinfomsg(Nl.AF_UNSPEC, 0, 0, 0),
                (buf, type, flags, p, end) -> {
                    if (type == Nl.RTM_NEWLINK) {
                        out.add(RtCodec.decodeLink(buf, p, end));
                    }
                }, out::clear);
        return out;
    }

    // ---- addresses ----

    @Override
    public void addAddress(AddressEntry a) {
        s().request(what(Nl.RTM_NEWADDR, a), Nl.RTM_NEWADDR, Nl.NLM_F_CREATE | Nl.NLM_F_EXCL,
                b -> RtCodec.encodeAddress(b, a), null);
    }

    @Override
    public boolean deleteAddress(AddressEntry a) {
        try {
            s().request(what(Nl.RTM_DELADDR, a), Nl.RTM_DELADDR, 0, b -> RtCodec.encodeAddress(b, a), null);
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    @Override
    public List<AddressEntry> addresses(int ifindex, IpFamily family) {
        List<AddressEntry> out = new ArrayList<>();
        s().dump(what(Nl.RTM_GETADDR, "dump"), Nl.RTM_GETADDR,
                b -> b.u8(RtCodec.family(family)).u8(0).u8(0).u8(0).u32(0),
                (buf, type, flags, p, end) -> {
                    if (type == Nl.RTM_NEWADDR) {
                        AddressEntry a = RtCodec.decodeAddress(buf, p, end);
                        if (a != null && (ifindex == 0 || a.ifindex() == ifindex)
                                && (family == null || a.address().family() == family)) {
                            out.add(a);
                        }
                    }
                }, out::clear);
        return out;
    }

    // ---- routes ----

    @Override
    public void addRoute(RouteEntry r) {
        s().request(what(Nl.RTM_NEWROUTE, r), Nl.RTM_NEWROUTE, Nl.NLM_F_CREATE | Nl.NLM_F_EXCL,
                b -> RtCodec.encodeRoute(b, r, false), null);
    }

    @Override
    public void replaceRoute(RouteEntry r) {
        s().request(what(Nl.RTM_NEWROUTE, r), Nl.RTM_NEWROUTE, Nl.NLM_F_CREATE | Nl.NLM_F_REPLACE,
                b -> RtCodec.encodeRoute(b, r, false), null);
    }

    @Override
    public boolean deleteRoute(RouteEntry r) {
        try {
            s().request(what(Nl.RTM_DELROUTE, r), Nl.RTM_DELROUTE, 0, b -> RtCodec.encodeRoute(b, r, true), null);
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    @Override
    public void replaceRoutes(Collection<RouteEntry> routes) {
        batch(Nl.RTM_NEWROUTE, Nl.NLM_F_CREATE | Nl.NLM_F_REPLACE, routes, false);
    }

    @Override
    public void deleteRoutes(Collection<RouteEntry> routes) {
        batch(Nl.RTM_DELROUTE, 0, routes, true);
    }

    private void batch(int type, int flags, Collection<RouteEntry> routes, boolean delete) {
        List<RouteEntry> list = List.copyOf(routes);
        List<NetlinkSocket.BatchError> errors = s().batch(what(type, list.size() + " routes"), list.size(), (b, i, seq) -> {
            b.begin(type, flags | Nl.NLM_F_REQUEST, seq);
            RtCodec.encodeRoute(b, list.get(i), delete);
            b.end();
        });
        KernelException first = null;
        for (NetlinkSocket.BatchError e : errors) {
            if (delete && (e.errno() == Errno.ESRCH || e.errno() == Errno.ENOENT)) {
                continue;
            }
            KernelException k = KernelException.of(what(type, list.get(e.index())), e.errno(), e.detail());
            if (first == null) {
                first = k;
            } else {
                first.addSuppressed(k);
            }
        }
        if (first != null) {
            throw first;
        }
    }

    @Override
    public List<RouteEntry> routes(IpFamily family, int table) {
        List<RouteEntry> out = new ArrayList<>();
        s().dump(what(Nl.RTM_GETROUTE, "dump"), Nl.RTM_GETROUTE,
                b -> b.u8(RtCodec.family(family)).u8(0).u8(0).u8(0).u8(0).u8(0).u8(0).u8(0).u32(0),
                (buf, type, flags, p, end) -> {
                    if (type == Nl.RTM_NEWROUTE) {
                        RouteEntry r = RtCodec.decodeRoute(buf, p, end);
                        if (r != null && (table == 0 || r.table() == table)
                                && (family == null || r.destination().family() == family)) {
                            out.add(r);
                        }
                    }
                }, out::clear);
        return out;
    }

    // ---- neighbours ----

    @Override
    public void replaceNeighbour(Neighbour n) {
        s().request(what(Nl.RTM_NEWNEIGH, n), Nl.RTM_NEWNEIGH, Nl.NLM_F_CREATE | Nl.NLM_F_REPLACE,
                b -> RtCodec.encodeNeighbour(b, n), null);
    }

    @Override
    public boolean deleteNeighbour(Neighbour n) {
        try {
            s().request(what(Nl.RTM_DELNEIGH, n), Nl.RTM_DELNEIGH, 0, b -> RtCodec.encodeNeighbour(b, n), null);
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    @Override
    public List<Neighbour> neighbours(int ifindex, IpFamily family) {
        List<Neighbour> out = new ArrayList<>();
        for (IpFamily f : family == null ? IpFamily.values() : new IpFamily[] {family}) {
            List<Neighbour> part = new ArrayList<>();
            s().dump(what(Nl.RTM_GETNEIGH, "dump"), Nl.RTM_GETNEIGH,
                    b -> b.u8(RtCodec.family(f)).u8(0).u16(0).u32(0).u16(0).u8(0).u8(0),
                    (buf, type, flags, p, end) -> {
                        if (type == Nl.RTM_NEWNEIGH) {
                            Neighbour n = RtCodec.decodeNeighbour(buf, p, end);
                            if (n != null && (ifindex == 0 || n.ifindex() == ifindex) && n.address().family() == f) {
                                part.add(n);
                            }
                        }
                    }, part::clear);
            out.addAll(part);
        }
        return out;
    }

    // ---- fdb ----

    @Override
    public void appendFdb(FdbEntry e) {
        s().request(what(Nl.RTM_NEWNEIGH, "fdb " + e), Nl.RTM_NEWNEIGH, Nl.NLM_F_CREATE | Nl.NLM_F_APPEND,
                b -> RtCodec.encodeFdb(b, e), null);
    }

    @Override
    public void replaceFdb(FdbEntry e) {
        s().request(what(Nl.RTM_NEWNEIGH, "fdb " + e), Nl.RTM_NEWNEIGH, Nl.NLM_F_CREATE | Nl.NLM_F_REPLACE,
                b -> RtCodec.encodeFdb(b, e), null);
    }

    @Override
    public boolean deleteFdb(FdbEntry e) {
        try {
            s().request(what(Nl.RTM_DELNEIGH, "fdb " + e), Nl.RTM_DELNEIGH, 0, b -> RtCodec.encodeFdb(b, e), null);
            return true;
        } catch (NotFoundException ex) {
            return false;
        }
    }

    @Override
    public List<FdbEntry> fdb(int ifindex) {
        List<FdbEntry> out = new ArrayList<>();
        s().dump(what(Nl.RTM_GETNEIGH, "fdb dump"), Nl.RTM_GETNEIGH,
                b -> b.u8(Nl.AF_BRIDGE).u8(0).u16(0).u32(0).u16(0).u8(0).u8(0),
                (buf, type, flags, p, end) -> {
                    if (type == Nl.RTM_NEWNEIGH) {
                        FdbEntry f = RtCodec.decodeFdb(buf, p, end);
                        if (f != null && (ifindex == 0 || f.ifindex() == ifindex)) {
                            out.add(f);
                        }
                    }
                }, out::clear);
        return out;
    }
}
