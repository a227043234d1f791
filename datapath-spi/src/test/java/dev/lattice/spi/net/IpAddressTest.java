package dev.lattice.spi.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpAddressTest {
    @ParameterizedTest
    @CsvSource({
        "10.0.0.1, 10.0.0.1",
        "2001:DB8:0:0:0:0:0:1, 2001:db8::1",
        "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
        "0:0:0:0:0:0:0:0, ::",
        "::1, ::1",
        "fe80:0:0:0:0:0:0:0, fe80::",
        "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
        "::ffff:10.1.2.3, ::ffff:10.1.2.3"
    })
    void canonicalText(String in, String out) {
        assertEquals(out, IpAddress.parse(in).toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "a.b.c.d", "1234",
        "example.com", "2001:db8::g", "::1%eth0", "[::1]", "1.2.3.-4"})
    void rejectsWhatIsNotALiteral(String in) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IpAddress.parse(in));
        assertTrue(e.getMessage().contains("IP") || e.getMessage().contains("IPv"), e.getMessage());
    }

    @Test
    void arithmeticAndOrder() {
        assertEquals(IpAddress.parse("10.0.1.0"), IpAddress.parse("10.0.0.255").plus(1));
        assertEquals(IpAddress.parse("2001:db8::1:0"), IpAddress.parse("2001:db8::ffff").plus(1));
        assertTrue(IpAddress.parse("10.0.0.2").compareTo(IpAddress.parse("10.0.0.10")) < 0);
        assertTrue(IpAddress.parse("255.0.0.0").compareTo(IpAddress.parse("::")) < 0, "IPv4 sorts before IPv6");
        assertEquals(IpFamily.IPV6, IpAddress.parse("::1").family());
        assertFalse(IpAddress.parse("::1").isIpv4());
    }

    @Test
    void bytesAreDefensivelyCopied() {
        byte[] b = {10, 0, 0, 1};
        IpAddress a = IpAddress.ofBytes(b);
        b[0] = 11;
        a.bytes()[1] = 9;
        assertEquals("10.0.0.1", a.toString());
    }
}
