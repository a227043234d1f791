package dev.lattice.core.internal.fib;

import dev.lattice.spi.kernel.RouteEntry;
import dev.lattice.spi.kernel.Rtnetlink;
import dev.lattice.spi.net.IpFamily;
import dev.lattice.spi.routing.Route;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes the kernel's routes of one protocol and table equal to a desired set: routes missing or
 * different are replaced, routes of ours that are no longer wanted are deleted, and routes of any
 * other protocol are never touched — a desired route whose destination and metric are held by a
 * foreign route is reported as a conflict, not installed over it.
 */
public final class FibReconciler {
    private static final Logger LOG = System.getLogger(FibReconciler.class.getName());

    private final Rtnetlink rt;
    private final int protocol;
    private final int table;

    /** The outcome of one pass. */
    public record Result(int installed, int removed, int unchanged, List<String> conflicts) {
        public Result {
            conflicts = List.copyOf(conflicts);
        }

        public boolean changed() {
            return installed + removed > 0;
        }
    }

    public FibReconciler(Rtnetlink rt, int protocol, int table) {
        if (protocol < 5 || protocol > 255) {
            throw new IllegalArgumentException("route protocol " + protocol
                    + " is outside 5..255 (0-4 belong to the kernel and to static routes)");
        }
        this.rt = rt;
        this.protocol = protocol;
        this.table = table;
    }

    public int protocol() {
        return protocol;
    }

    /** One reconcile pass. Kernel errors propagate after every route was tried. */
    public Result reconcile(Collection<Route> desired) {
        Map<RouteTranslation.Key, RouteEntry> ours = new LinkedHashMap<>();
        Map<RouteTranslation.Key, RouteEntry> foreign = new LinkedHashMap<>();
        List<RouteEntry> underlay = new ArrayList<>();
        for (IpFamily family : IpFamily.values()) {
            for (RouteEntry e : rt.routes(family, table)) {
                if (e.type() != RouteEntry.TYPE_UNICAST && e.protocol() != protocol) {
                    continue; // local, broadcast, ...: never ours, never in the way
                }
                (e.protocol() == protocol ? ours : foreign).put(RouteTranslation.Key.of(e), e);
            }
            if (table != RouteEntry.TABLE_MAIN) {
                rt.routes(family, RouteEntry.TABLE_MAIN).stream().filter(e -> e.protocol() != protocol)
                        .forEach(underlay::add);
            }
        }
        // Next hops resolve through the main table's routes that are not ours (read above when
        // the main table is ours too).
        NextHopResolver resolver = new NextHopResolver(table == RouteEntry.TABLE_MAIN ? foreign.values() : underlay);
        List<String> conflicts = new ArrayList<>();
        Map<RouteTranslation.Key, RouteEntry> wanted = new LinkedHashMap<>();
        for (Route r : desired) {
            NextHopResolver.Resolution resolved = resolver.resolve(r);
            if (resolved.route().isEmpty()) {
                conflicts.add(resolved.problem());
                continue;
            }
            RouteEntry e = RouteTranslation.toKernel(resolved.route().get(), protocol, table, rt);
            wanted.put(RouteTranslation.Key.of(e), e);
        }
        List<RouteEntry> install = new ArrayList<>();
        int unchanged = 0;
        for (Map.Entry<RouteTranslation.Key, RouteEntry> w : wanted.entrySet()) {
            RouteEntry have = ours.get(w.getKey());
            if (have != null && RouteTranslation.same(w.getValue(), have)) {
                unchanged++;
            } else if (have == null && foreign.containsKey(w.getKey())) {
                RouteEntry f = foreign.get(w.getKey());
                conflicts.add("route to " + w.getKey().destination() + " metric " + w.getKey().metric()
                        + " is held by protocol " + f.protocol() + "; not replacing a route Lattice does not own");
            } else {
                install.add(w.getValue());
            }
        }
        List<RouteEntry> remove = new ArrayList<>();
        for (Map.Entry<RouteTranslation.Key, RouteEntry> o : ours.entrySet()) {
            if (!wanted.containsKey(o.getKey())) {
                remove.add(o.getValue());
            }
        }
        RuntimeException failure = null;
        try {
            if (!install.isEmpty()) {
                rt.replaceRoutes(install);
            }
        } catch (RuntimeException e) {
            failure = e;
        }
        try {
            if (!remove.isEmpty()) {
                rt.deleteRoutes(remove);
            }
        } catch (RuntimeException e) {
            if (failure == null) {
                failure = e;
            } else {
                failure.addSuppressed(e);
            }
        }
        if (failure != null) {
            throw failure;
        }
        if (!install.isEmpty() || !remove.isEmpty()) {
            LOG.log(Level.INFO, "FIB: installed {0}, removed {1}, unchanged {2} routes (protocol {3}, table {4})",
                    install.size(), remove.size(), unchanged, protocol, table);
        }
        return new Result(install.size(), remove.size(), unchanged, conflicts);
    }

    /** Removes every route of our protocol in our table (lattice cleanup, routing: none). */
    public int removeAll() {
        return reconcile(List.of()).removed();
    }
}
