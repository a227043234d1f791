package dev.lattice.routing.bgp.fsm;

import dev.lattice.routing.bgp.wire.BgpError;
import dev.lattice.routing.bgp.wire.Capabilities;
import dev.lattice.routing.bgp.wire.Capability;
import dev.lattice.routing.bgp.wire.DecodeContext;
import dev.lattice.routing.bgp.wire.Family;
import dev.lattice.routing.bgp.wire.Keepalive;
import dev.lattice.routing.bgp.wire.Message;
import dev.lattice.routing.bgp.wire.MessageCodec;
import dev.lattice.routing.bgp.wire.Notification;
import dev.lattice.routing.bgp.wire.Open;
import dev.lattice.routing.bgp.wire.RouteRefresh;
import dev.lattice.routing.bgp.wire.Update;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The RFC 4271 finite state machine of one peer. Not thread-safe: every method runs on the session
 * thread (the {@link Scheduler}'s). Up to two connections exist at once while a connection
 * collision (section 6.8) is being resolved; the session's state is that of its most advanced one.
 */
public final class Session {
    private static final Logger LOG = System.getLogger(Session.class.getName());
    /** Hold time while waiting for the peer's OPEN (RFC 4271 suggests 4 minutes). */
    static final int OPEN_HOLD_SECONDS = 240;

    private final PeerConfig peer;
    private final int localId;
    private final Set<Family> localFamilies;
    private final Scheduler scheduler;
    private final Transport transport;
    private final SessionListener listener;

    private final List<Conn> conns = new ArrayList<>(2);
    private State state = State.IDLE;
    private long stateSince;
    private boolean started;
    private boolean restarting; // our own graceful restart: set the R bit in the next OPEN
    private Scheduler.Timer connectRetry;
    private Scheduler.Timer idleRestart;
    private Negotiated negotiated;
    private Conn established;
    private String lastError = "";
    private int connectAttempts;

    public final AtomicLong updatesIn = new AtomicLong();
    public final AtomicLong updatesOut = new AtomicLong();
    public final AtomicLong messagesIn = new AtomicLong();
    public final AtomicLong messagesOut = new AtomicLong();
    public final AtomicLong establishedTransitions = new AtomicLong();
    public final AtomicLong notificationsIn = new AtomicLong();
    public final AtomicLong notificationsOut = new AtomicLong();

    private final class Conn {
        final Connection io;
        final boolean outgoing;
        State st = State.OPEN_SENT;
        Open peerOpen;
        Negotiated neg;
        Scheduler.Timer hold;
        Scheduler.Timer keepalive;
        int holdSeconds = OPEN_HOLD_SECONDS;
        boolean closed;

        Conn(Connection io, boolean outgoing) {
            this.io = io;
            this.outgoing = outgoing;
        }
    }

    public Session(PeerConfig peer, int localId, Set<Family> localFamilies, Scheduler scheduler, Transport transport,
                   SessionListener listener) {
        this.peer = peer;
        this.localId = localId;
        this.localFamilies = Set.copyOf(localFamilies);
        this.scheduler = scheduler;
        this.transport = transport;
        this.listener = listener;
        this.stateSince = scheduler.nowMillis();
    }

    public PeerConfig peer() {
        return peer;
    }

    public State state() {
        return state;
    }

    public long stateSinceMillis() {
        return stateSince;
    }

    public Negotiated negotiated() {
        return negotiated;
    }

    /** The connection of the established session, or null. */
    public Connection establishedConnection() {
        return established == null ? null : established.io;
    }

    public String lastError() {
        return lastError;
    }

    public int localId() {
        return localId;
    }

    /** Our next OPEN sets the Restart State bit: we are coming back from a graceful restart. */
    public void setRestarting(boolean r) {
        restarting = r;
    }

    // ------------------------------------------------------------------ events

    /** ManualStart (or ManualStart_with_PassiveTcpEstablishment for passive peers). */
    public void start() {
        if (started) {
            return;
        }
        started = true;
        enterConnectOrActive();
    }

    /** ManualStop: Cease/Administrative Shutdown on every connection, then Idle for good. */
    public void stop(String reason) {
        started = false;
        cancel(connectRetry);
        cancel(idleRestart);
        for (Conn c : new ArrayList<>(conns)) {
            notifyAndClose(c, Notification.cease(BgpError.ADMIN_SHUTDOWN, reason));
        }
        goDown(false, "stopped: " + reason);
    }

    /**
     * Stops without NOTIFICATION (the TCP connections just close) so that a peer with graceful
     * restart keeps our routes and its forwarding while we restart (RFC 4724 restarting speaker).
     */
    public void stopForRestart() {
        started = false;
        cancel(connectRetry);
        cancel(idleRestart);
        for (Conn c : new ArrayList<>(conns)) {
            dropConn(c);
        }
        goDown(false, "stopped for graceful restart");
    }

    /** TcpConnectionConfirmed / Tcp_CR_Acked: a connection is up (incoming or one we made). */
    public void connected(Connection io, boolean outgoing) {
        if (!started || conns.size() >= 2 || state == State.ESTABLISHED) {
            LOG.log(Level.INFO, "BGP {0}: refusing connection {1} in state {2}", peer.name(), io.describe(),
                    state.rfcName());
            Notification n = new Notification(BgpError.CEASE,
                    state == State.ESTABLISHED || conns.size() >= 2 ? BgpError.CONNECTION_COLLISION
                            : BgpError.CONNECTION_REJECTED, new byte[0]);
            io.send(MessageCodec.encode(n, DecodeContext.DEFAULT), n);
            io.close();
            return;
        }
        cancel(connectRetry);
        Conn c = new Conn(io, outgoing);
        conns.add(c);
        send(c, ourOpen());
        c.st = State.OPEN_SENT;
        restartHold(c);
        updateState();
    }

    /** TcpConnectionFails for an outgoing attempt. */
    public void connectFailed(Throwable cause) {
        if (!started) {
            return;
        }
        lastError = "connect: " + cause.getMessage();
        LOG.log(Level.DEBUG, "BGP {0}: connect failed: {1}", peer.name(), cause.toString());
        if (conns.isEmpty()) {
            setState(State.ACTIVE);
        }
    }

    /** A whole message (header included) arrived on {@code io}. */
    public void received(Connection io, byte[] msg) {
        Conn c = find(io);
        if (c == null || c.closed) {
            return;
        }
        Message m;
        try {
            DecodeContext ctx = c.neg != null ? c.neg.context() : new DecodeContext(true, peer.ibgp());
            m = MessageCodec.decode(msg, ctx);
        } catch (BgpError e) {
            messagesIn.incrementAndGet();
            error(c, e);
            return;
        }
        received(io, m);
    }

    /** A message the transport already decoded with the context given by {@link Connection#setDecodeContext}. */
    public void received(Connection io, Message m) {
        Conn c = find(io);
        if (c == null || c.closed) {
            return;
        }
        messagesIn.incrementAndGet();
        switch (m.type()) {
            case Message.OPEN -> onOpen(c, (Open) m);
            case Message.KEEPALIVE -> onKeepalive(c);
            case Message.UPDATE -> onUpdate(c, (Update) m);
            case Message.NOTIFICATION -> onNotification(c, (Notification) m);
            case Message.ROUTE_REFRESH -> onRouteRefresh(c, (RouteRefresh) m);
            default -> {
            }
        }
    }

    /** A framing error found by the transport (marker, length, type). */
    public void framingError(Connection io, BgpError e) {
        Conn c = find(io);
        if (c != null) {
            error(c, e);
        }
    }

    /** TcpConnectionFails on an open connection. */
    public void closed(Connection io) {
        Conn c = find(io);
        if (c == null || c.closed) {
            return;
        }
        LOG.log(Level.INFO, "BGP {0}: connection {1} closed by peer in {2}", peer.name(), io.describe(),
                c.st.rfcName());
        boolean wasEstablished = c == established;
        dropConn(c);
        if (wasEstablished) {
            lastError = "connection closed";
            boolean graceful = negotiated != null && negotiated.peerCaps().gracefulRestart();
            goDown(graceful, "connection closed");
        } else {
            lastError = "connection closed in " + c.st.rfcName();
            updateState();
            if (conns.isEmpty()) {
                goDown(false, lastError);
            }
        }
    }

    // ------------------------------------------------------------------ sending

    /** Sends an UPDATE (or any message) on the established connection. */
    public boolean send(Message m) {
        if (established == null) {
            return false;
        }
        send(established, m);
        return true;
    }

    /** Asks the peer to resend its routes of {@code f} (RFC 2918). */
    public boolean requestRefresh(Family f) {
        if (negotiated == null || !negotiated.routeRefresh()) {
            return false;
        }
        return send(new RouteRefresh(f.afi(), 0, f.safi()));
    }

    private void send(Conn c, Message m) {
        DecodeContext ctx = c.neg != null ? c.neg.context() : new DecodeContext(true, peer.ibgp());
        c.io.send(MessageCodec.encode(m, ctx), m);
        messagesOut.incrementAndGet();
        if (m.type() == Message.UPDATE) {
            updatesOut.incrementAndGet();
        } else if (m.type() == Message.NOTIFICATION) {
            notificationsOut.incrementAndGet();
        }
    }

    // ------------------------------------------------------------------ handlers

    private Open ourOpen() {
        List<Capability> caps = new ArrayList<>();
        for (Family f : localFamilies) {
            caps.add(Capability.multiprotocol(f));
        }
        caps.add(Capability.routeRefresh());
        if (peer.gracefulRestart()) {
            Map<Family, Boolean> fams = new LinkedHashMap<>();
            for (Family f : localFamilies) {
                fams.put(f, restarting);
            }
            caps.add(Capability.gracefulRestart(restarting, peer.restartTimeSeconds(), fams));
        }
        caps.add(Capability.fourOctetAs(peer.localAs()));
        return Open.of(peer.localAs(), peer.holdTime(), localId, caps);
    }

    private void onOpen(Conn c, Open o) {
        if (c.st != State.OPEN_SENT) {
            fsmError(c);
            return;
        }
        Capabilities caps = o.parsed();
        long peerAs = o.effectiveAs();
        if (peer.remoteAs() != 0 && peerAs != peer.remoteAs()) {
            byte[] data = {(byte) (o.asField() >> 8), (byte) o.asField()};
            error(c, new BgpError(BgpError.OPEN_MESSAGE, BgpError.BAD_PEER_AS, data,
                    "peer AS " + peerAs + ", expected " + peer.remoteAs()));
            return;
        }
        boolean ibgp = peerAs == peer.localAs();
        if (o.bgpId() == 0 || (ibgp && o.bgpId() == localId)) {
            error(c, new BgpError(BgpError.OPEN_MESSAGE, BgpError.BAD_BGP_IDENTIFIER, "BGP identifier "
                    + Integer.toUnsignedString(o.bgpId())));
            return;
        }
        int hold = Math.min(peer.holdTime(), o.holdTime());
        Set<Family> fams = new LinkedHashSet<>(localFamilies);
        fams.retainAll(caps.families());
        c.peerOpen = o;
        c.neg = new Negotiated(o, peerAs, caps.as4() >= 0, Set.copyOf(fams), caps.routeRefresh(), hold, caps, ibgp);
        // collision detection (RFC 4271 6.8) against the other connection, if it got this far
        for (Conn other : new ArrayList<>(conns)) {
            if (other != c && (other.st == State.OPEN_CONFIRM || other.peerOpen != null)) {
                Conn loser = Integer.compareUnsigned(localId, o.bgpId()) < 0
                        ? (c.outgoing ? c : other) : (c.outgoing ? other : c);
                LOG.log(Level.INFO, "BGP {0}: connection collision, closing the {1} connection", peer.name(),
                        loser.outgoing ? "outgoing" : "incoming");
                notifyAndClose(loser, new Notification(BgpError.CEASE, BgpError.CONNECTION_COLLISION, new byte[0]));
                if (loser == c) {
                    updateState();
                    return;
                }
            }
        }
        send(c, Keepalive.INSTANCE);
        c.io.setDecodeContext(c.neg.context());
        c.st = State.OPEN_CONFIRM;
        c.holdSeconds = hold;
        restartHold(c);
        startKeepalive(c);
        updateState();
    }

    private void onKeepalive(Conn c) {
        switch (c.st) {
            case OPEN_CONFIRM -> {
                // close any other connection: this one wins
                for (Conn other : new ArrayList<>(conns)) {
                    if (other != c) {
                        notifyAndClose(other, new Notification(BgpError.CEASE, BgpError.CONNECTION_COLLISION,
                                new byte[0]));
                    }
                }
                c.st = State.ESTABLISHED;
                established = c;
                negotiated = c.neg;
                restarting = false;
                connectAttempts = 0;
                restartHold(c);
                establishedTransitions.incrementAndGet();
                updateState();
                LOG.log(Level.INFO, "BGP {0}: Established (AS {1}, router id {2}, hold {3}s, families {4})",
                        peer.name(), String.valueOf(negotiated.peerAs()), ipv4(negotiated.peerBgpId()), String.valueOf(negotiated.holdTime()),
                        negotiated.families());
                listener.established(this, negotiated);
            }
            case ESTABLISHED -> restartHold(c);
            default -> fsmError(c);
        }
    }

    private void onUpdate(Conn c, Update u) {
        if (c.st != State.ESTABLISHED) {
            fsmError(c);
            return;
        }
        updatesIn.incrementAndGet();
        restartHold(c);
        if (!u.errors().isEmpty()) {
            LOG.log(Level.WARNING, "BGP {0}: UPDATE with attribute errors handled per RFC 7606: {1}", peer.name(),
                    u.errors());
        }
        listener.update(this, u);
    }

    private void onRouteRefresh(Conn c, RouteRefresh rr) {
        if (c.st != State.ESTABLISHED) {
            fsmError(c);
            return;
        }
        restartHold(c);
        listener.routeRefresh(this, rr);
    }

    private void onNotification(Conn c, Notification n) {
        notificationsIn.incrementAndGet();
        String text = n.shutdownCommunication();
        lastError = "received NOTIFICATION " + n.code() + "/" + n.subcode() + " (" + n.describe() + ")"
                + (text != null ? ": " + text : "");
        LOG.log(Level.WARNING, "BGP {0}: {1} in {2}", peer.name(), lastError, c.st.rfcName());
        boolean wasEstablished = c == established;
        dropConn(c);
        // RFC 8538: graceful restart also survives a NOTIFICATION other than Hard Reset when both
        // announced the N bit; we do not announce it, so a NOTIFICATION ends the routes.
        if (wasEstablished || conns.isEmpty()) {
            goDown(false, lastError);
        } else {
            updateState();
        }
    }

    private void fsmError(Conn c) {
        int sub = switch (c.st) {
            case OPEN_SENT -> 1;
            case OPEN_CONFIRM -> 2;
            case ESTABLISHED -> 3;
            default -> 0;
        };
        error(c, new BgpError(BgpError.FSM, sub, "unexpected message in " + c.st.rfcName()));
    }

    private void error(Conn c, BgpError e) {
        lastError = "sent NOTIFICATION " + e.code() + "/" + e.subcode() + " (" + BgpError.describe(e.code(), e.subcode())
                + "): " + e.getMessage();
        LOG.log(Level.WARNING, "BGP {0}: {1}", peer.name(), lastError);
        boolean wasEstablished = c == established;
        notifyAndClose(c, e.toNotification());
        if (wasEstablished || conns.isEmpty()) {
            goDown(false, lastError);
        } else {
            updateState();
        }
    }

    private void holdExpired(Conn c) {
        if (c.closed) {
            return;
        }
        error(c, new BgpError(BgpError.HOLD_TIMER_EXPIRED, 0, "no message for " + c.holdSeconds + "s"));
    }

    // ------------------------------------------------------------------ helpers

    private void notifyAndClose(Conn c, Notification n) {
        if (!c.closed) {
            send(c, n);
        }
        dropConn(c);
    }

    private void dropConn(Conn c) {
        c.closed = true;
        cancel(c.hold);
        cancel(c.keepalive);
        c.io.close();
        conns.remove(c);
    }

    private void goDown(boolean graceful, String reason) {
        boolean wasEstablished = established != null;
        established = null;
        Negotiated n = negotiated;
        negotiated = null;
        for (Conn c : new ArrayList<>(conns)) {
            notifyAndClose(c, new Notification(BgpError.CEASE, BgpError.OTHER_CONFIG_CHANGE, new byte[0]));
        }
        setState(State.IDLE);
        if (wasEstablished) {
            LOG.log(Level.INFO, "BGP {0}: left Established: {1}{2}", peer.name(), reason,
                    graceful ? " (peer may be restarting; routes kept as stale for " + n.peerCaps().restartTime() + "s)" : "");
            listener.down(this, graceful, reason);
        }
        if (started) {
            // automatic restart after an idle hold time that grows with repeated failures
            connectAttempts++;
            long delay = Math.min(peer.connectRetrySeconds() * 1000L * Math.min(connectAttempts, 4),
                    120_000L);
            idleRestart = scheduler.schedule(() -> {
                if (started && state == State.IDLE) {
                    enterConnectOrActive();
                }
            }, Math.max(delay, 1000));
        }
    }

    private void enterConnectOrActive() {
        if (peer.passive()) {
            setState(State.ACTIVE);
            return;
        }
        setState(State.CONNECT);
        attemptConnect();
    }

    private void attemptConnect() {
        cancel(connectRetry);
        connectRetry = scheduler.schedule(() -> {
            if (started && conns.isEmpty() && (state == State.CONNECT || state == State.ACTIVE)) {
                setState(State.CONNECT);
                attemptConnect();
            }
        }, peer.connectRetrySeconds() * 1000L);
        transport.connect(peer, new Transport.ConnectCallback() {
            @Override
            public void connected(Connection c) {
                scheduler.execute(() -> {
                    if (!started) {
                        c.close();
                        return;
                    }
                    Session.this.connected(c, true);
                });
            }

            @Override
            public void failed(Throwable cause) {
                scheduler.execute(() -> connectFailed(cause));
            }
        });
    }

    private void restartHold(Conn c) {
        cancel(c.hold);
        if (c.holdSeconds > 0) {
            c.hold = scheduler.schedule(() -> holdExpired(c), c.holdSeconds * 1000L);
        }
    }

    private void startKeepalive(Conn c) {
        cancel(c.keepalive);
        if (c.holdSeconds > 0) {
            long every = Math.max(1000L, c.holdSeconds * 1000L / 3);
            c.keepalive = scheduler.schedule(new Runnable() {
                @Override
                public void run() {
                    if (!c.closed) {
                        send(c, Keepalive.INSTANCE);
                        c.keepalive = scheduler.schedule(this, every);
                    }
                }
            }, every);
        }
    }

    private void updateState() {
        State best = null;
        for (Conn c : conns) {
            if (best == null || c.st.ordinal() > best.ordinal()) {
                best = c.st;
            }
        }
        if (best == null) {
            best = started ? (peer.passive() ? State.ACTIVE : State.ACTIVE) : State.IDLE;
        }
        setState(best);
    }

    private void setState(State s) {
        if (s != state) {
            LOG.log(Level.INFO, "BGP {0}: {1} -> {2}", peer.name(), state.rfcName(), s.rfcName());
            state = s;
            stateSince = scheduler.nowMillis();
        }
    }

    private Conn find(Connection io) {
        for (Conn c : conns) {
            if (c.io == io) {
                return c;
            }
        }
        return null;
    }

    private static void cancel(Scheduler.Timer t) {
        if (t != null) {
            t.cancel();
        }
    }

    static String ipv4(int a) {
        return (a >>> 24) + "." + ((a >>> 16) & 0xff) + "." + ((a >>> 8) & 0xff) + "." + (a & 0xff);
    }
}
