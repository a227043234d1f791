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

        /**
         * The same for an IPv4 prefix given as {@link Prefix#v4Key()}, with the entries as the
         * Loc-RIB holds them (see {@link #paths}). Called once per prefix of a full table: a
         * listener that often has nothing to do overrides it to skip making the prefix and arrays.
         */
        default void bestChangedV4(long key, Object oldEntry, Object newEntry) {
            bestChanged(Prefix.fromV4Key(key), paths(oldEntry), paths(newEntry));
        }
    }

    private static final Path[] NONE = new Path[0];

    private final Map<PeerInfo, PrefixTable<Path>> adjIn = new LinkedHashMap<>();
    /** adjIn's tables in its order, for the decision (no iterator per prefix). */
    private PrefixTable<Path>[] tables = tablesOf(adjIn);
    private final PrefixTable<Object> loc;
    private final int maxPaths;
    private Listener listener = (p, o, n) -> {
    };

    public Rib(int maxPaths, int expectedPrefixes) {
        this.maxPaths = Math.max(1, maxPaths);
        this.loc = new PrefixTable<>(expectedPrefixes);
        adjIn.put(PeerInfo.LOCAL, new PrefixTable<>());
        tables = tablesOf(adjIn);
    }

    @SuppressWarnings("unchecked")
    private static PrefixTable<Path>[] tablesOf(Map<PeerInfo, PrefixTable<Path>> adjIn) {
        return adjIn.values().toArray(new PrefixTable[0]);
    }

    public void setListener(Listener l) {
        listener = l;
    }

    public void addPeer(PeerInfo peer) {
        adjIn.computeIfAbsent(peer, k -> new PrefixTable<>());
        tables = tablesOf(adjIn);
    }

    /** Removes a peer and every route it gave. */
    public void removePeer(PeerInfo peer) {
        PrefixTable<Path> t = adjIn.get(peer);
        if (t == null || peer.isLocal()) {
            return;
        }
        clearPeer(peer);
        adjIn.remove(peer);
        tables = tablesOf(adjIn);
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

    /**
     * Announces IPv4 prefixes, given as {@link Prefix#v4Key()}s {@code keys[from..to)}, with one path:
     * what {@link #announce} does for each, without a {@code Prefix} per prefix.
     */
    public void announceV4(PeerInfo source, long[] keys, int from, int to, Path path) {
        PrefixTable<Path> t = adjIn.get(source);
        if (t == null) {
            throw new IllegalStateException("unknown peer " + source);
        }
        for (int i = from; i < to; i++) {
            long k = keys[i];
            Path old = t.putV4(k, path);
            if (old != path && (old == null || !old.equals(path))) {
                recomputeV4(k);
            }
        }
    }

    /** Withdraws IPv4 prefixes given as {@link Prefix#v4Key()}s {@code keys[from..to)}. */
    public void withdrawV4(PeerInfo source, long[] keys, int from, int to) {
        PrefixTable<Path> t = adjIn.get(source);
        if (t == null) {
            return;
        }
        for (int i = from; i < to; i++) {
            if (t.removeV4(keys[i]) != null) {
                recomputeV4(keys[i]);
            }
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
        if (!p.isV6()) {
            recomputeV4(p.v4Key());
            return;
        }
        PrefixTable<Path>[] ts = tables;
        Path[] found = null;
        int n = 0;
        for (PrefixTable<Path> t : ts) {
            Path c = t.get(p);
            if (c != null) {
                if (found == null) {
                    found = new Path[ts.length];
                }
                found[n++] = c;
            }
        }
        Object now = decide(found, n);
        Object old = loc.put(p, now);
        if (!sameBest(old, now)) {
            listener.bestChanged(p, asArray(old), asArray(now));
        }
    }

    private void recomputeV4(long k) {
        PrefixTable<Path>[] ts = tables;
        Path only = null;
        Path[] found = null;
        int n = 0;
        for (PrefixTable<Path> t : ts) {
            Path c = t.getV4(k);
            if (c == null) {
                continue;
            }
            if (n == 0) {
                only = c;
            } else {
                if (found == null) {
                    found = new Path[ts.length];
                    found[0] = only;
                }
                found[n] = c;
            }
            n++;
        }
        // the common case, one candidate, decides without an array
        Object now = n == 1 ? only : decide(found, n);
        Object old = loc.putV4(k, now);
        if (!sameBest(old, now)) {
            listener.bestChangedV4(k, old, now);
        }
    }

    /** The Loc-RIB entry for the candidates {@code found[0..n)}: null, the best path, or equal-cost paths. */
    private Object decide(Path[] found, int n) {
        if (n == 0) {
            return null;
        }
        Path best = found[0];
        for (int i = 1; i < n; i++) {
            if (Decision.ORDER.compare(found[i], best) < 0) {
                best = found[i];
            }
        }
        if (n == 1 || maxPaths == 1) {
            return best;
        }
        Path[] cand = Arrays.copyOf(found, n);
        Arrays.sort(cand, Decision.ORDER);
        List<Path> eq = new ArrayList<>();
        for (Path c : cand) {
            if (eq.size() < maxPaths && Decision.compareForMultipath(c, cand[0]) == 0
                    && eq.stream().noneMatch(x -> x.nextHop().equals(c.nextHop()))) {
                eq.add(c);
            }
        }
        return eq.size() == 1 ? eq.get(0) : eq.toArray(NONE);
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

    /** A Loc-RIB entry (null, a path, or equal-cost paths best first) as an array. */
    public static Path[] paths(Object entry) {
        return asArray(entry);
    }

    /** The best path of a Loc-RIB entry, or null. */
    public static Path first(Object entry) {
        if (entry == null) {
            return null;
        }
        return entry instanceof Path p ? p : ((Path[]) entry)[0];
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
