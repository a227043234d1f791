package dev.lattice.routing.bgp.wire;

/** A BGP message (RFC 4271 section 4). */
public sealed interface Message permits Open, Update, Notification, Keepalive, RouteRefresh {
    int OPEN = 1;
    int UPDATE = 2;
    int NOTIFICATION = 3;
    int KEEPALIVE = 4;
    int ROUTE_REFRESH = 5;

    int type();
}
