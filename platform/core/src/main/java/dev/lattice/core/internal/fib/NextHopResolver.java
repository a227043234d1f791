package dev.lattice.core.internal.fib;

import dev.lattice.spi.kernel.RouteEntry;
import dev.lattice.spi.kernel.RouteNextHop;
import dev.lattice.spi.net.IpAddress;
import dev.lattice.spi.routing.NextHop;
import dev.lattice.spi.routing.Route;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Recursive next-hop resolution, as routers do for iBGP routes: a distributor may report a next
 * hop that is not on any of this node's subnets (a BGP peer in another rack, reached through the
 * top-of-rack router). The kernel refuses such a gateway, so the next hop is replaced by the
 * gateway of the node's own route to it (longest match, lowest metric). Only routes Lattice does
 * not own take part, so a pod CIDR can never resolve through another pod CIDR.
 *
 * <p>Next hops with a device or marked on-link are the distributor's explicit choice and stay as
 * they are; so does a gateway covered by a directly connected route.
 */
final class NextHopResolver {
    private final List<RouteEntry> underlay;

    /** {@code underlay}: the table's routes of other protocols (connected, static, DHCP...). */
    NextHopResolver(Collection<RouteEntry> underlay) {
        this.underlay = underlay.stream().filter(r -> r.type() == RouteEntry.TYPE_UNICAST).toList();
    }

    /** A route with resolved next hops, or the reason it cannot be installed. */
    record Resolution(Optional<Route> route, String problem) {
    }

    Resolution resolve(Route route) {
        Map<String, NextHop> hops = new LinkedHashMap<>(); // merged: two peers behind one router are one hop
        List<String> unreachable = new ArrayList<>();
        for (NextHop h : route.nextHops()) {
            if (h.gateway() == null || h.onLink() || !h.device().isEmpty()) {
                hops.putIfAbsent(key(h), h);
                continue;
            }
            Optional<RouteEntry> via = longestMatch(h.gateway());
            if (via.isEmpty()) {
                unreachable.add(h.gateway().toString());
            } else if (via.get().gateway() == null && via.get().nextHops().isEmpty()) {
                hops.putIfAbsent(key(h), h); // directly connected: the kernel takes it as it is
            } else if (via.get().nextHops().isEmpty()) {
                NextHop r = new NextHop(via.get().gateway(), "", false, h.weight());
                hops.putIfAbsent(key(r), r);
            } else {
                for (RouteNextHop m : via.get().nextHops()) {
                    if (m.gateway() != null) {
                        NextHop r = new NextHop(m.gateway(), "", false, h.weight());
                        hops.putIfAbsent(key(r), r);
                    }
                }
            }
        }
        if (hops.isEmpty()) {
            return new Resolution(Optional.empty(), "route to " + route.destination() + " not installed: next hop "
                    + String.join(", ", unreachable) + " is unreachable (no route on this node covers it)");
        }
        return new Resolution(Optional.of(new Route(route.destination(), List.copyOf(hops.values()), route.metric())),
                "");
    }

    private Optional<RouteEntry> longestMatch(IpAddress address) {
        RouteEntry best = null;
        for (RouteEntry r : underlay) {
            if (r.destination().family() != address.family() || !r.destination().contains(address)) {
                continue;
            }
            if (best == null || r.destination().length() > best.destination().length()
                    || (r.destination().length() == best.destination().length() && r.metric() < best.metric())) {
                best = r;
            }
        }
        return Optional.ofNullable(best);
    }

    private static String key(NextHop h) {
        return h.gateway() + "%" + h.device();
    }
}
