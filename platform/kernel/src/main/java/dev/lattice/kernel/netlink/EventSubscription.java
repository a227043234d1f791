package dev.lattice.kernel.netlink;

import dev.lattice.spi.kernel.AddressEntry;
import dev.lattice.spi.kernel.LinkInfo;
import dev.lattice.spi.kernel.Neighbour;
import dev.lattice.spi.kernel.NetlinkEvent;
import dev.lattice.spi.kernel.RouteEntry;
import dev.lattice.spi.kernel.Subscription;
import java.lang.System.Logger.Level;
import java.util.Set;
import java.util.function.Consumer;

/** Reads rtnetlink multicast messages on a thread of its own and hands them to a listener. */
public final class EventSubscription implements Subscription {
    private static final System.Logger LOG = System.getLogger(EventSubscription.class.getName());
    private final NetlinkSocket socket;
    private final Consumer<NetlinkEvent> listener;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean overrun;

    /** Legacy group mask for the kinds. */
    public static int groups(Set<NetlinkEvent.Kind> kinds) {
        int g = 0;
        for (NetlinkEvent.Kind k : kinds) {
            g |= switch (k) {
                case LINK -> Nl.RTMGRP_LINK;
                case ADDRESS -> Nl.RTMGRP_IPV4_IFADDR | Nl.RTMGRP_IPV6_IFADDR;
                case ROUTE -> Nl.RTMGRP_IPV4_ROUTE | Nl.RTMGRP_IPV6_ROUTE;
                case NEIGHBOUR -> Nl.RTMGRP_NEIGH;
            };
        }
        return g;
    }

    /** Starts reading from {@code socket} (already bound to the groups, opened in the namespace). */
    public EventSubscription(NetlinkSocket socket, Consumer<NetlinkEvent> listener, String where) {
        this.socket = socket;
        this.listener = listener;
        this.thread = new Thread(this::loop, "lattice-netlink-events-" + where);
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (running) {
            try {
                socket.receiveEvents(this::dispatch, () -> {
                    overrun = true;
                    LOG.log(Level.WARNING, "netlink event socket overran; events were lost, listeners must resync");
                });
            } catch (RuntimeException e) {
                if (running) {
                    LOG.log(Level.ERROR, "netlink event subscription failed", e);
                }
                return;
            }
        }
    }

    private void dispatch(java.nio.ByteBuffer buf, int type, int flags, int p, int end) {
        NetlinkEvent ev = null;
        switch (type) {
            case Nl.RTM_NEWLINK, Nl.RTM_DELLINK -> {
                LinkInfo l = RtCodec.decodeLink(buf, p, end);
                ev = new NetlinkEvent.LinkEvent(type == Nl.RTM_DELLINK, l);
            }
            case Nl.RTM_NEWADDR, Nl.RTM_DELADDR -> {
                AddressEntry a = RtCodec.decodeAddress(buf, p, end);
                ev = a == null ? null : new NetlinkEvent.AddressEvent(type == Nl.RTM_DELADDR, a);
            }
            case Nl.RTM_NEWROUTE, Nl.RTM_DELROUTE -> {
                RouteEntry r = RtCodec.decodeRoute(buf, p, end);
                ev = r == null ? null : new NetlinkEvent.RouteEvent(type == Nl.RTM_DELROUTE, r);
            }
            case Nl.RTM_NEWNEIGH, Nl.RTM_DELNEIGH -> {
                Neighbour n = RtCodec.decodeNeighbour(buf, p, end);
                ev = n == null ? null : new NetlinkEvent.NeighbourEvent(type == Nl.RTM_DELNEIGH, n);
            }
            default -> {
            }
        }
        if (ev != null) {
            try {
                listener.accept(ev);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "netlink event listener threw", e);
            }
        }
    }

    @Override
    public boolean overrun() {
        return overrun;
    }

    @Override
    public void close() {
        running = false;
        if (Thread.currentThread() != thread) {
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        socket.close();
    }
}
