package dev.lattice.routing.bgp.fsm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lattice.routing.bgp.wire.AsPath;
import dev.lattice.routing.bgp.wire.BgpError;
import dev.lattice.routing.bgp.wire.Capability;
import dev.lattice.routing.bgp.wire.DecodeContext;
import dev.lattice.routing.bgp.wire.Family;
import dev.lattice.routing.bgp.wire.Keepalive;
import dev.lattice.routing.bgp.wire.Message;
import dev.lattice.routing.bgp.wire.MessageCodec;
import dev.lattice.routing.bgp.wire.Notification;
import dev.lattice.routing.bgp.wire.Open;
import dev.lattice.routing.bgp.wire.PathAttributes;
import dev.lattice.routing.bgp.wire.Prefix;
import dev.lattice.routing.bgp.wire.RouteRefresh;
import dev.lattice.routing.bgp.wire.Update;
import dev.lattice.spi.net.IpAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SessionTest {
    static final int LOCAL_ID = 0x0a000001;

    static final class FakeConn implements Connection {
        final List<Message> sent = new ArrayList<>();
        boolean closed;
        final String name;

        FakeConn(String name) {
            this.name = name;
        }

        @Override
        public void send(byte[] encoded, Message message) {
            sent.add(message);
        }

        @Override
        public void close() {
            closed = true;
        }

        @Override
        public String describe() {
            return name;
        }

        Message last() {
            return sent.get(sent.size() - 1);
        }

        long count(int type) {
            return sent.stream().filter(m -> m.type() == type).count();
        }
    }

    final ManualScheduler clock = new ManualScheduler();
    final List<FakeConn> dialed = new ArrayList<>();
    final List<String> events = new ArrayList<>();
    final List<Update> updates = new ArrayList<>();
    int connectCalls;
    boolean failConnects;

    final Transport transport = (peer, cb) -> {
        connectCalls++;
        if (failConnects) {
            cb.failed(new java.io.IOException("refused"));
            return;
        }
        FakeConn c = new FakeConn("out" + connectCalls);
        dialed.add(c);
        cb.connected(c);
    };

    final SessionListener listener = new SessionListener() {
        @Override
        public void established(Session s, Negotiated n) {
            events.add("up " + n.peerAs());
        }

        @Override
        public void update(Session s, Update u) {
            updates.add(u);
        }

        @Override
        public void routeRefresh(Session s, RouteRefresh rr) {
            events.add("refresh " + rr.family());
        }

        @Override
        public void down(Session s, boolean graceful, String reason) {
            events.add("down graceful=" + graceful);
        }
    };

    Session session(PeerConfig p) {
        return new Session(p, LOCAL_ID, Set.of(Family.IPV4_UNICAST), clock, transport, listener);
    }

    static PeerConfig peer() {
        return PeerConfig.of(IpAddress.parse("10.0.0.2"), 65001, 65000).withTimers(9, 5);
    }

    static byte[] open(long as, int id, int hold, boolean gr) {
        List<Capability> caps = new ArrayList<>(List.of(Capability.multiprotocol(Family.IPV4_UNICAST),
                Capability.routeRefresh(), Capability.fourOctetAs(as)));
        if (gr) {
            caps.add(Capability.gracefulRestart(false, 30, Map.of(Family.IPV4_UNICAST, true)));
        }
        return MessageCodec.encode(Open.of(as, hold, id, caps), DecodeContext.DEFAULT);
    }

    static byte[] keepalive() {
        return MessageCodec.encode(Keepalive.INSTANCE, DecodeContext.DEFAULT);
    }

    Session establish(boolean gr) {
        Session s = session(peer());
        s.start();
        assertEquals(1, dialed.size());
        FakeConn c = dialed.get(0);
        assertEquals(State.OPEN_SENT, s.state());
        Open ours = assertInstanceOf(Open.class, c.sent.get(0));
        assertEquals(65000, ours.effectiveAs());
        assertEquals(9, ours.holdTime());
        s.received(c, open(65001, 0x0a000002, 30, gr));
        assertEquals(State.OPEN_CONFIRM, s.state());
        assertInstanceOf(Keepalive.class, c.last());
        s.received(c, keepalive());
        assertEquals(State.ESTABLISHED, s.state());
        assertEquals(List.of("up 65001"), events);
        return s;
    }

    @Test
    void establishesAndKeepsAliveThenHoldTimerExpires() {
        Session s = establish(false);
        FakeConn c = dialed.get(0);
        assertEquals(9, s.negotiated().holdTime()); // min(9, 30)
        long before = c.count(Message.KEEPALIVE);
        clock.advance(3000);
        assertEquals(before + 1, c.count(Message.KEEPALIVE), "keepalive every hold/3");
        s.received(c, keepalive());
        clock.advance(8000);
        assertEquals(State.ESTABLISHED, s.state(), "the keepalive at t=3s restarted the hold timer");
        clock.advance(1500);
        Notification n = assertInstanceOf(Notification.class, c.last());
        assertEquals(4, n.code());
        assertEquals(State.IDLE, s.state());
        assertTrue(c.closed);
        assertEquals("down graceful=false", events.get(events.size() - 1));
        // automatic restart after the idle hold time
        clock.advance(6000);
        assertEquals(2, dialed.size());
        assertEquals(State.OPEN_SENT, s.state());
    }

    @Test
    void badPeerAsIsRefused() {
        Session s = session(peer());
        s.start();
        FakeConn c = dialed.get(0);
        s.received(c, open(65099, 0x0a000002, 90, false));
        Notification n = assertInstanceOf(Notification.class, c.last());
        assertEquals(BgpError.OPEN_MESSAGE, n.code());
        assertEquals(BgpError.BAD_PEER_AS, n.subcode());
        assertEquals(State.IDLE, s.state());
        assertTrue(c.closed);
    }

    @Test
    void updateBeforeEstablishedIsAnFsmError() {
        Session s = session(peer());
        s.start();
        FakeConn c = dialed.get(0);
        s.received(c, open(65001, 0x0a000002, 90, false));
        s.received(c, MessageCodec.encode(Update.withdraw(List.of()), DecodeContext.DEFAULT));
        Notification n = assertInstanceOf(Notification.class, c.last());
        assertEquals(BgpError.FSM, n.code());
        assertEquals(2, n.subcode()); // RFC 6608: unexpected message in OpenConfirm
    }

    @Test
    void malformedUpdateSendsNotificationAndUpdatesArriveWhenEstablished() {
        Session s = establish(false);
        FakeConn c = dialed.get(0);
        PathAttributes a = new PathAttributes.Builder().origin(0).asPath(AsPath.sequence(65001)).nextHop(0x0a000002).build();
        s.received(c, MessageCodec.encode(Update.announce(a, List.of(Prefix.parse("10.1.0.0/16"))),
                s.negotiated().context()));
        assertEquals(1, updates.size());
        assertEquals(List.of(Prefix.parse("10.1.0.0/16")), updates.get(0).nlri());
        // prefix length 33 in the NLRI: Invalid Network Field, session reset
        byte[] bad = MessageCodec.fromHex("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF001C020000000021"+"0A0000000000");
        bad[17] = (byte) bad.length;
        s.received(c, bad);
        Notification n = assertInstanceOf(Notification.class, c.last());
        assertEquals(3, n.code());
        assertEquals(BgpError.INVALID_NETWORK_FIELD, n.subcode());
        assertEquals(State.IDLE, s.state());
    }

    @Test
    void connectionCollisionKeepsTheConnectionOfTheHigherIdentifier() {
        Session s = session(peer());
        s.start();
        FakeConn out = dialed.get(0);
        FakeConn in = new FakeConn("in");
        s.connected(in, false);
        // the peer (id 10.0.0.2 > ours 10.0.0.1) opens on both
        s.received(out, open(65001, 0x0a000002, 90, false));
        s.received(in, open(65001, 0x0a000002, 90, false));
        assertTrue(out.closed, "our outgoing connection loses");
        Notification n = assertInstanceOf(Notification.class, out.last());
        assertEquals(BgpError.CEASE, n.code());
        assertEquals(BgpError.CONNECTION_COLLISION, n.subcode());
        assertFalse(in.closed);
        s.received(in, keepalive());
        assertEquals(State.ESTABLISHED, s.state());
    }

    @Test
    void collisionWithLowerPeerIdentifierKeepsOurConnection() {
        Session s = session(peer());
        s.start();
        FakeConn out = dialed.get(0);
        FakeConn in = new FakeConn("in");
        s.connected(in, false);
        s.received(out, open(65001, 0x09000002, 90, false));
        s.received(in, open(65001, 0x09000002, 90, false));
        assertTrue(in.closed);
        assertFalse(out.closed);
    }

    @Test
    void lossOfAGracefulRestartPeerIsGraceful() {
        Session s = establish(true);
        s.closed(dialed.get(0));
        assertEquals("down graceful=true", events.get(events.size() - 1));
    }

    @Test
    void routeRefreshReachesTheListenerAndStopSendsCease() {
        Session s = establish(false);
        FakeConn c = dialed.get(0);
        s.received(c, MessageCodec.encode(new RouteRefresh(1, 0, 1), DecodeContext.DEFAULT));
        assertTrue(events.contains("refresh ipv4 unicast"));
        assertTrue(s.requestRefresh(Family.IPV4_UNICAST));
        assertInstanceOf(RouteRefresh.class, c.last());
        s.stop("maintenance");
        Notification n = assertInstanceOf(Notification.class, c.last());
        assertEquals(BgpError.CEASE, n.code());
        assertEquals(BgpError.ADMIN_SHUTDOWN, n.subcode());
        assertEquals("maintenance", n.shutdownCommunication());
        clock.advance(60_000);
        assertEquals(1, dialed.size(), "a stopped session stays idle");
    }

    @Test
    void connectRetryTimerRetriesFailedConnects() {
        failConnects = true;
        Session s = session(peer());
        s.start();
        assertEquals(State.ACTIVE, s.state());
        clock.advance(5000);
        assertEquals(2, connectCalls);
        failConnects = false;
        clock.advance(5000);
        assertEquals(State.OPEN_SENT, s.state());
    }

    @Test
    void passivePeerNeverConnects() {
        Session s = session(peer().withPassive(true));
        s.start();
        clock.advance(60_000);
        assertEquals(0, connectCalls);
        assertEquals(State.ACTIVE, s.state());
        FakeConn in = new FakeConn("in");
        s.connected(in, false);
        assertEquals(State.OPEN_SENT, s.state());
    }

    @Test
    void restartingSpeakerSetsTheRestartBit() {
        Session s = session(peer());
        s.setRestarting(true);
        s.start();
        Open o = (Open) dialed.get(0).sent.get(0);
        assertTrue(o.parsed().restartBit());
        assertEquals(Boolean.TRUE, o.parsed().gracefulRestartFamilies().get(Family.IPV4_UNICAST));
    }
}
