package dev.lattice.spi.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class IpPrefixTest {
    @Test
    void parsesAndRejectsHostBitsWithTheNetworkItMeant() {
        assertEquals("10.244.1.0/24", IpPrefix.parse("10.244.1.0/24").toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IpPrefix.parse("10.244.1.7/24"));
        assertTrue(e.getMessage().contains("the network is 10.244.1.0/24"), e.getMessage());
        assertEquals("10.0.0.1/32", IpPrefix.parse("10.0.0.1").toString());
        assertEquals("fd00::/64", IpPrefix.parse("fd00:0::/64").toString());
        assertThrows(IllegalArgumentException.class, () -> IpPrefix.parse("10.0.0.0/33"));
        assertThrows(IllegalArgumentException.class, () -> IpPrefix.parse("10.0.0.0/"));
        assertThrows(IllegalArgumentException.class, () -> IpPrefix.parse("10.0.0.0/-1"));
    }

    @Test
    void containmentAndIndexing() {
        IpPrefix p = IpPrefix.parse("10.244.1.0/24");
        assertTrue(p.contains(IpAddress.parse("10.244.1.255")));
        assertFalse(p.contains(IpAddress.parse("10.244.2.0")));
        assertFalse(p.contains(IpAddress.parse("::1")));
        assertTrue(IpPrefix.parse("10.244.0.0/16").contains(p));
        assertFalse(p.contains(IpPrefix.parse("10.244.0.0/16")));
        assertEquals(IpAddress.parse("10.244.1.1"), p.address(1));
        assertThrows(IllegalArgumentException.class, () -> p.address(256));
        assertEquals(IpAddress.parse("fd00::a"), IpPrefix.parse("fd00::/64").address(10));
        assertEquals(IpPrefix.parse("10.244.1.0/24"), IpPrefix.containing(IpAddress.parse("10.244.1.77"), 24));
    }
}
