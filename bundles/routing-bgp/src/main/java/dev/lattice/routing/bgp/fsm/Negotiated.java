package dev.lattice.routing.bgp.fsm;

import dev.lattice.routing.bgp.wire.Capabilities;
import dev.lattice.routing.bgp.wire.DecodeContext;
import dev.lattice.routing.bgp.wire.Family;
import dev.lattice.routing.bgp.wire.Open;
import java.util.Set;

/**
 * What both sides agreed in their OPENs.
 *
 * @param peerOpen      the peer's OPEN
 * @param peerAs        its AS (from the 4-octet capability when present)
 * @param as4           both announced 4-octet AS support
 * @param families      families both announced
 * @param routeRefresh  the peer accepts ROUTE-REFRESH
 * @param holdTime      negotiated hold time in seconds (0: no keepalives)
 * @param peerCaps      the peer's capabilities (graceful restart details)
 */
public record Negotiated(Open peerOpen, long peerAs, boolean as4, Set<Family> families, boolean routeRefresh,
                         int holdTime, Capabilities peerCaps, boolean ibgp) {
    public DecodeContext context() {
        return new DecodeContext(as4, ibgp);
    }

    public int peerBgpId() {
        return peerOpen.bgpId();
    }
}
