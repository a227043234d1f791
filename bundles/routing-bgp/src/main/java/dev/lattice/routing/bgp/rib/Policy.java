package dev.lattice.routing.bgp.rib;

import dev.lattice.routing.bgp.wire.AsPath;
import dev.lattice.routing.bgp.wire.PathAttributes;
import dev.lattice.routing.bgp.wire.Prefix;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * An import or export policy: rules tried in order. A rule whose conditions all hold applies its
 * actions; {@code accept} or {@code reject} ends the evaluation; without either the next rule is
 * tried. When no rule ends it the route is accepted.
 *
 * <p>Text form (configuration key {@code importPolicy} / {@code exportPolicy}): rules separated by
 * {@code ;}, each {@code CONDITIONS => ACTIONS} with actions separated by {@code ,}:
 * <pre>
 *   prefix 10.0.0.0/8 le 24 => local-pref 200, add-community 65000:10, accept;
 *   community 65000:666 => reject;
 *   => prepend 2
 * </pre>
 * Conditions: {@code prefix P [ge N] [le M]} (several form a list: any may match),
 * {@code community A:B}, {@code large-community A:B:C}, {@code as-path-contains AS},
 * {@code peer ADDRESS}. Actions: {@code accept}, {@code reject}, {@code local-pref N}, {@code med N},
 * {@code add-community A:B}, {@code remove-community A:B}, {@code add-large-community A:B:C},
 * {@code prepend N} (our AS, N times; applied on export).
 */
public final class Policy {
    public static final Policy ACCEPT_ALL = new Policy(List.of());

    /** A prefix range: the prefix itself, or lengths ge..le inside it. */
    public record PrefixRange(Prefix prefix, int ge, int le) {
        boolean matches(Prefix p) {
            if (p.isV6() != prefix.isV6() || p.length() < ge || p.length() > le || p.length() < prefix.length()) {
                return false;
            }
            Prefix cut = p.isV6() ? Prefix.v6(p.hi(), p.lo(), prefix.length()) : Prefix.v4(p.v4Address(), prefix.length());
            return cut.equals(prefix);
        }
    }

    /** One rule. */
    public record Rule(List<PrefixRange> prefixes, int[] communities, int[] largeCommunities, long asPathContains,
                       String peer, Boolean verdict, long localPref, long med, int[] addCommunities,
                       int[] removeCommunities, int[] addLarge, int prepend) {
    }

    private final List<Rule> rules;

    public Policy(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    public List<Rule> rules() {
        return rules;
    }

    /**
     * Applies the policy.
     *
     * @param peer    the peer the route comes from (import) or goes to (export), for {@code peer}
     * @param localAs our AS, for {@code prepend}
     * @return the attributes to use, or null if the route is rejected
     */
    public PathAttributes apply(Prefix p, PathAttributes a, String peer, long localAs) {
        if (rules.isEmpty()) {
            return a;
        }
        PathAttributes cur = a;
        for (Rule r : rules) {
            if (!matches(r, p, cur, peer)) {
                continue;
            }
            PathAttributes.Builder b = null;
            if (r.localPref >= 0) {
                b = cur.toBuilder().localPref(r.localPref);
            }
            if (r.med >= 0) {
                b = (b == null ? cur.toBuilder() : b).med(r.med);
            }
            if (r.addCommunities.length > 0 || r.removeCommunities.length > 0) {
                b = b == null ? cur.toBuilder() : b;
                List<Integer> cs = new ArrayList<>();
                for (int c : b.communities()) {
                    cs.add(c);
                }
                for (int c : r.removeCommunities) {
                    cs.remove((Integer) c);
                }
                for (int c : r.addCommunities) {
                    if (!cs.contains(c)) {
                        cs.add(c);
                    }
                }
                b.communities(cs.stream().mapToInt(Integer::intValue).toArray());
            }
            if (r.addLarge.length > 0) {
                b = b == null ? cur.toBuilder() : b;
                int[] old = cur.largeCommunities();
                int[] n = Arrays.copyOf(old, old.length + r.addLarge.length);
                System.arraycopy(r.addLarge, 0, n, old.length, r.addLarge.length);
                b.largeCommunities(n);
            }
            if (r.prepend > 0) {
                b = b == null ? cur.toBuilder() : b;
                b.asPath(b.asPath().prepend(localAs, r.prepend));
            }
            if (b != null) {
                cur = b.build().intern();
            }
            if (r.verdict != null) {
                return r.verdict ? cur : null;
            }
        }
        return cur;
    }

    private static boolean matches(Rule r, Prefix p, PathAttributes a, String peer) {
        if (!r.prefixes.isEmpty() && r.prefixes.stream().noneMatch(x -> x.matches(p))) {
            return false;
        }
        for (int c : r.communities) {
            if (!a.hasCommunity(c)) {
                return false;
            }
        }
        if (r.largeCommunities.length > 0) {
            int[] l = a.largeCommunities();
            outer:
            for (int i = 0; i < r.largeCommunities.length; i += 3) {
                for (int j = 0; j < l.length; j += 3) {
                    if (l[j] == r.largeCommunities[i] && l[j + 1] == r.largeCommunities[i + 1]
                            && l[j + 2] == r.largeCommunities[i + 2]) {
                        continue outer;
                    }
                }
                return false;
            }
        }
        if (r.asPathContains >= 0 && !a.asPath().contains(r.asPathContains)) {
            return false;
        }
        return r.peer == null || r.peer.equals(peer);
    }

    /** Parses the text form; errors name the offending word. */
    public static Policy parse(String text) {
        if (text == null || text.isBlank()) {
            return ACCEPT_ALL;
        }
        List<Rule> rules = new ArrayList<>();
        for (String rs : text.split(";")) {
            if (rs.isBlank()) {
                continue;
            }
            int arrow = rs.indexOf("=>");
            if (arrow < 0) {
                throw new IllegalArgumentException("policy rule without '=>': '" + rs.trim() + "'");
            }
            List<PrefixRange> prefixes = new ArrayList<>();
            List<Integer> comms = new ArrayList<>();
            List<Integer> large = new ArrayList<>();
            long asc = -1;
            String peer = null;
            String[] w = rs.substring(0, arrow).trim().split("\\s+");
            for (int i = 0; i < w.length; i++) {
                switch (w[i].toLowerCase(Locale.ROOT)) {
                    case "" -> {
                    }
                    case "prefix" -> {
                        Prefix p = Prefix.parse(w[++i]);
                        int ge = p.length();
                        int le = p.length();
                        boolean range = false;
                        while (i + 2 < w.length + 1 && i + 1 < w.length
                                && (w[i + 1].equals("ge") || w[i + 1].equals("le"))) {
                            int v = Integer.parseInt(w[i + 2]);
                            if (w[i + 1].equals("ge")) {
                                ge = v;
                                if (!range) {
                                    le = p.isV6() ? 128 : 32;
                                }
                            } else {
                                le = v;
                            }
                            range = true;
                            i += 2;
                        }
                        prefixes.add(new PrefixRange(p, ge, le));
                    }
                    case "community" -> comms.add(community(w[++i]));
                    case "large-community" -> addLarge(large, w[++i]);
                    case "as-path-contains" -> asc = Long.parseLong(w[++i]);
                    case "peer" -> peer = w[++i];
                    default -> throw new IllegalArgumentException("unknown policy condition '" + w[i] + "'");
                }
            }
            Boolean verdict = null;
            long lp = -1;
            long med = -1;
            List<Integer> add = new ArrayList<>();
            List<Integer> rem = new ArrayList<>();
            List<Integer> addLarge = new ArrayList<>();
            int prepend = 0;
            for (String act : rs.substring(arrow + 2).split(",")) {
                String[] a = act.trim().split("\\s+");
                switch (a[0].toLowerCase(Locale.ROOT)) {
                    case "" -> {
                    }
                    case "accept" -> verdict = true;
                    case "reject" -> verdict = false;
                    case "local-pref" -> lp = Long.parseLong(a[1]);
                    case "med" -> med = Long.parseLong(a[1]);
                    case "add-community" -> add.add(community(a[1]));
                    case "remove-community" -> rem.add(community(a[1]));
                    case "add-large-community" -> addLarge(addLarge, a[1]);
                    case "prepend" -> prepend = Integer.parseInt(a[1]);
                    default -> throw new IllegalArgumentException("unknown policy action '" + a[0] + "'");
                }
            }
            rules.add(new Rule(prefixes, ints(comms), ints(large), asc, peer, verdict, lp, med, ints(add), ints(rem),
                    ints(addLarge), prepend));
        }
        return new Policy(rules);
    }

    private static int[] ints(List<Integer> l) {
        return l.stream().mapToInt(Integer::intValue).toArray();
    }

    /** {@code 65000:100} as a 32-bit community. */
    public static int community(String s) {
        String[] p = s.split(":");
        if (p.length != 2) {
            throw new IllegalArgumentException("community must be AS:VALUE, got '" + s + "'");
        }
        int hi = Integer.parseInt(p[0]);
        int lo = Integer.parseInt(p[1]);
        if (hi < 0 || hi > 0xffff || lo < 0 || lo > 0xffff) {
            throw new IllegalArgumentException("community part outside 0..65535 in '" + s + "'");
        }
        return (hi << 16) | lo;
    }

    /** {@code A:B:C} appended as three ints. */
    public static void addLarge(List<Integer> out, String s) {
        String[] p = s.split(":");
        if (p.length != 3) {
            throw new IllegalArgumentException("large community must be A:B:C, got '" + s + "'");
        }
        for (String x : p) {
            out.add((int) Long.parseLong(x));
        }
    }

    /** Unused helper kept for symmetry with AS paths in rules. */
    static AsPath noPath() {
        return AsPath.EMPTY;
    }
}
