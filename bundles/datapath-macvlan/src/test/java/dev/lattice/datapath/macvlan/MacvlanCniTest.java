package dev.lattice.datapath.macvlan;

import static dev.lattice.datapath.macvlan.CniTestBed.in;
import static dev.lattice.datapath.macvlan.CniTestBed.links;
import static dev.lattice.datapath.macvlan.CniTestBed.tryIn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lattice.core.ipam.Json;
import dev.lattice.datapath.bridge.LinuxBridgeDatapath;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Kernel tier: macvlan pods through the C plugin and the CNI server; bridge → macvlan swap. */
class MacvlanCniTest {
    private CniTestBed bed;

    @BeforeEach
    void setUp() throws Exception {
        bed = new CniTestBed("10.81.0.0/24", "fd81::/64");
    }

    @AfterEach
    void tearDown() {
        bed.close();
    }

    private static String addr(CniTestBed.Out o) {
        String a = (String) Json.asObject(Json.asArray(o.json().get("ips")).get(0)).get("address");
        return a.substring(0, a.indexOf('/'));
    }

    @Test
    void macvlanPodsReachEachOtherTheGatewayAndTheNode() throws Exception {
        bed.start(MacvlanDatapath.NAME);
        String p1 = bed.newPod();
        String p2 = bed.newPod();
        CniTestBed.Out r1 = bed.cni("ADD", "m1", p1, "eth0", bed.netconf());
        CniTestBed.Out r2 = bed.cni("ADD", "m2", p2, "eth0", bed.netconf());
        assertEquals(0, r1.exit(), r1.stdout());
        assertEquals(0, r2.exit(), r2.stdout());
        String link = in(p1, "ip", "-j", "-d", "link", "show", "eth0");
        assertTrue(link.contains("\"info_kind\":\"macvlan\"") && link.contains("\"mode\":\"bridge\""), link);
        assertTrue(in(p1, "ip", "-j", "addr", "show", "eth0").contains("\"local\":\"10.81.0.2\""));
        assertTrue(in(p1, "ip", "-j", "route", "show", "default").contains("\"gateway\":\"10.81.0.1\""));
        assertTrue(in(bed.nodeName, "ip", "-j", "addr", "show", "lattice-mv0").contains("\"local\":\"10.81.0.1\""));
        assertTrue(links(bed.nodeName, "macvlan").equals(List.of("lattice-mv0")), "pod macvlans left the node");
        in(p1, "ping", "-c", "1", "-W", "2", addr(r2));
        in(p1, "ping", "-c", "1", "-W", "2", "10.81.0.1");
        in(p2, "ping", "-6", "-c", "1", "-W", "3", "fd81::2");
        in(bed.nodeName, "ping", "-c", "1", "-W", "2", addr(r1));
        Process server = new ProcessBuilder("ip", "netns", "exec", p2, "socat", "-T", "5", "TCP-LISTEN:7777,reuseaddr",
                "SYSTEM:echo hello-macvlan").start();
        try {
            String got = "";
            for (int i = 0; i < 50 && !got.contains("hello"); i++) {
                got = tryIn(p1, "socat", "-T", "2", "-", "TCP:" + addr(r2) + ":7777,connect-timeout=1").stdout();
                if (!got.contains("hello")) Thread.sleep(100);
            }
            assertTrue(got.contains("hello-macvlan"), got);
        } finally {
            server.destroy();
            server.waitFor(5, TimeUnit.SECONDS);
        }

        assertEquals(0, bed.cni("CHECK", "m1", p1, "eth0", bed.netconf()).exit());
        in(p1, "ip", "addr", "del", "10.81.0.2/24", "dev", "eth0");
        CniTestBed.Out bad = bed.cni("CHECK", "m1", p1, "eth0", bed.netconf());
        assertEquals(101, bad.code(), bad.stdout());
        assertTrue(bad.stdout().contains("10.81.0.2/24 is missing"), bad.stdout());
        assertEquals(0, bed.cni("DEL", "m1", p1, "eth0", bed.netconf()).exit());
        assertTrue(tryIn(p1, "ip", "link", "show", "eth0").exit() != 0);
        assertEquals(0, bed.cni("DEL", "m1", p1, "eth0", bed.netconf()).exit(), "DEL twice");
        assertFalse(in(bed.nodeName, "ip", "-j", "route").contains("\"dst\":\"10.81.0.2\""), "host route removed");
    }

    @Test
    void missingParentIsAClearError() throws Exception {
        bed.start(LinuxBridgeDatapath.NAME);
        MacvlanDatapath noParent = new MacvlanDatapath(bed.netns, new MacvlanSettings("", "lattice-mv0", bed.nodeName));
        try {
            Exception e = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
                    () -> noParent.prepareNode(bed.server.nodeNetwork()));
            assertTrue(e.getMessage().contains("plugins.macvlan.parent"), e.getMessage());
        } finally {
            noParent.close();
        }
    }

    @Test
    void swapFromBridgeToMacvlanKeepsOldPodsWorkingAndDeletesThemCorrectly() throws Exception {
        bed.start(LinuxBridgeDatapath.NAME);
        String a1 = bed.newPod();
        String a2 = bed.newPod();
        CniTestBed.Out ra1 = bed.cni("ADD", "a1", a1, "eth0", bed.netconf());
        CniTestBed.Out ra2 = bed.cni("ADD", "a2", a2, "eth0", bed.netconf());
        assertEquals(0, ra1.exit(), ra1.stdout());
        assertEquals(0, ra2.exit());

        bed.selection.select(MacvlanDatapath.NAME); // make before break: macvlan prepares the node first
        String b1 = bed.newPod();
        String b2 = bed.newPod();
        CniTestBed.Out rb1 = bed.cni("ADD", "b1", b1, "eth0", bed.netconf());
        CniTestBed.Out rb2 = bed.cni("ADD", "b2", b2, "eth0", bed.netconf());
        assertEquals(0, rb1.exit(), rb1.stdout());
        assertEquals(0, rb2.exit());
        assertTrue(in(b1, "ip", "-j", "-d", "link", "show", "eth0").contains("\"info_kind\":\"macvlan\""), "new pods get macvlan");
        assertTrue(in(a1, "ip", "-j", "-d", "link", "show", "eth0").contains("\"info_kind\":\"veth\""));

        // old pods keep working (each other, the gateway, the node); so do the new ones
        in(a1, "ping", "-c", "1", "-W", "2", addr(ra2));
        in(a1, "ping", "-c", "1", "-W", "2", "10.81.0.1");
        in(b1, "ping", "-c", "1", "-W", "2", addr(rb2));
        in(b1, "ping", "-c", "1", "-W", "2", "10.81.0.1");
        in(bed.nodeName, "ping", "-c", "1", "-W", "2", addr(ra1));
        in(bed.nodeName, "ping", "-c", "1", "-W", "2", addr(rb1));
        assertEquals(0, bed.cni("CHECK", "a1", a1, "eth0", bed.netconf()).exit(), "CHECK reaches the bridge datapath");
        assertEquals(0, bed.cni("CHECK", "b1", b1, "eth0", bed.netconf()).exit());

        // DEL of old pods goes to linux-bridge; when its last pod is gone its bridge is removed
        assertEquals(0, bed.cni("DEL", "a1", a1, "eth0", bed.netconf()).exit());
        assertTrue(links(bed.nodeName, "bridge").contains("lattice0"));
        assertEquals(0, bed.cni("DEL", "a2", a2, "eth0", bed.netconf()).exit());
        assertTrue(links(bed.nodeName, "veth").stream().allMatch(n -> n.startsWith("ltcup")), links(bed.nodeName, "veth").toString());
        assertFalse(links(bed.nodeName, "bridge").contains("lattice0"), "retired datapath cleaned up");
        in(b1, "ping", "-c", "1", "-W", "2", addr(rb2));
        assertEquals(0, bed.cni("DEL", "b1", b1, "eth0", bed.netconf()).exit());
        assertEquals(0, bed.cni("DEL", "b2", b2, "eth0", bed.netconf()).exit());
        assertTrue(bed.ipam.allocations().isEmpty());
    }
}
