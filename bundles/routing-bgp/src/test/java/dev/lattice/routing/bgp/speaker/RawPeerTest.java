package dev.lattice.routing.bgp.speaker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lattice.routing.bgp.fsm.PeerConfig;
import dev.lattice.routing.bgp.wire.AsPath;
import dev.lattice.routing.bgp.wire.Capability;
import dev.lattice.routing.bgp.wire.DecodeContext;
import dev.lattice.routing.bgp.wire.Family;
import dev.lattice.routing.bgp.wire.Keepalive;
import dev.lattice.routing.bgp.wire.MessageCodec;
import dev.lattice.routing.bgp.wire.Notification;
import dev.lattice.routing.bgp.wire.Open;
import dev.lattice.routing.bgp.wire.PathAttributes;
import dev.lattice.routing.bgp.wire.Prefix;
import dev.lattice.routing.bgp.wire.Update;
import dev.lattice.spi.net.IpAddress;
import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/** A hand-driven peer on a raw socket: RFC 7606 handling as seen from the RIB, and a NOTIFICATION. */
class RawPeerTest {
    static byte[] read(DataInputStream in) throws Exception {
        byte[] h = new byte[19];
        in.readFully(h);
        int len = ((h[16] & 0xff) << 8) | (h[17] & 0xff);
        byte[] m = java.util.Arrays.copyOf(h, len);
        in.readFully(m, 19, len - 19);
        return m;
    }

    @Test
    void treatAsWithdrawRemovesTheRouteAndBadMessagesGetNotifications() throws Exception {
        int net = ThreadLocalRandom.current().nextInt(10, 250);
        IpAddress me = IpAddress.parse("127." + net + ".1.1");
        IpAddress peer = IpAddress.parse("127." + net + ".1.2");
        BgpSpeaker s = new BgpSpeaker(new SpeakerConfig(64512, SpeakerConfig.toInt(me), me, 0, 0, 1, null, null, null,
                null, false, 360), null);
        s.start();
        try (Socket sock = new Socket()) {
            s.setPeers(List.of(PeerConfig.of(peer, 65001, 64512).withPassive(true).withTimers(30, 1)));
            sock.bind(new InetSocketAddress(peer.toInetAddress(), 0));
            sock.connect(new InetSocketAddress(me.toInetAddress(), s.listenPort()), 5000);
            sock.setSoTimeout(10_000);
            OutputStream out = sock.getOutputStream();
            DataInputStream in = new DataInputStream(sock.getInputStream());
            DecodeContext ctx = new DecodeContext(true, false);
            out.write(MessageCodec.encode(Open.of(65001, 30, 0x01020304, List.of(
                    Capability.multiprotocol(Family.IPV4_UNICAST), Capability.fourOctetAs(65001))), ctx));
            assertEquals(1, read(in)[18]); // OPEN
            out.write(MessageCodec.encode(Keepalive.INSTANCE, ctx));
            assertEquals(4, read(in)[18]); // KEEPALIVE
            PathAttributes a = new PathAttributes.Builder().origin(0).asPath(AsPath.sequence(65001))
                    .nextHop(SpeakerConfig.toInt(peer)).build();
            out.write(MessageCodec.encode(Update.announce(a, List.of(Prefix.parse("10.50.0.0/24"))), ctx));
            SpeakerLoopbackTest.await("route learned", () -> s.locRibSize() == 1);
            // the same prefix again with ORIGIN 7: RFC 7606 treat-as-withdraw, the session stays up
            byte[] bad = MessageCodec.encode(Update.announce(a, List.of(Prefix.parse("10.50.0.0/24"))), ctx);
            String hex = MessageCodec.toHex(bad).replaceFirst("40010100", "40010107");
            out.write(MessageCodec.fromHex(hex));
            SpeakerLoopbackTest.await("route withdrawn", () -> s.locRibSize() == 0);
            assertEquals("Established", s.peers().get(0).state());
            // a path containing our own AS is a loop: not installed
            PathAttributes loop = new PathAttributes.Builder().origin(0).asPath(AsPath.sequence(65001, 64512))
                    .nextHop(SpeakerConfig.toInt(peer)).build();
            out.write(MessageCodec.encode(Update.announce(loop, List.of(Prefix.parse("10.51.0.0/24"))), ctx));
            out.write(MessageCodec.encode(Update.announce(a, List.of(Prefix.parse("10.52.0.0/24"))), ctx));
            SpeakerLoopbackTest.await("good route learned", () -> s.locRibSize() == 1);
            assertTrue(s.locRib().get(0).prefix().equals(Prefix.parse("10.52.0.0/24")));
            // a prefix length of 33: Invalid Network Field, session reset with NOTIFICATION 3/10
            out.write(MessageCodec.fromHex("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF001D020000000040" .substring(0, 42)
                    + "0000" + "210A00000000"));
            byte[] m;
            do {
                m = read(in);
            } while (m[18] != 3);
            Notification n = (Notification) MessageCodec.decode(m, ctx);
            assertEquals(3, n.code());
            assertEquals(10, n.subcode());
            SpeakerLoopbackTest.await("route flushed with the session", () -> s.locRibSize() == 0);
        } finally {
            s.stop(false);
        }
    }
}
