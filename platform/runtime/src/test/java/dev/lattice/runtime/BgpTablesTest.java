package dev.lattice.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The tables of `lattice bgp neighbors|rib`, from the BGP plugin's documents. */
class BgpTablesTest {
    @Test
    void neighborsTable() {
        String json = "[{\"name\":\"n2\",\"address\":\"10.99.1.12\",\"remoteAs\":64512,\"localAs\":64512,"
                + "\"state\":\"Established\",\"since\":\"2026-11-27T02:49:32.450Z\",\"families\":\"[ipv4 unicast]\","
                + "\"prefixesReceived\":1,\"prefixesAdvertised\":2,\"updatesIn\":3,\"updatesOut\":4,"
                + "\"establishedTransitions\":1,\"routeReflectorClient\":false,\"lastError\":\"\"},"
                + "{\"name\":\"tor\",\"address\":\"10.99.1.1\",\"remoteAs\":64500,\"state\":\"Active\","
                + "\"since\":\"2026-11-27T01:40:00Z\",\"prefixesReceived\":0,\"prefixesAdvertised\":0,\"updatesIn\":0,"
                + "\"updatesOut\":0,\"lastError\":\"Cease/Administrative Shutdown\"}]";
        assertEquals("""
                PEER  ADDRESS     AS     STATE        FOR    RECEIVED  ADVERTISED  UPDATES IN/OUT  LAST ERROR
                n2    10.99.1.12  64512  Established  1m27s  1         2           3/4
                tor   10.99.1.1   64500  Active       1h10m  0         0           0/0             Cease/Administrative Shutdown
                """, BgpTables.neighbors(json, Instant.parse("2026-11-27T02:50:59.900Z")));
    }

    @Test
    void ribTableMarksTheBestPath() {
        String json = "[{\"prefix\":\"10.244.1.0/24\",\"paths\":[\"via 10.99.1.11 from n1 {origin=igp}\","
                + "\"via 10.99.1.1 from tor {origin=igp as-path=[64500 64512]}\"]},"
                + "{\"prefix\":\"10.96.0.80/32\",\"paths\":[\"via 0.0.0.0 from local {origin=igp as-path=[]}\"]}]";
        assertEquals("""
                PREFIX         PATH (best first)
                10.244.1.0/24  * via 10.99.1.11 from n1 {origin=igp}
                                 via 10.99.1.1 from tor {origin=igp as-path=[64500 64512]}
                10.96.0.80/32  * via 0.0.0.0 from local {origin=igp as-path=[]}
                """, BgpTables.rib(json));
    }

    @Test
    void somethingElseThanAListIsAClearError() {
        assertThrows(IllegalArgumentException.class, () -> BgpTables.rib("{\"error\":\"x\"}"));
    }
}
