package dev.lattice.core.ipam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lattice.spi.net.IpAddress;
import dev.lattice.spi.net.IpPrefix;
import dev.lattice.spi.pod.InterfaceAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IpamTest {
    @TempDir
    Path dir;

    private Ipam ipam(String... cidrs) {
        List<IpPrefix> l = IpamComponent.parseCidrs(List.of(cidrs));
        return new Ipam(dir.resolve("ipam.json"), () -> l, true);
    }

    private static Ipam.Key key(String id) {
        return new Ipam.Key(id, "eth0");
    }

    @Test
    void dualStackAllocationWithGatewayFirstAddress() {
        Ipam ipam = ipam("fd00:10::/64", "10.1.0.0/24");
        List<InterfaceAddress> a = ipam.allocate(key("a"));
        assertEquals(2, a.size());
        assertEquals(IpAddress.parse("10.1.0.2"), a.get(0).address());
        assertEquals(24, a.get(0).prefixLength());
        assertEquals(IpAddress.parse("10.1.0.1"), a.get(0).gateway());
        assertEquals(IpAddress.parse("fd00:10::2"), a.get(1).address());
        assertEquals(IpAddress.parse("fd00:10::1"), a.get(1).gateway());
        assertEquals(List.of(IpAddress.parse("10.1.0.1"), IpAddress.parse("fd00:10::1")), ipam.gateways());
    }

    @Test
    void idempotentPerContainerAndInterfaceAndReleasedOnDelete() {
        Ipam ipam = ipam("10.1.0.0/24");
        List<InterfaceAddress> a = ipam.allocate(key("a"));
        assertEquals(a, ipam.allocate(key("a")));
        List<InterfaceAddress> b = ipam.allocate(new Ipam.Key("a", "net1"));
        assertNotEquals(a, b);
        assertTrue(ipam.release(key("a")));
        assertFalse(ipam.release(key("a")));
        assertTrue(ipam.lookup(key("a")).isEmpty());
        // round robin: the released address is not reused at once
        assertEquals(IpAddress.parse("10.1.0.4"), ipam.allocate(key("c")).get(0).address());
    }

    @Test
    void stateSurvivesARestartAndIsWrittenAtomically() throws Exception {
        Ipam first = ipam("10.1.0.0/24");
        first.allocate(key("a"));
        first.allocate(key("b"));
        Ipam second = ipam("10.1.0.0/24");
        assertEquals(first.allocations(), second.allocations());
        assertEquals(IpAddress.parse("10.1.0.4"), second.allocate(key("c")).get(0).address());
        try (var s = Files.list(dir)) {
            assertEquals(List.of("ipam.json"), s.map(p -> p.getFileName().toString()).toList(), "no temporary file left");
        }
    }

    @Test
    void exhaustionIsAClearErrorAndAllOrNothing() {
        Ipam ipam = ipam("10.1.0.0/30", "fd00::/64");
        assertTrue(ipam.exhaustedPools().isEmpty());
        ipam.allocate(key("a")); // 10.1.0.2 is the only pod address of a /30
        assertEquals(List.of(IpPrefix.parse("10.1.0.0/30")), ipam.exhaustedPools());
        IpamException e = assertThrows(IpamException.class, () -> ipam.allocate(key("b")));
        assertTrue(e.exhausted());
        assertTrue(e.getMessage().contains("10.1.0.0/30 is exhausted"), e.getMessage());
        assertEquals(1, ipam.allocations().size());
        ipam.release(key("a"));
        assertEquals(IpAddress.parse("10.1.0.2"), ipam.allocate(key("b")).get(0).address());
    }

    @Test
    void gcRetainsOnlyValidAttachments() {
        Ipam ipam = ipam("10.1.0.0/24");
        for (String id : List.of("a", "b", "c")) ipam.allocate(key(id));
        assertEquals(List.of(key("a"), key("c")), ipam.retainOnly(Set.of(key("b"))));
        assertEquals(Set.of(key("b")), ipam.allocations().keySet());
    }

    @Test
    void concurrentAllocationsNeverShareAnAddress() throws Exception {
        Ipam ipam = ipam("10.1.0.0/22");
        ExecutorService pool = Executors.newFixedThreadPool(16);
        ConcurrentLinkedQueue<IpAddress> got = new ConcurrentLinkedQueue<>();
        for (int i = 0; i < 500; i++) {
            int k = i;
            pool.execute(() -> got.add(ipam.allocate(key("c" + k)).get(0).address()));
        }
        pool.shutdown();
        assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS));
        assertEquals(500, got.size());
        assertEquals(500, new HashSet<>(got).size());
    }

    @Test
    void badSettingsAreRejectedWithTheReason() {
        assertThrows(IllegalArgumentException.class, () -> IpamComponent.parseCidrs("10.0.0.0/33"));
        IpamException two = assertThrows(IpamException.class, () -> IpamComponent.parseCidrs("10.0.0.0/24,10.1.0.0/24"));
        assertTrue(two.getMessage().contains("more than one IPv4"));
        assertThrows(IpamException.class, () -> IpamComponent.parseCidrs("10.0.0.0/31"));
        Ipam none = new Ipam(dir.resolve("x.json"), List::of, false);
        assertTrue(assertThrows(IpamException.class, () -> none.allocate(key("a"))).getMessage().contains("ipam.podCidrs"));
    }

    @Test
    void corruptStateIsReportedNotIgnored() throws Exception {
        Files.writeString(dir.resolve("ipam.json"), "{\"allocations\":[{\"containerId\":");
        IpamException e = assertThrows(IpamException.class, () -> ipam("10.1.0.0/24"));
        assertTrue(e.getMessage().contains("corrupt"));
    }

    @Test
    void jsonRoundTripAndStrictness() {
        Object v = Json.parse("{\"a\":[1,2.5,\"x\\n\\u0041\",true,null,{}]}");
        assertEquals("{\"a\":[1,2.5,\"x\\nA\",true,null,{}]}", Json.write(v));
        for (String bad : List.of("{", "[1,]", "{\"a\" 1}", "\"\u0001\"", "01x", "{} x", "[".repeat(100) + "]".repeat(100))) {
            assertThrows(Json.ParseException.class, () -> Json.parse(bad), bad);
        }
        List<Object> deep = new ArrayList<>();
        assertEquals("[]", Json.write(deep));
    }

    /** The admin endpoint's format: members one per line, arrays on one line. */
    @Test
    void jsonPretty() {
        Object v = Json.parse("{\"a\":{\"b\":[1,\"x\",{\"c\":true}],\"e\":{}},\"n\":null}");
        assertEquals("{\n  \"a\": {\n    \"b\": [1, \"x\", {\n      \"c\": true\n    }],\n    \"e\": {}\n  },\n"
                + "  \"n\": null\n}\n", Json.writePretty(v));
    }
}
