package dev.lattice.routing.bgp.plugin;

import dev.lattice.spi.routing.RouteDistributor;
import java.util.Map;

/**
 * The BGP documents of the agent's admin endpoint, read by {@code lattice bgp neighbors} and
 * {@code lattice bgp rib}: {@code /plugins/bgp/neighbors} and {@code /plugins/bgp/rib?peer=ADDR}.
 */
final class BgpAdminResources {
    private BgpAdminResources() {
    }

    /** The BGP plugin of this bundle behind a distributor reference, or a clear error. */
    static BgpRouteDistributor bgp(RouteDistributor d) {
        if (d instanceof BgpRouteDistributor b) {
            return b;
        }
        throw new IllegalStateException("the routing plugin named bgp is not Lattice's BGP plugin");
    }

    static String rib(BgpRouteDistributor bgp, Map<String, String> query) {
        String peer = query.get("peer");
        if (peer != null && !peer.isBlank()) {
            try {
                dev.lattice.spi.net.IpAddress.parse(peer.trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("peer: " + e.getMessage());
            }
        }
        return bgp.ribJson(peer);
    }
}
