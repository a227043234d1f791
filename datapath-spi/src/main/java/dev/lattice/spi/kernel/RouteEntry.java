package dev.lattice.spi.kernel;

import dev.lattice.spi.net.IpAddress;
import dev.lattice.spi.net.IpPrefix;
import java.util.List;
import java.util.Objects;

/**
 * A route. Build one with {@link #to(IpPrefix)} and the {@code with}/{@code via} methods:
 *
 * <pre>{@code
 * RouteEntry.to(IpPrefix.parse("10.244.2.0/24")).via(IpAddress.parse("192.168.1.12"), ethIndex)
 *           .withProtocol(RouteEntry.PROTO_LATTICE)
 * RouteEntry.to(prefix).withNextHops(List.of(RouteNextHop.via(gw1, 0), RouteNextHop.via(gw2, 0)))
 * }</pre>
 *
 * @param destination     the destination prefix (0.0.0.0/0 or ::/0 for a default route)
 * @param table           routing table, {@link #TABLE_MAIN} by default
 * @param protocol        who installed it (RTPROT_*), {@link #PROTO_STATIC} by default; use your own
 *                        number to mark routes you own
 * @param scope           RT_SCOPE_*, or {@link #SCOPE_AUTO}: link for a route with only a device, universe otherwise
 * @param type            RTN_*, {@link #TYPE_UNICAST} by default
 * @param metric          priority (lower wins), 0 for none
 * @param gateway         single-path gateway, or {@code null}
 * @param outputIndex     single-path output interface index, or 0
 * @param onlink          single path: the gateway is on-link even if no address covers it
 * @param preferredSource source address for locally generated traffic, or {@code null}
 * @param nextHops        multipath next hops (empty for a single-path route)
 */
public record RouteEntry(IpPrefix destination, int table, int protocol, int scope, int type, int metric,
                         IpAddress gateway, int outputIndex, boolean onlink, IpAddress preferredSource,
                         List<RouteNextHop> nextHops) {
    public static final int TABLE_MAIN = 254;
    public static final int TABLE_LOCAL = 255;
    public static final int PROTO_KERNEL = 2;
    public static final int PROTO_BOOT = 3;
    public static final int PROTO_STATIC = 4;
    /** A protocol number for routes Lattice's core programs (unassigned in rt_protos). */
    public static final int PROTO_LATTICE = 44;
    public static final int SCOPE_AUTO = -1;
    public static final int SCOPE_UNIVERSE = 0;
    public static final int SCOPE_LINK = 253;
    public static final int SCOPE_HOST = 254;
    public static final int TYPE_UNICAST = 1;
    public static final int TYPE_LOCAL = 2;
    public static final int TYPE_BLACKHOLE = 6;
    public static final int TYPE_UNREACHABLE = 7;
    public static final int TYPE_PROHIBIT = 8;

    public RouteEntry {
        Objects.requireNonNull(destination, "destination");
        nextHops = nextHops == null ? List.of() : List.copyOf(nextHops);
        if (table < 0) {
            throw new IllegalArgumentException("table " + table + " is negative");
        }
        if (gateway != null && gateway.family() != destination.family()) {
            throw new IllegalArgumentException("gateway " + gateway + " is not of the family of " + destination);
        }
        if (!nextHops.isEmpty() && (gateway != null || outputIndex != 0)) {
            throw new IllegalArgumentException("a route has either next hops or a single gateway/device, not both");
        }
    }

    /** A unicast route to {@code destination} in the main table, protocol static, no next hop yet. */
    public static RouteEntry to(IpPrefix destination) {
        return new RouteEntry(destination, TABLE_MAIN, PROTO_STATIC, SCOPE_AUTO, TYPE_UNICAST, 0, null, 0,
                false, null, List.of());
    }

    /** Through {@code gateway}, out of {@code outputIndex} (0: the kernel picks). */
    public RouteEntry via(IpAddress gw, int oif) {
        return new RouteEntry(destination, table, protocol, scope, type, metric, gw, oif, onlink, preferredSource, List.of());
    }

    /** Directly out of {@code outputIndex}, no gateway. */
    public RouteEntry dev(int oif) {
        return new RouteEntry(destination, table, protocol, scope, type, metric, null, oif, onlink, preferredSource, List.of());
    }

    public RouteEntry withNextHops(List<RouteNextHop> hops) {
        return new RouteEntry(destination, table, protocol, scope, type, metric, null, 0, false, preferredSource, hops);
    }

    public RouteEntry withTable(int value) {
        return new RouteEntry(destination, value, protocol, scope, type, metric, gateway, outputIndex, onlink, preferredSource, nextHops);
    }

    public RouteEntry withProtocol(int value) {
        return new RouteEntry(destination, table, value, scope, type, metric, gateway, outputIndex, onlink, preferredSource, nextHops);
    }

    public RouteEntry withScope(int value) {
        return new RouteEntry(destination, table, protocol, value, type, metric, gateway, outputIndex, onlink, preferredSource, nextHops);
    }

    public RouteEntry withType(int value) {
        return new RouteEntry(destination, table, protocol, scope, value, metric, gateway, outputIndex, onlink, preferredSource, nextHops);
    }

    public RouteEntry withMetric(int value) {
        return new RouteEntry(destination, table, protocol, scope, type, value, gateway, outputIndex, onlink, preferredSource, nextHops);
    }

    public RouteEntry withOnlink(boolean value) {
        return new RouteEntry(destination, table, protocol, scope, type, metric, gateway, outputIndex, value, preferredSource, nextHops);
    }

    public RouteEntry withPreferredSource(IpAddress value) {
        return new RouteEntry(destination, table, protocol, scope, type, metric, gateway, outputIndex, onlink, value, nextHops);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder().append(destination);
        if (gateway != null) sb.append(" via ").append(gateway);
        if (outputIndex != 0) sb.append(" dev #").append(outputIndex);
        for (RouteNextHop h : nextHops) {
            sb.append(" nexthop");
            if (h.gateway() != null) sb.append(" via ").append(h.gateway());
            if (h.outputIndex() != 0) sb.append(" dev #").append(h.outputIndex());
            if (h.weight() != 1) sb.append(" weight ").append(h.weight());
        }
        if (table != TABLE_MAIN) sb.append(" table ").append(table);
        if (metric != 0) sb.append(" metric ").append(metric);
        sb.append(" proto ").append(protocol);
        if (onlink) sb.append(" onlink");
        if (type != TYPE_UNICAST) sb.append(" type ").append(type);
        return sb.toString();
    }
}
