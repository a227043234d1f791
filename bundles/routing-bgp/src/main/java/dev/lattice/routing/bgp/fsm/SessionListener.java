package dev.lattice.routing.bgp.fsm;

import dev.lattice.routing.bgp.wire.RouteRefresh;
import dev.lattice.routing.bgp.wire.Update;

/** What a session reports to the speaker; always called on the session thread. */
public interface SessionListener {
    void established(Session s, Negotiated n);

    void update(Session s, Update u);

    void routeRefresh(Session s, RouteRefresh rr);

    /**
     * The session left Established.
     *
     * @param graceful the peer may be restarting (RFC 4724): keep its routes as stale
     */
    void down(Session s, boolean graceful, String reason);
}
