package dev.lattice.routing.bgp.wire;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What a list of capabilities means. Malformed known capabilities are ignored (RFC 5492). */
public final class Capabilities {
    private final Set<Family> families = new LinkedHashSet<>();
    private long as4 = -1;
    private boolean routeRefresh;
    private boolean enhancedRouteRefresh;
    private boolean gracefulRestart;
    private boolean restartBit;
    private int restartTime;
    private final Map<Family, Boolean> grFamilies = new LinkedHashMap<>();

    public static Capabilities of(List<Capability> caps) {
        Capabilities c = new Capabilities();
        for (Capability cap : caps) {
            byte[] v = cap.value();
            switch (cap.code()) {
                case Capability.MULTIPROTOCOL -> {
                    if (v.length == 4) {
                        c.families.add(Family.of(((v[0] & 0xff) << 8) | (v[1] & 0xff), v[3] & 0xff));
                    }
                }
                case Capability.ROUTE_REFRESH, Capability.ROUTE_REFRESH_CISCO -> c.routeRefresh = v.length == 0 || c.routeRefresh;
                case Capability.ENHANCED_ROUTE_REFRESH -> c.enhancedRouteRefresh = true;
                case Capability.FOUR_OCTET_AS -> {
                    if (v.length == 4) {
                        c.as4 = (((v[0] & 0xffL) << 24) | ((v[1] & 0xff) << 16) | ((v[2] & 0xff) << 8) | (v[3] & 0xff));
                    }
                }
                case Capability.GRACEFUL_RESTART -> {
                    if (v.length >= 2 && (v.length - 2) % 4 == 0) {
                        c.gracefulRestart = true;
                        c.restartBit = (v[0] & 0x80) != 0;
                        c.restartTime = ((v[0] & 0x0f) << 8) | (v[1] & 0xff);
                        for (int i = 2; i < v.length; i += 4) {
                            Family f = Family.of(((v[i] & 0xff) << 8) | (v[i + 1] & 0xff), v[i + 2] & 0xff);
                            c.grFamilies.put(f, (v[i + 3] & 0x80) != 0);
                        }
                    }
                }
                default -> {
                }
            }
        }
        return c;
    }

    /** Families from multiprotocol capabilities; IPv4 unicast alone when there are none (RFC 4760). */
    public Set<Family> families() {
        if (families.isEmpty()) {
            return Set.of(Family.IPV4_UNICAST);
        }
        return Collections.unmodifiableSet(families);
    }

    public boolean announcesMultiprotocol() {
        return !families.isEmpty();
    }

    /** The 4-octet AS, or -1 when the capability is absent. */
    public long as4() {
        return as4;
    }

    public boolean routeRefresh() {
        return routeRefresh || enhancedRouteRefresh;
    }

    public boolean enhancedRouteRefresh() {
        return enhancedRouteRefresh;
    }

    public boolean gracefulRestart() {
        return gracefulRestart;
    }

    public boolean restartBit() {
        return restartBit;
    }

    public int restartTime() {
        return restartTime;
    }

    /** Per family: whether the peer preserved forwarding state (F bit). */
    public Map<Family, Boolean> gracefulRestartFamilies() {
        return Collections.unmodifiableMap(grFamilies);
    }
}
