package dev.lattice.spi.kernel;

/**
 * A change the kernel announced: a link, address or route appeared, changed or went away.
 * Events are hints for a reconcile loop: they are delivered in kernel order on the
 * subscription's thread, and may be lost on overrun (see {@link Subscription#overrun()}).
 */
public sealed interface NetlinkEvent {
    /** What to subscribe to. */
    enum Kind { LINK, ADDRESS, ROUTE, NEIGHBOUR }

    /** True for a deletion (RTM_DEL*), false for a creation or change (RTM_NEW*). */
    boolean removed();

    Kind kind();

    record LinkEvent(boolean removed, LinkInfo link) implements NetlinkEvent {
        public Kind kind() {
            return Kind.LINK;
        }
    }

    record AddressEvent(boolean removed, AddressEntry address) implements NetlinkEvent {
        public Kind kind() {
            return Kind.ADDRESS;
        }
    }

    record RouteEvent(boolean removed, RouteEntry route) implements NetlinkEvent {
        public Kind kind() {
            return Kind.ROUTE;
        }
    }

    record NeighbourEvent(boolean removed, Neighbour neighbour) implements NetlinkEvent {
        public Kind kind() {
            return Kind.NEIGHBOUR;
        }
    }
}
