package dev.lattice.datapath.bridge;

import static dev.lattice.datapath.bridge.CniTestBed.in;
import static dev.lattice.datapath.bridge.CniTestBed.tryIn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lattice.core.ipam.Ipam;
import dev.lattice.core.ipam.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Kernel tier: the C plugin, the CNI server, IPAM and linux-bridge inside a throwaway node namespace. */
class LinuxBridgeCniTest {
    private CniTestBed bed;

    @BeforeEach
    void setUp() throws Exception {
        bed = new CniTestBed("10.77.0.0/24", "fd77::/64").start();
    }

    @AfterEach
    void tearDown() {
        bed.close();
    }

    private static List<Map<String, Object>> ips(CniTestBed.Out r) {
        List<Map<String, Object>> l = new ArrayList<>();
        Json.asArray(r.json().get("ips")).forEach(o -> l.add(Json.asObject(o)));
        return l;
    }

    private static String addr(CniTestBed.Out r, int i) {
        String a = (String) ips(r).get(i).get("address");
        return a.substring(0, a.indexOf('/'));
    }

    @Test
    void podsGetAddressesRoutesAndReachEachOtherAndTheGateway() throws Exception {
        String p1 = bed.newPod();
        String p2 = bed.newPod();
        CniTestBed.Out r1 = bed.cni("ADD", "c1", p1, "eth0", bed.netconf());
        CniTestBed.Out r2 = bed.cni("ADD", "c2", p2, "eth0", bed.netconf());
        assertEquals(0, r1.exit(), r1.stdout());
        assertEquals(0, r2.exit(), r2.stdout());
        assertEquals("10.77.0.2/24", ips(r1).get(0).get("address"));
        assertEquals("10.77.0.1", ips(r1).get(0).get("gateway"));
        assertEquals("fd77::2/64", ips(r1).get(1).get("address"));
        assertEquals("10.77.0.3/24", ips(r2).get(0).get("address"));

        // independent checks: ip -j / bridge -j
        String podAddrs = in(p1, "ip", "-j", "addr", "show", "eth0");
        assertTrue(podAddrs.contains("\"local\":\"10.77.0.2\"") && podAddrs.contains("\"local\":\"fd77::2\""), podAddrs);
        assertTrue(podAddrs.contains("\"mtu\":1500"), podAddrs);
        String routes = in(p1, "ip", "-j", "route", "show", "default");
        assertTrue(routes.contains("\"gateway\":\"10.77.0.1\"") && routes.contains("\"dev\":\"eth0\""), routes);
        String routes6 = in(p1, "ip", "-6", "-j", "route", "show", "default");
        assertTrue(routes6.contains("\"gateway\":\"fd77::1\""), routes6);
        String brAddrs = in(bed.nodeName, "ip", "-j", "addr", "show", "lattice0");
        assertTrue(brAddrs.contains("\"local\":\"10.77.0.1\"") && brAddrs.contains("\"local\":\"fd77::1\""), brAddrs);
        String host1 = LinuxBridgeDatapath.hostInterfaceName("c1", "eth0");
        String ports = in(bed.nodeName, "bridge", "-j", "-d", "link", "show");
        assertTrue(ports.contains("\"ifname\":\"" + host1 + "\"") && ports.contains("\"master\":\"lattice0\""), ports);
        assertTrue(ports.contains("\"hairpin\":true"), ports);
        assertEquals("1", in(bed.nodeName, "sysctl", "-n", "net.ipv4.ip_forward").trim());
        assertEquals("1", in(bed.nodeName, "sysctl", "-n", "net.bridge.bridge-nf-call-iptables").trim());

        // traffic: ping pod<->pod, pod->gateway, IPv6, TCP
        in(p1, "ping", "-c", "1", "-W", "2", "10.77.0.3");
        in(p2, "ping", "-c", "1", "-W", "2", "10.77.0.2");
        in(p1, "ping", "-c", "1", "-W", "2", "10.77.0.1");
        in(p1, "ping", "-6", "-c", "1", "-W", "2", "fd77::3");
        in(p1, "ping", "-6", "-c", "1", "-W", "2", "fd77::1");
        Process server = new ProcessBuilder("ip", "netns", "exec", p2, "socat", "-T", "5", "TCP-LISTEN:7777,reuseaddr",
                "SYSTEM:echo hello-from-pod2").start();
        try {
            String got = "";
            for (int i = 0; i < 50 && !got.contains("hello"); i++) {
                got = tryIn(p1, "socat", "-T", "2", "-", "TCP:10.77.0.3:7777,connect-timeout=1").stdout();
                if (!got.contains("hello")) Thread.sleep(100);
            }
            assertTrue(got.contains("hello-from-pod2"), "TCP pod1 -> pod2: " + got);
        } finally {
            server.destroy();
            server.waitFor(5, TimeUnit.SECONDS);
        }
        // the node itself reaches a pod through the bridge
        in(bed.nodeName, "ping", "-c", "1", "-W", "2", "10.77.0.2");
    }

    @Test
    void addIsIdempotentCheckFindsARemovedAddressDelTwiceIsFine() throws Exception {
        String p = bed.newPod();
        CniTestBed.Out a = bed.cni("ADD", "c1", p, "eth0", bed.netconf());
        CniTestBed.Out again = bed.cni("ADD", "c1", p, "eth0", bed.netconf());
        assertEquals(0, again.exit(), again.stdout());
        assertEquals(addr(a, 0), addr(again, 0));
        assertEquals(1, bed.ipam.allocations().size());

        CniTestBed.Out check = bed.cni("CHECK", "c1", p, "eth0", bed.netconf());
        assertEquals(0, check.exit(), check.stdout());
        assertEquals("", check.stdout());

        in(p, "ip", "addr", "del", "10.77.0.2/24", "dev", "eth0");
        CniTestBed.Out bad = bed.cni("CHECK", "c1", p, "eth0", bed.netconf());
        assertEquals(1, bad.exit());
        assertEquals(101, bad.code());
        assertTrue(bad.stdout().contains("address 10.77.0.2/24 is missing"), bad.stdout());

        in(p, "ip", "addr", "add", "10.77.0.2/24", "dev", "eth0");
        in(bed.nodeName, "ip", "link", "set", LinuxBridgeDatapath.hostInterfaceName("c1", "eth0"), "type", "bridge_slave",
                "hairpin", "off");
        CniTestBed.Out hairpin = bed.cni("CHECK", "c1", p, "eth0", bed.netconf());
        assertTrue(hairpin.stdout().contains("hairpin mode off"), hairpin.stdout());
        in(bed.nodeName, "sysctl", "-q", "-w", "net.ipv4.ip_forward=0");
        CniTestBed.Out fwd = bed.cni("CHECK", "c1", p, "eth0", bed.netconf());
        assertTrue(fwd.stdout().contains("ip_forward"), fwd.stdout());

        String host = LinuxBridgeDatapath.hostInterfaceName("c1", "eth0");
        assertTrue(bed.nodeVeths().contains(host));
        assertEquals(0, bed.cni("DEL", "c1", p, "eth0", bed.netconf()).exit());
        assertFalse(bed.nodeVeths().contains(host));
        assertTrue(tryIn(p, "ip", "link", "show", "eth0").exit() != 0, "pod end removed with the pair");
        assertEquals(0, bed.ipam.allocations().size());
        CniTestBed.Out del2 = bed.cni("DEL", "c1", p, "eth0", bed.netconf());
        assertEquals(0, del2.exit(), del2.stdout());
        // DEL after the pod's namespace is gone, and of a container never seen
        assertEquals(0, bed.cni("DEL", "never-seen", null, "eth0", bed.netconf()).exit());
        CniTestBed.Out check3 = bed.cni("CHECK", "c1", p, "eth0", bed.netconf());
        assertEquals(3, check3.code());
    }

    @Test
    void gcReleasesEverythingNotValidAndRestartKeepsState() throws Exception {
        List<String> pods = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String p = bed.newPod();
            pods.add(p);
            assertEquals(0, bed.cni("ADD", "g" + i, p, "eth0", bed.netconf()).exit());
        }
        // restart: the server reloads its state
        bed.stopServer();
        bed.start();
        assertEquals(3, bed.ipam.allocations().size());
        assertEquals(0, bed.cni("CHECK", "g1", pods.get(1), "eth0", bed.netconf()).exit());

        Map<String, Object> conf = Json.asObject(Json.parse(bed.netconf("1.1.0")));
        conf.put("cni.dev/valid-attachments", List.of(Map.of("containerID", "g1", "ifname", "eth0")));
        CniTestBed.Out gc = bed.cni("GC", null, null, null, Json.write(conf));
        assertEquals(0, gc.exit(), gc.stdout());
        assertEquals(List.of(new Ipam.Key("g1", "eth0")), List.copyOf(bed.ipam.allocations().keySet()));
        assertEquals(List.of(LinuxBridgeDatapath.hostInterfaceName("g1", "eth0")), bed.nodeVeths());
        in(pods.get(1), "ping", "-c", "1", "-W", "2", "10.77.0.1");
        CniTestBed.Out status = bed.cni("STATUS", null, null, null, bed.netconf("1.1.0"));
        assertEquals(0, status.exit(), status.stdout());
    }

    @Test
    void delAfterThePodNamespaceIsGoneAndWithoutNetns() throws Exception {
        String p = bed.newPod();
        assertEquals(0, bed.cni("ADD", "gone1", p, "eth0", bed.netconf()).exit());
        assertTrue(in(bed.nodeName, "ip", "-j", "route").contains("\"dst\":\"10.77.0.2\""), "node host route");
        bed.deletePod(p); // the runtime removed the sandbox first: the pair goes with the namespace
        for (int i = 0; i < 50 && !bed.nodeVeths().isEmpty(); i++) Thread.sleep(20);
        assertTrue(bed.nodeVeths().isEmpty(), bed.nodeVeths().toString());
        CniTestBed.Out del = bed.cni("DEL", "gone1", p, "eth0", bed.netconf());
        assertEquals(0, del.exit(), del.stdout());
        assertTrue(bed.ipam.allocations().isEmpty());
        assertFalse(in(bed.nodeName, "ip", "-j", "route").contains("\"dst\":\"10.77.0.2\""), "host route removed");
        // DEL without CNI_NETNS (allowed by the spec)
        String q = bed.newPod();
        assertEquals(0, bed.cni("ADD", "gone2", q, "eth0", bed.netconf()).exit());
        assertEquals(0, bed.cni("DEL", "gone2", null, "eth0", bed.netconf()).exit());
        assertTrue(bed.nodeVeths().isEmpty());
    }

    @Test
    void concurrentAddsNeverShareAnAddress() throws Exception {
        int n = 12;
        List<String> pods = new ArrayList<>();
        for (int i = 0; i < n; i++) pods.add(bed.newPod());
        String conf = bed.netconf();
        List<CniTestBed.Out> outs = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int k = i;
            outs.add(null);
            Thread t = new Thread(() -> {
                CniTestBed.Out o = bed.cni("ADD", "p" + k, pods.get(k), "eth0", conf);
                synchronized (outs) {
                    outs.set(k, o);
                }
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) t.join(60_000);
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (CniTestBed.Out o : outs) {
            assertEquals(0, o.exit(), o.stdout());
            assertTrue(seen.add(addr(o, 0)), "address handed out twice: " + addr(o, 0));
        }
        assertEquals(n, bed.nodeVeths().size());
        in(pods.get(0), "ping", "-c", "1", "-W", "2", addr(outs.get(n - 1), 0));
    }

    @Test
    void hairpinCanBeTurnedOffAndMtuIsApplied() throws Exception {
        bed.stopServer();
        bed.ipam = new Ipam(bed.dir.resolve("ipam/ipam.json"), () -> bed.cidrs, false);
        bed.bridge = new LinuxBridgeDatapath(bed.netns,
                BridgeSettings.defaults().withNodeNamespace(bed.nodeName).withHairpin(false));
        bed.selection = new dev.lattice.core.cni.StaticPodNetworkSelection().add(LinuxBridgeDatapath.NAME, bed.bridge);
        bed.server = new dev.lattice.core.cni.CniServer(bed.settings().withMtu(1400), bed.selection, bed.ipam);
        bed.server.start();
        String p = bed.newPod();
        CniTestBed.Out r = bed.cni("ADD", "h1", p, "eth0", bed.netconf());
        assertEquals(0, r.exit(), r.stdout());
        assertTrue(in(p, "ip", "-j", "link", "show", "eth0").contains("\"mtu\":1400"));
        String ports = in(bed.nodeName, "bridge", "-j", "-d", "link", "show");
        assertTrue(ports.contains("\"hairpin\":false"), ports);
        assertNotEquals("", bed.server.settings().socket().toString());
    }
}
