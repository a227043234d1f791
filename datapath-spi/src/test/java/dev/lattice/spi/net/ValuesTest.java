package dev.lattice.spi.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lattice.spi.policy.PortMatch;
import dev.lattice.spi.routing.NextHop;
import dev.lattice.spi.routing.Route;
import dev.lattice.spi.service.Endpoint;
import dev.lattice.spi.service.SessionAffinity;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ValuesTest {
    @Test
    void macAddresses() {
        assertEquals("0a:1b:2c:3d:4e:5f", MacAddress.parse("0A-1B-2C-3D-4E-5F").toString());
        assertThrows(IllegalArgumentException.class, () -> MacAddress.parse("0a:1b:2c:3d:4e"));
        assertThrows(IllegalArgumentException.class, () -> MacAddress.parse("0a:1b:2c:3d:4e:zz"));
    }

    @Test
    void protocols() {
        assertEquals(Protocol.SCTP, Protocol.parse("sctp"));
        assertEquals(17, Protocol.UDP.number());
        assertThrows(IllegalArgumentException.class, () -> Protocol.parse("ICMP"));
    }

    @Test
    void valuesValidateAndAreImmutable() {
        List<NextHop> hops = new ArrayList<>(List.of(NextHop.via(IpAddress.parse("192.0.2.1"))));
        Route r = new Route(IpPrefix.parse("10.244.2.0/24"), hops, 0);
        hops.clear();
        assertEquals(1, r.nextHops().size(), "a route keeps its own copy of the next hops");
        assertThrows(IllegalArgumentException.class,
                () -> new Route(IpPrefix.parse("10.244.2.0/24"), List.of(NextHop.via(IpAddress.parse("::1"))), 0));
        assertThrows(IllegalArgumentException.class, () -> new Route(IpPrefix.parse("10.0.0.0/8"), List.of(), 0));
        assertThrows(IllegalArgumentException.class,
                () -> new Endpoint(IpAddress.parse("10.0.0.1"), 0, "", false, true, true, false));
        assertThrows(IllegalArgumentException.class, () -> new SessionAffinity(true, 0));
        assertEquals(80, new PortMatch(Protocol.TCP, 80, 0).endPort());
        assertThrows(IllegalArgumentException.class, () -> new PortMatch(Protocol.TCP, 90, 80));
    }
}
