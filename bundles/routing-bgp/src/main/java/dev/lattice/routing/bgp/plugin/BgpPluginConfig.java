package dev.lattice.routing.bgp.plugin;

import dev.lattice.routing.bgp.rib.Policy;
import dev.lattice.spi.net.IpAddress;
import dev.lattice.spi.routing.overlay.OverlaySettings;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The plugin's settings from ConfigAdmin PID {@code dev.lattice.plugin.bgp} (flat keys; see
 * docs/bgp.md).
 */
public record BgpPluginConfig(long asn, IpAddress routerId, IpAddress listenAddress, int listenPort, int holdTime,
                              int connectRetry, boolean gracefulRestart, int restartTime, int stalePathTime,
                              int maxPaths, boolean fullMesh, String meshPassword, List<ExternalPeer> peers,
                              Policy importPolicy, Policy exportPolicy, boolean nextHopSelf, boolean advertisePodCidrs,
                              int[] communities, int[] largeCommunities, OverlaySettings overlay) {
    public static final long DEFAULT_ASN = 64512;

    /**
     * An external peer.
     *
     * @param multihop TTL for eBGP multihop (0: directly connected, TTL 1)
     */
    public record ExternalPeer(IpAddress address, long asn, String password, int port, int multihop, boolean passive,
                               long localAs, String name, boolean rrClient, boolean transit) {
    }

    public static BgpPluginConfig defaults() {
        return parse(Map.of());
    }

    public static BgpPluginConfig parse(Map<String, ?> p) {
        long asn = asLong(p, "asn", DEFAULT_ASN);
        String rid = str(p, "routerId", "");
        String la = str(p, "listenAddress", "");
        List<ExternalPeer> peers = parsePeers(list(p.get("peers")), asn);
        List<Integer> comms = new ArrayList<>();
        for (String c : list(p.get("communities"))) {
            comms.add(Policy.community(c));
        }
        List<Integer> large = new ArrayList<>();
        for (String c : list(p.get("largeCommunities"))) {
            Policy.addLarge(large, c);
        }
        BgpPluginConfig c = new BgpPluginConfig(asn, rid.isEmpty() ? null : IpAddress.parse(rid),
                la.isEmpty() ? null : IpAddress.parse(la), (int) asLong(p, "listenPort", 179),
                (int) asLong(p, "holdTime", 90), (int) asLong(p, "connectRetry", 30),
                bool(p, "gracefulRestart", true), (int) asLong(p, "restartTime", 120),
                (int) asLong(p, "stalePathTime", 360), (int) asLong(p, "maxPaths", 4), bool(p, "fullMesh", true),
                str(p, "meshPassword", ""), peers, Policy.parse(str(p, "importPolicy", "")),
                Policy.parse(str(p, "exportPolicy", "")), bool(p, "nextHopSelf", false),
                bool(p, "advertisePodCidrs", true), comms.stream().mapToInt(Integer::intValue).toArray(),
                large.stream().mapToInt(Integer::intValue).toArray(), OverlaySettings.parse(p));
        if (c.asn < 1 || c.asn > 0xffffffffL) {
            throw new IllegalArgumentException("asn " + c.asn + " is outside 1..4294967295");
        }
        if (c.holdTime != 0 && c.holdTime < 3) {
            throw new IllegalArgumentException("holdTime must be 0 or at least 3");
        }
        return c;
    }

    /**
     * Peers: entries separated by {@code ;} or new lines (or given as a list), each a set of
     * {@code key=value} words: {@code address=192.0.2.1 asn=65000 password=s3cret port=179
     * multihop=2 passive=false localAs=64512 name=tor1 rrClient=false transit=false}. Without
     * {@code transit=true} (the default for route-reflector clients) a peer is sent only the
     * routes this node originates, as kube-router does with its external peers.
     */
    public static List<ExternalPeer> parsePeers(List<String> entries, long defaultLocalAs) {
        List<ExternalPeer> out = new ArrayList<>();
        for (String e : entries) {
            for (String one : e.split("[;\n]")) {
                if (one.isBlank()) {
                    continue;
                }
                IpAddress addr = null;
                long asn = -1;
                String pw = null;
                int port = 179;
                int hop = 0;
                boolean passive = false;
                long local = defaultLocalAs;
                String name = null;
                boolean rr = false;
                Boolean transit = null;
                for (String kv : one.trim().split("[\\s,]+")) {
                    int eq = kv.indexOf('=');
                    if (eq < 0) {
                        throw new IllegalArgumentException("peer setting without '=': '" + kv + "' in '" + one.trim() + "'");
                    }
                    String k = kv.substring(0, eq).toLowerCase(Locale.ROOT);
                    String v = kv.substring(eq + 1);
                    switch (k) {
                        case "address", "ip" -> addr = IpAddress.parse(v);
                        case "asn", "as" -> asn = Long.parseLong(v);
                        case "password" -> pw = v;
                        case "port" -> port = Integer.parseInt(v);
                        case "multihop" -> hop = Integer.parseInt(v);
                        case "passive" -> passive = Boolean.parseBoolean(v);
                        case "localas" -> local = Long.parseLong(v);
                        case "name" -> name = v;
                        case "rrclient" -> rr = Boolean.parseBoolean(v);
                        case "transit" -> transit = Boolean.parseBoolean(v);
                        default -> throw new IllegalArgumentException("unknown peer setting '" + k + "' in '" + one.trim() + "'");
                    }
                }
                if (addr == null || asn < 1) {
                    throw new IllegalArgumentException("a peer needs address= and asn=: '" + one.trim() + "'");
                }
                out.add(new ExternalPeer(addr, asn, pw, port, hop, passive, local, name, rr,
                        transit != null ? transit : rr));
            }
        }
        return out;
    }

    static List<String> list(Object v) {
        List<String> out = new ArrayList<>();
        if (v == null) {
            return out;
        }
        if (v instanceof String s) {
            if (!s.isBlank()) {
                for (String x : s.split(s.contains(";") || s.contains("\n") || s.contains("=") ? "[;\n]" : "[,\\s]+")) {
                    if (!x.isBlank()) {
                        out.add(x.trim());
                    }
                }
            }
        } else if (v instanceof String[] a) {
            for (String x : a) {
                out.add(x);
            }
        } else if (v instanceof Collection<?> c) {
            for (Object x : c) {
                out.add(String.valueOf(x));
            }
        } else {
            out.add(String.valueOf(v));
        }
        return out;
    }

    static String str(Map<String, ?> p, String k, String def) {
        Object v = p.get(k);
        return v == null ? def : String.valueOf(v).trim();
    }

    static long asLong(Map<String, ?> p, String k, long def) {
        Object v = p.get(k);
        if (v == null || String.valueOf(v).isBlank()) {
            return def;
        }
        if (v instanceof Number n) {
            return n.longValue();
        }
        try {
            return Long.parseLong(String.valueOf(v).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("setting " + k + " must be a number, got '" + v + "'");
        }
    }

    static boolean bool(Map<String, ?> p, String k, boolean def) {
        Object v = p.get(k);
        if (v == null) {
            return def;
        }
        return v instanceof Boolean b ? b : Boolean.parseBoolean(String.valueOf(v).trim());
    }
}
