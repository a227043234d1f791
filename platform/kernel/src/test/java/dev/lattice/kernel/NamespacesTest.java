package dev.lattice.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lattice.spi.kernel.AddressEntry;
import dev.lattice.spi.kernel.AlreadyExistsException;
import dev.lattice.spi.kernel.GenericNetlink;
import dev.lattice.spi.kernel.KernelException;
import dev.lattice.spi.kernel.LinkSettings;
import dev.lattice.spi.kernel.LinkSpec;
import dev.lattice.spi.kernel.Neighbour;
import dev.lattice.spi.kernel.NetNamespace;
import dev.lattice.spi.kernel.NetlinkEvent;
import dev.lattice.spi.kernel.NlAttribute;
import dev.lattice.spi.kernel.NotFoundException;
import dev.lattice.spi.kernel.RouteEntry;
import dev.lattice.spi.kernel.Rtnetlink;
import dev.lattice.spi.kernel.Subscription;
import dev.lattice.spi.net.IpAddress;
import dev.lattice.spi.net.IpPrefix;
import dev.lattice.spi.net.MacAddress;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class NamespacesTest extends KernelTestSupport {

    private static String inode(String path) throws Exception {
        return String.valueOf(Files.getAttribute(Path.of(path), "unix:ino"));
    }

    @Test
    void namedNamespacesAreIproute2Compatible() throws Exception {
        NetNamespace a = newNamespace();
        assertTrue(ok("ip", "netns", "list").contains(a.name()));
        assertTrue(netns.list().contains(a.name()));
        assertEquals(Path.of("/run/netns", a.name()), a.path());
        // the worker thread is inside the namespace, the caller's thread is not
        String inside = a.call(() -> inode("/proc/thread-self/ns/net"));
        assertEquals(inode("/run/netns/" + a.name()), inside);
        assertNotEquals(inside, inode("/proc/thread-self/ns/net"));
        assertEquals(inode("/proc/self/ns/net"), netns.host().call(() -> inode("/proc/thread-self/ns/net")));
        assertThrows(AlreadyExistsException.class, () -> netns.create(a.name()));

        // made by ip, opened by the library
        String other = unique("ltk-");
        deleteAfterwards(other);
        ok("ip", "netns", "add", other);
        try (NetNamespace o = netns.open(other)) {
            o.rtnetlink().createLink(LinkSpec.Bridge.of("ltk-obr"));
            assertTrue(ok("ip", "-n", other, "-j", "link").contains("ltk-obr"));
        }
        try (NetNamespace byPath = netns.open(Path.of("/run/netns", other))) {
            assertTrue(byPath.rtnetlink().link("ltk-obr").isPresent());
        }
        assertTrue(netns.delete(other));
        assertFalse(netns.delete(other));
        assertFalse(ok("ip", "netns", "list").contains(other));
        assertThrows(NotFoundException.class, () -> netns.open(other));
        KernelException notNs = assertThrows(KernelException.class, () -> netns.open(Path.of("/etc/hostname")));
        assertTrue(notNs.getMessage().contains("not a namespace file"), notNs.getMessage());
        KernelException mnt = assertThrows(KernelException.class, () -> netns.open(Path.of("/proc/self/ns/mnt")));
        assertTrue(mnt.getMessage().contains("not a network namespace"), mnt.getMessage());
        try (NetNamespace self = netns.open(Path.of("/proc/self/ns/net"))) {
            assertEquals("net", self.name());
        }
        assertThrows(IllegalArgumentException.class, () -> netns.create("a/b"));
        assertThrows(IllegalArgumentException.class, () -> netns.create(".."));
        assertThrows(IllegalArgumentException.class, () -> netns.create(""));
    }

    @Test
    void tasksInsideANamespaceMayUseItsNetlinkClients() throws Exception {
        NetNamespace a = newNamespace();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> f = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                int n = i;
                f.add(pool.submit(() -> n % 2 == 0
                        ? a.call(() -> a.rtnetlink().links().size())
                        : a.rtnetlink().links().size()));
            }
            for (Future<Integer> x : f) {
                assertEquals(1, x.get(10, TimeUnit.SECONDS)); // lo
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void closedHandlesFailCleanly() {
        NetNamespace a = newNamespace();
        NetNamespace again = netns.open(a.name());
        again.rtnetlink().links();
        again.close();
        again.close(); // idempotent
        KernelException e = assertThrows(KernelException.class, () -> again.rtnetlink().links());
        assertEquals("EBADF", e.errnoName(), e.getMessage());
        assertThrows(KernelException.class, () -> again.call(() -> 1));
        assertEquals(1, a.rtnetlink().links().size(), "other handles of the namespace still work");
    }

    @Test
    void sysctlPerNamespace() {
        NetNamespace a = newNamespace();
        NetNamespace b = newNamespace();
        a.sysctl().set("net.ipv4.ip_forward", "1");
        b.sysctl().set("net/ipv4/ip_forward", "0");
        assertEquals("1", a.sysctl().get("net.ipv4.ip_forward"));
        assertEquals("0", b.sysctl().get("net.ipv4.ip_forward"));
        assertEquals("net.ipv4.ip_forward = 1", in(a, "sysctl", "net.ipv4.ip_forward").strip());
        assertEquals("net.ipv4.ip_forward = 0", in(b, "sysctl", "net.ipv4.ip_forward").strip());
        a.rtnetlink().createLink(LinkSpec.Bridge.of("ltk-sb"));
        a.sysctl().set("net/ipv6/conf/ltk-sb/disable_ipv6", "1");
        assertEquals("1", in(a, "cat", "/proc/sys/net/ipv6/conf/ltk-sb/disable_ipv6").strip());
        assertThrows(NotFoundException.class, () -> a.sysctl().get("net.ipv4.no_such_key"));
        assertThrows(IllegalArgumentException.class, () -> a.sysctl().get("../etc/passwd"));
    }

    @Test
    void genericNetlinkFamilyLookup() {
        NetNamespace a = newNamespace();
        GenericNetlink g = a.genericNetlink();
        GenericNetlink.GenlFamily ctrl = g.family("nlctrl").orElseThrow();
        assertEquals(16, ctrl.id());
        assertEquals("nlctrl", ctrl.name());
        assertTrue(ctrl.multicastGroups().containsKey("notify"), ctrl.toString());
        assertTrue(g.family("ltk-no-such").isEmpty());

        // raw requests: CTRL_CMD_GETFAMILY (3) as a dump lists every family, nlctrl among them
        List<GenericNetlink.GenlMessage> all = g.request(ctrl, new GenericNetlink.GenlMessage(3, 1, List.of()), true);
        assertTrue(all.size() > 1);
        assertTrue(all.stream().anyMatch(m -> m.attribute(2).map(NlAttribute::string).orElse("").equals("nlctrl")));
        List<GenericNetlink.GenlMessage> one = g.request(ctrl, new GenericNetlink.GenlMessage(3, 1,
                List.of(NlAttribute.string(2, "nlctrl"))), false);
        assertEquals(1, one.size());
        assertEquals(16, one.get(0).attribute(1).orElseThrow().u16());
        assertTrue(one.get(0).attribute(7).orElseThrow().children().size() > 0, "multicast groups are nested");
        KernelException bad = assertThrows(KernelException.class,
                () -> g.request(ctrl, new GenericNetlink.GenlMessage(200, 1, List.of()), false));
        assertTrue(bad.getMessage().contains("nlctrl command 200"), bad.getMessage());
    }

    @Test
    void subscriptionsDeliverLinkAddressAndRouteEvents() throws Exception {
        NetNamespace a = newNamespace();
        BlockingQueue<NetlinkEvent> events = new LinkedBlockingQueue<>();
        try (Subscription sub = a.subscribe(EnumSet.allOf(NetlinkEvent.Kind.class), events::add)) {
            Rtnetlink r = a.rtnetlink();
            r.createLink(LinkSpec.Bridge.of("ltk-ev"));
            int idx = r.linkIndex("ltk-ev");
            r.setLink("ltk-ev", LinkSettings.create().up(true));
            r.addAddress(AddressEntry.of(idx, IpAddress.parse("10.96.0.1"), 24));
            r.addRoute(RouteEntry.to(IpPrefix.parse("10.95.0.0/16")).dev(idx));
            r.replaceNeighbour(Neighbour.permanent(idx, IpAddress.parse("10.96.0.9"), MacAddress.parse("02:00:00:00:00:09")));
            r.deleteLink("ltk-ev");
            boolean link = false;
            boolean addr = false;
            boolean route = false;
            boolean gone = false;
            boolean neigh = false;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!(link && addr && route && gone && neigh) && System.nanoTime() < deadline) {
                NetlinkEvent e = events.poll(100, TimeUnit.MILLISECONDS);
                if (e instanceof NetlinkEvent.LinkEvent le && "ltk-ev".equals(le.link().name())) {
                    link |= !le.removed();
                    gone |= le.removed();
                } else if (e instanceof NetlinkEvent.AddressEvent ae && ae.address().address().equals(IpAddress.parse("10.96.0.1"))) {
                    addr = true;
                } else if (e instanceof NetlinkEvent.NeighbourEvent ne && ne.neighbour().address().equals(IpAddress.parse("10.96.0.9"))) {
                    neigh = true;
                } else if (e instanceof NetlinkEvent.RouteEvent re && re.route().destination().equals(IpPrefix.parse("10.95.0.0/16"))) {
                    route = true;
                }
            }
            assertTrue(link && addr && route && gone && neigh,
                    "link " + link + " addr " + addr + " route " + route + " gone " + gone + " neighbour " + neigh);
            assertFalse(sub.overrun());
        }
    }

    private static int fds() {
        String[] l = new File("/proc/self/fd").list();
        return l == null ? -1 : l.length;
    }

    private static int threads() {
        String[] l = new File("/proc/self/task").list();
        return l == null ? -1 : l.length;
    }

    /** 100 namespaces configured concurrently, then removed: no fd and no thread leak. */
    @Test
    void hundredNamespacesConcurrentlyWithoutLeaks() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        // warm up class loading, the probe and the pool so that they do not count as leaks
        for (int i = 0; i < 8; i++) {
            pool.submit(() -> 0).get();
        }
        NetNamespace warm = newNamespace();
        warm.rtnetlink().links();
        removeNamespaces();
        int fdsBefore = fds();
        int threadsBefore = threads();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            names.add(unique("ltk-"));
            deleteAfterwards(names.get(i));
        }
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                String name = names.get(i);
                int n = i;
                results.add(pool.submit(() -> {
                    try (NetNamespace ns = netns.create(name)) {
                        Rtnetlink r = ns.rtnetlink();
                        r.setLink("lo", LinkSettings.create().up(true));
                        r.createLink(LinkSpec.Veth.of("ltk-c0", "ltk-c1"));
                        r.setLink("ltk-c0", LinkSettings.create().up(true));
                        r.setLink("ltk-c1", LinkSettings.create().up(true));
                        int idx = r.linkIndex("ltk-c0");
                        r.addAddress(AddressEntry.of(idx, IpAddress.parse("10.94." + n + ".1"), 24));
                        r.addRoute(RouteEntry.to(IpPrefix.parse("10.93." + n + ".0/24")).via(IpAddress.parse("10.94." + n + ".2"), idx));
                        ns.sysctl().set("net.ipv4.ip_forward", "1");
                        if (n % 10 == 0) { // some with an event subscription (a socket and a thread more)
                            try (Subscription sub = ns.subscribe(EnumSet.of(NetlinkEvent.Kind.LINK), e -> { })) {
                                assertFalse(sub.overrun());
                                r.setLink("ltk-c1", LinkSettings.create().mtu(1400));
                            }
                        }
                        return r.routes(null, RouteEntry.TABLE_MAIN).size() + "/" + ns.sysctl().get("net.ipv4.ip_forward");
                    }
                }));
            }
            for (Future<String> f : results) {
                String s = f.get(60, TimeUnit.SECONDS);
                assertTrue(s.endsWith("/1"), s);
            }
            // spot-check with ip
            String j = ok("ip", "-n", names.get(42), "-j", "route", "show", "10.93.42.0/24");
            assertTrue(j.contains("10.94.42.2"), j);
        } finally {
            for (String n : names) {
                netns.delete(n);
            }
            pool.shutdown();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
        assertEquals(fdsBefore, fds(), "file descriptors leaked");
        // the pool's 8 threads are gone too; every namespace worker must have ended
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (threads() > threadsBefore - 8 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(threads() <= threadsBefore - 8, "threads before " + threadsBefore + " (8 pool), after " + threads());
        for (String n : names) {
            assertFalse(Files.exists(Path.of("/run/netns", n)));
        }
    }
}
