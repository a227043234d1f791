package dev.lattice.routing.bgp.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lattice.routing.bgp.wire.AsPath;
import dev.lattice.routing.bgp.wire.Capability;
import dev.lattice.routing.bgp.wire.DecodeContext;
import dev.lattice.routing.bgp.wire.Family;
import dev.lattice.routing.bgp.wire.Keepalive;
import dev.lattice.routing.bgp.wire.MessageCodec;
import dev.lattice.routing.bgp.wire.Open;
import dev.lattice.routing.bgp.wire.PathAttributes;
import dev.lattice.routing.bgp.wire.Prefix;
import dev.lattice.routing.bgp.wire.Update;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DecodeCommandTest {
    static String run(byte[] stdin, String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = DecodeCommand.run(args, new ByteArrayInputStream(stdin), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return rc + "\n" + out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void hexLinesWithAMalformedOne() throws Exception {
        String in = "# comment\nFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF001304\n"
                + "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF004C020000003040010100400200400304FFFFFFFF40050400000064C020180000000100000002000000030000000A0000000B0000000C200A000007\n"
                + "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF001D020000000440010103080A\n";
        String out = run(in.getBytes(StandardCharsets.UTF_8));
        String[] lines = out.split("\n");
        assertEquals("1", lines[0], "exit status 1: something was malformed");
        assertTrue(lines[1].contains("\"type\":\"keepalive\""), lines[1]);
        assertTrue(lines[2].contains("\"large-communities\":[\"1:2:3\",\"10:11:12\"]"), lines[2]);
        assertTrue(lines[2].contains("\"nlri\":[\"10.0.0.7/32\"]"), lines[2]);
        // ORIGIN 3 with NLRI 10.0.0.0/8: treat-as-withdraw, reported with its subcode
        assertTrue(lines[3].contains("treat-as-withdraw"), lines[3]);
        assertTrue(lines[3].contains("\"subcode\":6"), lines[3]);
        String bad = run("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF0017FF\n".getBytes(StandardCharsets.UTF_8));
        assertTrue(bad.contains("\"code\":1,\"subcode\":3"), bad);
    }

    /** A pcap (Ethernet, IPv4, TCP) holding one BGP session's messages, split across segments. */
    @Test
    void pcapCapture(@TempDir Path dir) throws Exception {
        DecodeContext ctx = DecodeContext.DEFAULT;
        byte[] open = MessageCodec.encode(Open.of(65001, 90, 0x0a000001, List.of(Capability.multiprotocol(Family.IPV4_UNICAST),
                Capability.fourOctetAs(65001))), ctx);
        byte[] upd = MessageCodec.encode(Update.announce(new PathAttributes.Builder().origin(0)
                .asPath(AsPath.sequence(65001, 4200000000L)).nextHop(0x0a000001).build(),
                List.of(Prefix.parse("10.9.0.0/16"))), ctx);
        byte[] ka = MessageCodec.encode(Keepalive.INSTANCE, ctx);
        byte[] stream = new byte[open.length + upd.length + ka.length];
        System.arraycopy(open, 0, stream, 0, open.length);
        System.arraycopy(upd, 0, stream, open.length, upd.length);
        System.arraycopy(ka, 0, stream, open.length + upd.length, ka.length);
        ByteArrayOutputStream pcap = new ByteArrayOutputStream();
        int[] hdr = {0xa1b2c3d4};
        writeInt(pcap, hdr[0]);
        pcap.write(new byte[] {0, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 0, 0, 0, 1});
        // three segments: the first cuts the UPDATE in half
        int cut = open.length + upd.length / 2;
        long seq = 1000;
        segment(pcap, seq, java.util.Arrays.copyOfRange(stream, 0, cut));
        segment(pcap, seq, java.util.Arrays.copyOfRange(stream, 0, cut)); // a retransmission
        segment(pcap, seq + cut, java.util.Arrays.copyOfRange(stream, cut, stream.length));
        Path f = dir.resolve("bgp.pcap");
        Files.write(f, pcap.toByteArray());
        String out = run(new byte[0], f.toString());
        String[] lines = out.split("\n");
        assertEquals("0", lines[0], out);
        assertEquals(4, lines.length, out);
        assertTrue(lines[1].contains("\"type\":\"open\"") && lines[1].contains("192.0.2.1:40000 > 192.0.2.2:179"), lines[1]);
        assertTrue(lines[2].contains("\"asns\":[65001,4200000000]"), lines[2]);
        assertTrue(lines[3].contains("keepalive"), lines[3]);
    }

    static void writeInt(ByteArrayOutputStream o, int v) {
        o.write(v >>> 24);
        o.write(v >>> 16);
        o.write(v >>> 8);
        o.write(v);
    }

    static void segment(ByteArrayOutputStream o, long seq, byte[] payload) {
        int len = 14 + 20 + 20 + payload.length;
        writeInt(o, 0);
        writeInt(o, 0);
        writeInt(o, len);
        writeInt(o, len);
        o.write(new byte[12], 0, 12);
        o.write(0x08);
        o.write(0x00);
        int ipLen = 20 + 20 + payload.length;
        byte[] ip = {0x45, 0, (byte) (ipLen >> 8), (byte) ipLen, 0, 0, 0, 0, 64, 6, 0, 0, (byte) 192, 0, 2, 1, (byte) 192, 0, 2, 2};
        o.write(ip, 0, ip.length);
        byte[] tcp = new byte[20];
        tcp[0] = (byte) (40000 >> 8);
        tcp[1] = (byte) 40000;
        tcp[2] = 0;
        tcp[3] = (byte) 179;
        tcp[4] = (byte) (seq >>> 24);
        tcp[5] = (byte) (seq >>> 16);
        tcp[6] = (byte) (seq >>> 8);
        tcp[7] = (byte) seq;
        tcp[12] = 0x50;
        tcp[13] = 0x18;
        o.write(tcp, 0, 20);
        o.write(payload, 0, payload.length);
    }
}
