package dev.lattice.routing.bgp.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Malformed input: the NOTIFICATION RFC 4271 asks for, or RFC 7606's gentler handling. */
class MalformedTest {
    static final String MARKER = "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF";
    static final DecodeContext IBGP = new DecodeContext(true, true);

    static byte[] msg(int type, String bodyHex) {
        byte[] body = MessageCodec.fromHex(bodyHex);
        int len = 19 + body.length;
        return MessageCodec.fromHex(MARKER + String.format("%04X%02X", len, type) + bodyHex);
    }

    static byte[] update(String withdrawn, String attrs, String nlri) {
        return msg(2, String.format("%04X", withdrawn.length() / 2) + withdrawn
                + String.format("%04X", attrs.length() / 2) + attrs + nlri);
    }

    static final String ORIGIN = "40010100";
    static final String AS_PATH = "40020602010000FDE9"; // AS_SEQUENCE [65001]
    static final String NEXT_HOP = "4003040A000001";
    static final String NLRI = "180A0100"; // 10.1.0.0/24

    static BgpError error(byte[] m) {
        return assertThrows(BgpError.class, () -> MessageCodec.decode(m, IBGP));
    }

    static void assertError(int code, int sub, byte[] m) {
        BgpError e = error(m);
        assertEquals(code + "/" + sub, e.code() + "/" + e.subcode(), e.getMessage());
    }

    static Update decode(byte[] m) throws BgpError {
        return (Update) MessageCodec.decode(m, IBGP);
    }

    @Test
    void headerErrors() {
        byte[] ka = msg(4, "");
        ka[3] = 0;
        assertError(1, 1, ka);
        assertError(1, 2, MessageCodec.fromHex(MARKER + "001204"));
        assertError(1, 2, msg(4, "00"));
        BgpError big = error(MessageCodec.fromHex(MARKER + "100102"));
        assertEquals(2, big.subcode());
        assertArrayEquals(new byte[] {0x10, 0x01}, big.data());
        BgpError t = error(msg(7, "00"));
        assertEquals(3, t.subcode());
        assertArrayEquals(new byte[] {7}, t.data());
        assertError(1, 2, msg(5, "000100")); // ROUTE-REFRESH must be 23 octets
    }

    @Test
    void openErrors() {
        BgpError v = error(msg(1, "03FDE9005A0A00000100"));
        assertEquals(2, v.code());
        assertEquals(1, v.subcode());
        assertArrayEquals(new byte[] {0, 4}, v.data(), "data names the version we support");
        assertError(2, 6, msg(1, "04FDE900010A00000100"));
        assertError(2, 4, msg(1, "04FDE9005A0A000001040102AAAA"));
        assertError(2, 0, msg(1, "04FDE9005A0A0000010502020100"));
    }

    @Test
    void updateStructureErrorsResetTheSession() {
        assertError(3, 1, msg(2, "00050000"));
        assertError(3, 1, msg(2, "0000000540010100"));
        assertError(3, 10, update("", ORIGIN + AS_PATH + NEXT_HOP, "210A000000"));
        assertError(3, 10, update("", ORIGIN + AS_PATH + NEXT_HOP, "180A01"));
        // an attribute whose optional bit is clear but which we do not know
        BgpError wk = error(update("", ORIGIN + AS_PATH + NEXT_HOP + "40630100", NLRI));
        assertEquals(3, wk.code());
        assertEquals(2, wk.subcode());
        assertArrayEquals(MessageCodec.fromHex("40630100"), wk.data());
        // a repeated MP_REACH_NLRI
        String mp = "800E0900010104" + "0A000001" + "00";
        assertError(3, 1, update("", ORIGIN + AS_PATH + mp + mp, ""));
        assertError(3, 9, update("", ORIGIN + AS_PATH + "800E020001", ""));
    }

    @Test
    void treatAsWithdraw() throws BgpError {
        String[] bad = {
            "40010103",                 // ORIGIN 3
            "4001020000",               // ORIGIN length 2
            "40020602010000FDE9" + "", // (valid, replaced below)
        };
        Update u = decode(update("", bad[0] + AS_PATH + NEXT_HOP, NLRI));
        assertTrue(u.treatAsWithdraw());
        assertEquals(BgpError.INVALID_ORIGIN, u.errors().get(0).subcode());
        assertEquals(List.of(Prefix.parse("10.1.0.0/24")), u.nlri(), "the prefixes are still there, to withdraw");
        assertTrue(decode(update("", bad[1] + AS_PATH + NEXT_HOP, NLRI)).treatAsWithdraw());
        // AS_PATH with segment type 5, or a count overrunning the attribute
        assertTrue(decode(update("", ORIGIN + "40020605010000FDE9" + NEXT_HOP, NLRI)).treatAsWithdraw());
        assertTrue(decode(update("", ORIGIN + "40020602020000FDE9" + NEXT_HOP, NLRI)).treatAsWithdraw());
        // NEXT_HOP of 5 octets
        assertTrue(decode(update("", ORIGIN + AS_PATH + "4003050A00000100", NLRI)).treatAsWithdraw());
        // missing well-known attributes
        Update missing = decode(update("", AS_PATH + NEXT_HOP, NLRI));
        assertTrue(missing.treatAsWithdraw());
        assertEquals(BgpError.MISSING_WELL_KNOWN, missing.errors().get(0).subcode());
        assertTrue(decode(update("", ORIGIN + AS_PATH, NLRI)).treatAsWithdraw());
        // COMMUNITIES, LARGE_COMMUNITY, ORIGINATOR_ID, CLUSTER_LIST, MED, LOCAL_PREF of bad length
        for (String a : List.of("C00803000001", "C0200B0000000100000002000000", "80090300000A", "800A03000000",
                "8004030000", "4005020000")) {
            Update x = decode(update("", ORIGIN + AS_PATH + NEXT_HOP + a, NLRI));
            assertTrue(x.treatAsWithdraw(), a);
            assertEquals(AttributeError.Action.TREAT_AS_WITHDRAW, x.errors().get(0).action());
        }
        // an attribute overrunning the attribute field, no MP attribute seen: treat-as-withdraw
        assertTrue(decode(update("", ORIGIN + AS_PATH + "40030A0A000001", NLRI)).treatAsWithdraw());
    }

    @Test
    void attributeDiscard() throws BgpError {
        Update a = decode(update("", ORIGIN + AS_PATH + NEXT_HOP + "40060100", NLRI));
        assertFalse(a.treatAsWithdraw());
        assertFalse(a.attributes().has(PathAttributes.ATOMIC_AGGREGATE));
        assertEquals(AttributeError.Action.ATTRIBUTE_DISCARD, a.errors().get(0).action());
        Update g = decode(update("", ORIGIN + AS_PATH + NEXT_HOP + "C00703000001", NLRI));
        assertFalse(g.treatAsWithdraw());
        assertFalse(g.attributes().has(PathAttributes.AGGREGATOR));
        // a repeated ORIGIN: the first counts
        Update d = decode(update("", ORIGIN + "40010102" + AS_PATH + NEXT_HOP, NLRI));
        assertFalse(d.treatAsWithdraw());
        assertEquals(PathAttributes.ORIGIN_IGP, d.attributes().origin());
        // LOCAL_PREF from an external peer is ignored
        Update e = (Update) MessageCodec.decode(update("", ORIGIN + AS_PATH + NEXT_HOP + "4005040000000A", NLRI),
                new DecodeContext(true, false));
        assertFalse(e.attributes().has(PathAttributes.LOCAL_PREF));
    }

    @Test
    void mpAttributeOverrunIsASessionReset() {
        String mp = "800E0900010104" + "0A000001" + "00";
        assertError(3, 1, update("", ORIGIN + mp + "40030A0A000001", ""));
    }

    @Test
    void unknownOptionalTransitiveIsKeptAndNonTransitiveToo() throws BgpError {
        Update u = decode(update("", ORIGIN + AS_PATH + NEXT_HOP + "C0630201028064020304", NLRI));
        assertEquals(2, u.attributes().others().size());
        assertFalse(u.attributes().others().get(1).transitive());
        RawAttribute t = u.attributes().others().get(0);
        assertEquals(0x63, t.type());
        assertTrue(t.transitive());
        assertFalse(u.treatAsWithdraw());
    }

    @Test
    void fourOctetAsOverTwoOctetSession() throws BgpError {
        DecodeContext old = new DecodeContext(false, false);
        // AS_PATH [65001 23456] (2-octet), AS4_PATH [4200000000]
        String asPath = "40020602020000FDE9" .replace("0602020000FDE9", "060202FDE95BA0");
        String as4 = "C0110602010FA56EA00".substring(0, 18) ;
        as4 = "C01106020" + "1FA56EA00";
        byte[] m = update("", ORIGIN + asPath + NEXT_HOP + as4, NLRI);
        Update u = (Update) MessageCodec.decode(m, old);
        assertEquals("65001 4200000000", u.attributes().asPath().toString());
        // and we encode AS_TRANS plus AS4_PATH for such a peer, which decodes back to the same path
        PathAttributes a = new PathAttributes.Builder().origin(0).asPath(AsPath.sequence(65001, 4200000000L))
                .nextHop(0x0a000001).aggregator(4200000001L, 0x0a000002).build();
        byte[] enc = MessageCodec.encode(Update.announce(a, List.of(Prefix.parse("10.1.0.0/24"))), old);
        String hex = MessageCodec.toHex(enc);
        assertTrue(hex.contains("FDE95BA0"), "AS_TRANS in AS_PATH: " + hex);
        Update back = (Update) MessageCodec.decode(enc, old);
        assertEquals("65001 4200000000", back.attributes().asPath().toString());
        assertEquals(4200000001L, back.attributes().aggregatorAs());
    }

    @Test
    void notificationsAndRouteRefreshRoundTrip() throws BgpError {
        Notification n = Notification.cease(BgpError.ADMIN_SHUTDOWN, "maintenance window");
        Notification back = (Notification) MessageCodec.decode(MessageCodec.encode(n, IBGP), IBGP);
        assertEquals("maintenance window", back.shutdownCommunication());
        RouteRefresh rr = new RouteRefresh(2, 0, 1);
        assertEquals(rr, MessageCodec.decode(MessageCodec.encode(rr, IBGP), IBGP));
    }
}
