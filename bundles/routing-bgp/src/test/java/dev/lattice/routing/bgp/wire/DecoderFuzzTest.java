package dev.lattice.routing.bgp.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Property-based fuzzing of the decoder with bounded try counts: random and mutated messages never
 * make it throw anything but {@link BgpError}, hang, or allocate beyond the message size; generated
 * UPDATEs survive an encode/decode round trip.
 */
class DecoderFuzzTest {
    static final List<byte[]> SEEDS = new ArrayList<>();

    static {
        try {
            for (String f : VectorTest.FILES) {
                for (VectorTest.Vector v : VectorTest.vectors(f)) {
                    SEEDS.add(v.raw());
                }
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static void decodeSafely(byte[] m, boolean as4) {
        long t0 = System.nanoTime();
        try {
            Message msg = MessageCodec.decode(m, new DecodeContext(as4, true));
            // whatever decodes must encode again without failing
            MessageCodec.encode(msg, new DecodeContext(as4, true));
        } catch (BgpError e) {
            assertTrue(e.code() >= 1 && e.code() <= 7, e.toString());
        }
        assertTrue(System.nanoTime() - t0 < 2_000_000_000L, "decode took too long (hang?)");
    }

    @Property(tries = 3000)
    void randomBodiesBehindAValidHeader(@ForAll @IntRange(min = 1, max = 5) int type,
                                        @ForAll @Size(max = 300) byte[] body, @ForAll boolean as4) {
        byte[] m = new byte[19 + body.length];
        java.util.Arrays.fill(m, 0, 16, (byte) 0xff);
        m[16] = (byte) (m.length >> 8);
        m[17] = (byte) m.length;
        m[18] = (byte) type;
        System.arraycopy(body, 0, m, 19, body.length);
        decodeSafely(m, as4);
    }

    @Provide
    Arbitrary<byte[]> mutated() {
        return Combinators.combine(Arbitraries.integers().between(0, SEEDS.size() - 1),
                Arbitraries.integers().between(0, 8), Arbitraries.longs()).as((i, flips, seed) -> {
                    java.util.Random r = new java.util.Random(seed);
                    byte[] m = SEEDS.get(i).clone();
                    for (int k = 0; k < flips; k++) {
                        int at = 19 + r.nextInt(Math.max(1, m.length - 19));
                        if (at < m.length) {
                            m[at] = (byte) r.nextInt(256);
                        }
                    }
                    if (r.nextInt(4) == 0 && m.length > 20) {
                        m = java.util.Arrays.copyOf(m, 19 + r.nextInt(m.length - 19));
                        m[16] = (byte) (m.length >> 8);
                        m[17] = (byte) m.length;
                    }
                    return m;
                });
    }

    @Property(tries = 5000)
    void mutatedVectors(@ForAll("mutated") byte[] m, @ForAll boolean as4) {
        decodeSafely(m, as4);
    }

    @Provide
    Arbitrary<Update> updates() {
        Arbitrary<Prefix> v4 = Combinators.combine(Arbitraries.integers(), Arbitraries.integers().between(0, 32))
                .as(Prefix::v4);
        Arbitrary<long[]> asns = Arbitraries.longs().between(1, 0xffffffffL).array(long[].class).ofMinSize(0).ofMaxSize(12);
        Arbitrary<int[]> comms = Arbitraries.integers().array(int[].class).ofMaxSize(6);
        Arbitrary<int[]> large = Arbitraries.integers().array(int[].class).ofMaxSize(3)
                .map(a -> java.util.Arrays.copyOf(a, a.length * 3));
        return Combinators.combine(v4.list().ofMinSize(1).ofMaxSize(40), asns, comms, large,
                Arbitraries.integers().between(0, 2), Arbitraries.longs().between(-1, 0xffffffffL))
                .as((nlri, path, c, l, origin, med) -> {
                    PathAttributes.Builder b = new PathAttributes.Builder().origin(origin)
                            .asPath(AsPath.sequence(path)).nextHop(0x0a000001).localPref(100)
                            .communities(c).largeCommunities(l);
                    if (med >= 0) {
                        b.med(med);
                    }
                    return Update.announce(b.build(), nlri);
                });
    }

    @Property(tries = 1000)
    void generatedUpdatesRoundTrip(@ForAll("updates") Update u) throws BgpError {
        for (boolean as4 : new boolean[] {true, false}) {
            DecodeContext ctx = new DecodeContext(as4, true);
            byte[] enc = MessageCodec.encode(u, ctx);
            if (enc.length > MessageCodec.MAX_LENGTH) {
                continue;
            }
            Update back = (Update) MessageCodec.decode(enc, ctx);
            assertEquals(u.nlri(), back.nlri());
            assertEquals(u.attributes(), back.attributes(), "as4=" + as4);
            assertEquals(MessageCodec.toHex(enc), MessageCodec.toHex(MessageCodec.encode(back, ctx)));
        }
    }
}
