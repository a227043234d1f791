package dev.lattice.kernel.netlink;

import dev.lattice.spi.kernel.GenericNetlink;
import dev.lattice.spi.kernel.NotFoundException;
import dev.lattice.spi.kernel.NlAttribute;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** Generic netlink family lookup through the {@code nlctrl} controller. */
public final class GenericNetlinkImpl implements GenericNetlink {
    private final Supplier<NetlinkSocket> socket;
    private final String where;

    public GenericNetlinkImpl(Supplier<NetlinkSocket> socket, String where) {
        this.socket = socket;
        this.where = where;
    }

    @Override
    public List<GenlMessage> request(GenlFamily family, GenlMessage message, boolean dump) {
        byte[] attrs = NlAttribute.encode(message.attributes());
        int hdr = family.headerSize();
        List<GenlMessage> out = new ArrayList<>();
        String what = family.name() + " command " + message.command() + (dump ? " dump" : "") + " (netns " + where + ")";
        java.util.function.Consumer<NlBuilder> body = b -> {
            b.u8(message.command()).u8(message.version()).u16(0);
            if (hdr > 0) {
                b.bytes(new byte[Nl.align(hdr)]);
            }
            b.bytes(attrs);
        };
        NetlinkSocket.Handler handler = (buf, type, flags, p, end) -> {
            if (type != family.id()) {
                return;
            }
            int cmd = buf.get(p) & 0xff;
            int version = buf.get(p + 1) & 0xff;
            int start = p + 4 + Nl.align(hdr);
            byte[] raw = new byte[Math.max(0, end - start)];
            buf.get(start, raw);
            out.add(new GenlMessage(cmd, version, NlAttribute.parse(raw)));
        };
        if (dump) {
            socket.get().dump(what, family.id(), body, handler, out::clear);
        } else {
            socket.get().request(what, family.id(), 0, body, handler);
        }
        return out;
    }

    @Override
    public Optional<GenlFamily> family(String name) {
        if (name == null || name.isEmpty() || name.length() > 15) {
            throw new IllegalArgumentException("generic netlink family names are 1..15 characters, got '" + name + "'");
        }
        GenlFamily[] found = new GenlFamily[1];
        try {
            socket.get().request("CTRL_CMD_GETFAMILY " + name + " (netns " + where + ")", Nl.GENL_ID_CTRL, 0, b -> {
                b.u8(Nl.CTRL_CMD_GETFAMILY).u8(1).u16(0);
                b.attrString(Nl.CTRL_ATTR_FAMILY_NAME, name);
            }, (buf, type, flags, p, end) -> {
                if (type != Nl.GENL_ID_CTRL) {
                    return;
                }
                NlAttrs a = new NlAttrs(buf, p + 4, end);
                Map<String, Integer> groups = new HashMap<>();
                if (a.has(Nl.CTRL_ATTR_MCAST_GROUPS)) {
                    int q = a.offset(Nl.CTRL_ATTR_MCAST_GROUPS);
                    int qEnd = q + a.length(Nl.CTRL_ATTR_MCAST_GROUPS);
                    while (q + 4 <= qEnd) {
                        int len = buf.getShort(q) & 0xffff;
                        if (len < 4 || q + len > qEnd) {
                            break;
                        }
                        NlAttrs g = new NlAttrs(buf, q + 4, q + len);
                        if (g.has(Nl.CTRL_ATTR_MCAST_GRP_NAME)) {
                            groups.put(g.string(Nl.CTRL_ATTR_MCAST_GRP_NAME), g.u32(Nl.CTRL_ATTR_MCAST_GRP_ID, 0));
                        }
                        q += Nl.align(len);
                    }
                }
                found[0] = new GenlFamily(a.string(Nl.CTRL_ATTR_FAMILY_NAME), a.u16(Nl.CTRL_ATTR_FAMILY_ID, 0),
                        a.u32(Nl.CTRL_ATTR_VERSION, 0), a.u32(Nl.CTRL_ATTR_HDRSIZE, 0),
                        a.u32(Nl.CTRL_ATTR_MAXATTR, 0), groups);
            });
        } catch (NotFoundException e) {
            return Optional.empty();
        }
        return Optional.ofNullable(found[0]);
    }
}
