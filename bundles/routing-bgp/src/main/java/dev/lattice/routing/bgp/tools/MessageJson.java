package dev.lattice.routing.bgp.tools;

import dev.lattice.routing.bgp.wire.AsPath;
import dev.lattice.routing.bgp.wire.AttributeError;
import dev.lattice.routing.bgp.wire.BgpError;
import dev.lattice.routing.bgp.wire.Capabilities;
import dev.lattice.routing.bgp.wire.Capability;
import dev.lattice.routing.bgp.wire.Family;
import dev.lattice.routing.bgp.wire.Keepalive;
import dev.lattice.routing.bgp.wire.Message;
import dev.lattice.routing.bgp.wire.MessageCodec;
import dev.lattice.routing.bgp.wire.MpReach;
import dev.lattice.routing.bgp.wire.Notification;
import dev.lattice.routing.bgp.wire.Open;
import dev.lattice.routing.bgp.wire.PathAttributes;
import dev.lattice.routing.bgp.wire.Prefix;
import dev.lattice.routing.bgp.wire.RawAttribute;
import dev.lattice.routing.bgp.wire.RouteRefresh;
import dev.lattice.routing.bgp.wire.Update;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** BGP messages and errors as JSON-ready maps (the format of {@code lattice bgp decode}). */
public final class MessageJson {
    private MessageJson() {
    }

    public static Map<String, Object> of(Message m) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (m instanceof Open o) {
            out.put("type", "open");
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("version", o.version());
            j.put("asn", o.effectiveAs());
            j.put("hold-time", o.holdTime());
            j.put("router-id", PathAttributes.ipv4(o.bgpId()));
            List<Object> caps = new ArrayList<>();
            for (Capability c : o.capabilities()) {
                Map<String, Object> cj = new LinkedHashMap<>();
                cj.put("code", c.code());
                cj.put("name", c.name());
                Capabilities one = Capabilities.of(List.of(c));
                switch (c.code()) {
                    case Capability.MULTIPROTOCOL -> {
                        if (one.announcesMultiprotocol()) {
                            cj.put("family", one.families().iterator().next().name());
                        }
                    }
                    case Capability.FOUR_OCTET_AS -> cj.put("asn", one.as4());
                    case Capability.GRACEFUL_RESTART -> {
                        cj.put("restart-state", one.restartBit());
                        cj.put("restart-time", one.restartTime());
                        Map<String, Object> f = new LinkedHashMap<>();
                        one.gracefulRestartFamilies().forEach((k, v) -> f.put(k.name(), v ? "forwarding" : "not-preserved"));
                        cj.put("families", f);
                    }
                    default -> {
                        if (c.value().length > 0) {
                            cj.put("value", MessageCodec.toHex(c.value()));
                        }
                    }
                }
                caps.add(cj);
            }
            j.put("capabilities", caps);
            out.put("open", j);
        } else if (m instanceof Update u) {
            out.put("type", "update");
            out.put("update", update(u));
        } else if (m instanceof Notification n) {
            out.put("type", "notification");
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("code", n.code());
            j.put("subcode", n.subcode());
            j.put("name", n.describe());
            if (n.data().length > 0) {
                j.put("data", MessageCodec.toHex(n.data()));
            }
            if (n.shutdownCommunication() != null) {
                j.put("shutdown-communication", n.shutdownCommunication());
            }
            out.put("notification", j);
        } else if (m instanceof Keepalive) {
            out.put("type", "keepalive");
        } else if (m instanceof RouteRefresh r) {
            out.put("type", "route-refresh");
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("family", r.family().name());
            j.put("subtype", switch (r.subtype()) {
                case 0 -> "normal";
                case 1 -> "begin";
                case 2 -> "end";
                default -> String.valueOf(r.subtype());
            });
            out.put("route-refresh", j);
        }
        return out;
    }

    static Map<String, Object> update(Update u) {
        Map<String, Object> j = new LinkedHashMap<>();
        Family eor = u.endOfRibFamily();
        if (eor != null) {
            j.put("end-of-rib", eor.name());
            return j;
        }
        Map<String, Object> withdraw = new LinkedHashMap<>();
        if (!u.withdrawn().isEmpty()) {
            withdraw.put("ipv4 unicast", strings(u.withdrawn()));
        }
        if (u.mpUnreach() != null) {
            withdraw.put(u.mpUnreach().family().name(), u.mpUnreach().family().isUnicastIp()
                    ? strings(u.mpUnreach().withdrawn()) : Map.of("raw", MessageCodec.toHex(u.mpUnreach().rawNlri())));
        }
        if (!withdraw.isEmpty()) {
            j.put("withdraw", withdraw);
        }
        PathAttributes a = u.attributes();
        if (!a.equals(PathAttributes.EMPTY)) {
            j.put("attributes", attributes(a));
        }
        Map<String, Object> announce = new LinkedHashMap<>();
        if (!u.nlri().isEmpty()) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("next-hop", a.has(PathAttributes.NEXT_HOP) ? PathAttributes.ipv4(a.nextHop()) : null);
            f.put("nlri", strings(u.nlri()));
            announce.put("ipv4 unicast", f);
        }
        MpReach mp = u.mpReach();
        if (mp != null) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("next-hop", mp.nextHopAddress() != null ? mp.nextHopAddress().toString() : MessageCodec.toHex(mp.nextHop()));
            if (mp.linkLocalNextHop() != null) {
                f.put("link-local-next-hop", mp.linkLocalNextHop().toString());
            }
            if (mp.family().isUnicastIp()) {
                f.put("nlri", strings(mp.nlri()));
            } else {
                f.put("raw", MessageCodec.toHex(mp.rawNlri()));
            }
            announce.put(mp.family().name(), f);
        }
        if (!announce.isEmpty()) {
            j.put(u.treatAsWithdraw() ? "treat-as-withdraw" : "announce", announce);
        }
        if (!u.errors().isEmpty()) {
            List<Object> errs = new ArrayList<>();
            for (AttributeError e : u.errors()) {
                Map<String, Object> ej = new LinkedHashMap<>();
                ej.put("attribute", e.type());
                ej.put("action", e.action() == AttributeError.Action.TREAT_AS_WITHDRAW ? "treat-as-withdraw" : "attribute-discard");
                ej.put("code", BgpError.UPDATE_MESSAGE);
                ej.put("subcode", e.subcode());
                ej.put("name", BgpError.describe(BgpError.UPDATE_MESSAGE, e.subcode()));
                ej.put("reason", e.reason());
                errs.add(ej);
            }
            j.put("rfc7606", errs);
        }
        return j;
    }

    static Map<String, Object> attributes(PathAttributes a) {
        Map<String, Object> j = new LinkedHashMap<>();
        if (a.has(PathAttributes.ORIGIN)) {
            j.put("origin", a.originName());
        }
        if (a.has(PathAttributes.AS_PATH)) {
            List<Object> segs = new ArrayList<>();
            for (AsPath.Segment s : a.asPath().segments()) {
                Map<String, Object> sj = new LinkedHashMap<>();
                sj.put("type", s.typeName());
                List<Object> asns = new ArrayList<>();
                for (long x : s.asns()) {
                    asns.add(x);
                }
                sj.put("asns", asns);
                segs.add(sj);
            }
            j.put("as-path", segs);
        }
        if (a.has(PathAttributes.NEXT_HOP)) {
            j.put("next-hop", PathAttributes.ipv4(a.nextHop()));
        }
        if (a.has(PathAttributes.MED)) {
            j.put("med", a.med());
        }
        if (a.has(PathAttributes.LOCAL_PREF)) {
            j.put("local-pref", a.localPref());
        }
        if (a.has(PathAttributes.ATOMIC_AGGREGATE)) {
            j.put("atomic-aggregate", true);
        }
        if (a.has(PathAttributes.AGGREGATOR)) {
            j.put("aggregator", Map.of("asn", a.aggregatorAs(), "address", PathAttributes.ipv4(a.aggregatorAddress())));
        }
        if (a.has(PathAttributes.COMMUNITIES)) {
            List<Object> l = new ArrayList<>();
            for (int c : a.communities()) {
                l.add(PathAttributes.community(c));
            }
            j.put("communities", l);
        }
        if (a.has(PathAttributes.LARGE_COMMUNITY)) {
            List<Object> l = new ArrayList<>();
            int[] x = a.largeCommunities();
            for (int i = 0; i < x.length; i += 3) {
                l.add(Integer.toUnsignedString(x[i]) + ":" + Integer.toUnsignedString(x[i + 1]) + ":"
                        + Integer.toUnsignedString(x[i + 2]));
            }
            j.put("large-communities", l);
        }
        if (a.has(PathAttributes.ORIGINATOR_ID)) {
            j.put("originator-id", PathAttributes.ipv4(a.originatorId()));
        }
        if (a.has(PathAttributes.CLUSTER_LIST)) {
            List<Object> l = new ArrayList<>();
            for (int c : a.clusterList()) {
                l.add(PathAttributes.ipv4(c));
            }
            j.put("cluster-list", l);
        }
        for (RawAttribute r : a.others()) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("flags", String.format("0x%02x", r.flags()));
            o.put("value", MessageCodec.toHex(r.value()));
            j.put(r.type() == PathAttributes.EXTENDED_COMMUNITIES ? "extended-communities" : "attribute-" + r.type(), o);
        }
        return j;
    }

    static List<Object> strings(List<Prefix> ps) {
        List<Object> l = new ArrayList<>(ps.size());
        for (Prefix p : ps) {
            l.add(p.toString());
        }
        return l;
    }

    /** A malformed message: the NOTIFICATION it earns. */
    public static Map<String, Object> error(BgpError e) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("code", e.code());
        j.put("subcode", e.subcode());
        j.put("name", BgpError.describe(e.code(), e.subcode()));
        j.put("reason", e.getMessage());
        if (e.data().length > 0) {
            j.put("data", MessageCodec.toHex(e.data()));
        }
        return j;
    }
}
