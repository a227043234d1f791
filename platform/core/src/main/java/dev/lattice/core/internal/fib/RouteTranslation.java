package dev.lattice.core.internal.fib;

import dev.lattice.spi.kernel.RouteEntry;
import dev.lattice.spi.kernel.RouteNextHop;
import dev.lattice.spi.kernel.Rtnetlink;
import dev.lattice.spi.plugin.DataplaneException;
import dev.lattice.spi.routing.NextHop;
import dev.lattice.spi.routing.Route;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Turns a distributor's {@link Route} into the kernel route the FIB programmer installs (our
 * protocol, our table), and decides whether a route already in the kernel is the same one. The
 * comparison looks only at what Lattice specifies: the kernel fills in the output interface of a
 * gateway route by itself, and that must not count as drift.
 */
final class RouteTranslation {
    private RouteTranslation() {
    }

    /** The identity of a kernel route in one table: destination and metric. */
    record Key(dev.lattice.spi.net.IpPrefix destination, int metric) {
        static Key of(RouteEntry r) {
            return new Key(r.destination(), r.metric());
        }
    }

    /** The priority the kernel gives an IPv6 route added without one (IP6_RT_PRIO_USER). */
    static final int IPV6_DEFAULT_METRIC = 1024;

    static RouteEntry toKernel(Route route, int protocol, int table, Rtnetlink rt) {
        // Say explicitly what the kernel would choose, so that what we read back compares equal.
        int metric = route.metric() == 0 && !route.destination().network().isIpv4()
                ? IPV6_DEFAULT_METRIC : route.metric();
        RouteEntry base = RouteEntry.to(route.destination()).withProtocol(protocol).withTable(table)
                .withMetric(metric);
        if (route.nextHops().size() == 1) {
            NextHop h = route.nextHops().get(0);
            int oif = h.device().isEmpty() ? 0 : index(rt, h.device(), route);
            RouteEntry e = h.gateway() == null ? base.dev(oif) : base.via(h.gateway(), oif);
            return e.withOnlink(h.onLink());
        }
        List<RouteNextHop> hops = new ArrayList<>();
        for (NextHop h : route.nextHops()) {
            int oif = h.device().isEmpty() ? 0 : index(rt, h.device(), route);
            hops.add(new RouteNextHop(h.gateway(), oif, h.weight(), h.onLink()));
        }
        return base.withNextHops(hops);
    }

    private static int index(Rtnetlink rt, String device, Route route) {
        return rt.link(device).orElseThrow(() -> new DataplaneException("route to " + route.destination()
                + " needs device '" + device + "', which does not exist on this node")).index();
    }

    /** Whether {@code actual} (read from the kernel) is what {@code wanted} asks for. */
    static boolean same(RouteEntry wanted, RouteEntry actual) {
        if (wanted.type() != actual.type()) {
            return false;
        }
        if (wanted.nextHops().isEmpty() != actual.nextHops().isEmpty()) {
            return false;
        }
        if (wanted.nextHops().isEmpty()) {
            return hopMatches(wanted.gateway(), wanted.outputIndex(), wanted.onlink(), 1,
                    actual.gateway(), actual.outputIndex(), actual.onlink(), 1);
        }
        if (wanted.nextHops().size() != actual.nextHops().size()) {
            return false;
        }
        List<RouteNextHop> left = new ArrayList<>(actual.nextHops());
        outer:
        for (RouteNextHop w : wanted.nextHops()) {
            for (int i = 0; i < left.size(); i++) {
                RouteNextHop a = left.get(i);
                if (hopMatches(w.gateway(), w.outputIndex(), w.onlink(), w.weight(),
                        a.gateway(), a.outputIndex(), a.onlink(), a.weight())) {
                    left.remove(i);
                    continue outer;
                }
            }
            return false;
        }
        return true;
    }

    private static boolean hopMatches(Object wGw, int wOif, boolean wOnlink, int wWeight,
                                      Object aGw, int aOif, boolean aOnlink, int aWeight) {
        return Objects.equals(wGw, aGw)
                && (wOif == 0 || wOif == aOif)
                && (!wOnlink || aOnlink)
                && wWeight == aWeight;
    }
}
