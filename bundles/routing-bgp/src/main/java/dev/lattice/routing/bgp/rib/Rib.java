package dev.lattice.routing.bgp.rib;

import dev.lattice.routing.bgp.wire.Family;
import dev.lattice.routing.bgp.wire.Prefix;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Adj-RIB-In per source and the Loc-RIB. The Loc-RIB holds, per prefix, the best path, or an array
 * of equal-cost paths (best first) when multipath applies. Not thread-safe: the speaker's thread
 * owns it.
 */
public final class Rib {
    /** Told about every Loc-RIB change; {@code newBest} is empty when the prefix went away. */
    public interface Listener {
        void bestChanged(Prefix prefix, Path[] oldBest, Path[] newBest);
    }

    private static final Path[] NONE = new Path[0];

    private final Map<PeerInfo, PrefixTable<Path>> adjIn = new LinkedHashMap<>();
    private final PrefixTable<Object> loc;
    private final int maxPaths;
    private Listener listener = (p, o, n) -> {
    };

    public Rib(int maxPaths, int expectedPrefixes) {
        this.maxPaths = Math.max(1, maxPaths);
        this.loc = new PrefixTable<>(expectedPrefixes);
        adjIn.put(PeerInfo.LOCAL, new PrefixTable<>());
    }

    public void setListener(Listener l) {
        listener = l;
    }

    public void addPeer(PeerInfo peer) {
        adjIn.computeIfAbsent(peer, k -> new PrefixTable<>());
    }

    /** Removes a peer and every route it gave. */
    public void removePeer(PeerInfo peer) {
        PrefixTable<Path> t = adjIn.get(peer);
        if (t == null || peer.isLocal()) {
            return;
        }
        clearPeer(peer);
        adjIn.remove(peer);
    }

    /** Withdraws everything a peer gave (session down without graceful restart). */
    public void clearPeer(PeerInfo peer) {
        PrefixTable<Path> t = adjIn.get(peer);
        if (t == null) {
            return;
        }
        List<Prefix> ps = new ArrayList<>(t.size());
        t.forEach((p, v) -> ps.add(p));
        for (Prefix p : ps) {
            withdraw(peer, p);
        }
    }

    /** Removes a peer's stale paths of one family (End-of-RIB or restart timer, RFC 4724). */
    public int sweepStale(PeerInfo peer, Family family) {
        PrefixTable<Path> t = adjIn.get(peer);
        if (t == null) {
            return 0;
        }
        List<Prefix> ps = new ArrayList<>();
        t.forEach((p, path) -> {
            if (path.stale() && (family == null || p.family().equals(family))) {
                ps.add(p);
            }
        });
        for (Prefix p : ps) {
            withdraw(peer, p);
        }
        return ps.size();
    }

    public void announce(PeerInfo source, Prefix p, Path path) {
        PrefixTable<Path> t = adjIn.get(source);
        if (t == null) {
            throw new IllegalStateException("unknown peer " + source);
        }
        Path old = t.put(p, path);
        if (old != path && (old == null || !old.equals(path))) {
            recompute(p);
        }
    }

    public void withdraw(PeerInfo source, Prefix p) {
        PrefixTable<Path> t = adjIn.get(source);
        if (t != null && t.remove(p) != null) {
            recompute(p);
        }
    }

    /** Re-runs the decision for one prefix. */
    public void recompute(Prefix p) {
        Path best = null;
        Path[] multi = null;
        int n = 0;
        for (PrefixTable<Path> t : adjIn.values()) {
            Path c = t.get(p);
            if (c == null) {
                continue;
            }
            if (best == null) {
                best = c;
                continue;
            }
            if (multi == null) {
                multi = new Path[adjIn.size()];
                multi[n++] = best;
            }
            multi[n++] = c;
            if (Decision.ORDER.compare(c, best) < 0) {
                best = c;
            }
        }
        Object now;
        if (best == null) {
            now = null;
        } else if (multi == null || maxPaths == 1) {
            now = best;
        } else {
            Path[] cand = Arrays.copyOf(multi, n);
            Arrays.sort(cand, Decision.ORDER);
            List<Path> eq = new ArrayList<>();
            for (Path c : cand) {
                if (eq.size() < maxPaths && Decision.compareForMultipath(c, cand[0]) == 0
                        && eq.stream().noneMatch(x -> x.nextHop().equals(c.nextHop()))) {
                    eq.add(c);
                }
            }
            now = eq.size() == 1 ? eq.get(0) : eq.toArray(NONE);
        }
        Object old = loc.put(p, now);
        if (!sameBest(old, now)) {
            listener.bestChanged(p, asArray(old), asArray(now));
        }
    }

    private static boolean sameBest(Object a, Object b) {
        if (a == b) {
            return true;
        }
        if (a == null || b == null) {
            return false;
        }
        return Arrays.equals(asArray(a), asArray(b));
    }

    static Path[] asArray(Object o) {
        if (o == null) {
            return NONE;
        }
        return o instanceof Path p ? new Path[] {p} : (Path[]) o;
    }

    /** The best path(s) of a prefix, best first; empty if none. */
    public Path[] best(Prefix p) {
        return asArray(loc.get(p));
    }

    public void forEachBest(BiConsumer<Prefix, Path[]> action) {
        loc.forEach((p, o) -> action.accept(p, asArray(o)));
    }

    public int locSize() {
        return loc.size();
    }

    public int adjInSize(PeerInfo peer) {
        PrefixTable<Path> t = adjIn.get(peer);
        return t == null ? 0 : t.size();
    }

    public void forEachAdjIn(PeerInfo peer, BiConsumer<Prefix, Path> action) {
        PrefixTable<Path> t = adjIn.get(peer);
        if (t != null) {
            t.forEach(action);
        }
    }
}
