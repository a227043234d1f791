package dev.lattice.datapath.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lattice.core.ipam.Json;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every CNI error code the plugin and the server produce, each by a real call of the C binary. */
class CniErrorCodesTest {
    private static CniTestBed bed;
    private static String pod;

    @BeforeAll
    static void start() throws Exception {
        bed = new CniTestBed("10.78.0.0/30").start(); // room for exactly one pod
        pod = bed.newPod();
    }

    @AfterAll
    static void stop() {
        bed.close();
    }

    private static Map<String, String> env(String command) {
        Map<String, String> e = new HashMap<>();
        e.put("CNI_COMMAND", command);
        e.put("CNI_CONTAINERID", "e1");
        e.put("CNI_NETNS", CniTestBed.path(pod));
        e.put("CNI_IFNAME", "eth0");
        e.put("CNI_PATH", "/opt/cni/bin");
        return e;
    }

    private static CniTestBed.Out call(Map<String, String> env, String stdin) {
        return CniTestBed.run(env, stdin, CniTestBed.BINARY.toString());
    }

    private static void assertError(int code, CniTestBed.Out o, String text) {
        assertEquals(1, o.exit(), o.stdout());
        Map<String, Object> err = o.json();
        assertEquals(code, ((Number) err.get("code")).intValue(), o.stdout());
        assertTrue(String.valueOf(err.get("msg")).contains(text), o.stdout());
        assertTrue(err.get("cniVersion") instanceof String, o.stdout());
    }

    private static String conf(String version) throws Exception {
        return bed.netconf(version);
    }

    @Test
    void code1IncompatibleVersion() throws Exception {
        assertError(1, call(env("ADD"), conf("9.9.9")), "not supported");
        assertError(1, call(env("GC"), conf("1.0.0").replace("}", ",\"cni.dev/valid-attachments\":[]}")), "needs cniVersion 1.1.0");
    }

    @Test
    void code3UnknownContainer() throws Exception {
        assertError(3, call(env("CHECK"), conf("1.0.0")), "not attached");
    }

    @Test
    void code4BadEnvironment() throws Exception {
        Map<String, String> e = env("ADD");
        e.remove("CNI_COMMAND");
        assertError(4, call(e, conf("1.0.0")), "CNI_COMMAND is not set");
        assertError(4, call(env("FROB"), conf("1.0.0")), "not one of");
        e = env("ADD");
        e.remove("CNI_NETNS");
        assertError(4, call(e, conf("1.0.0")), "CNI_NETNS is not set");
        e = env("ADD");
        e.put("CNI_CONTAINERID", "../etc");
        assertError(4, call(e, conf("1.0.0")), "CNI_CONTAINERID");
        e = env("ADD");
        e.put("CNI_IFNAME", "a-name-far-too-long");
        assertError(4, call(e, conf("1.0.0")), "not a valid interface name");
        e = env("ADD");
        e.put("CNI_ARGS", "NOEQUALS");
        assertError(4, call(e, conf("1.0.0")), "CNI_ARGS");
    }

    @Test
    void code6DecodingFailure() {
        assertError(6, call(env("ADD"), "{\"cniVersion\":\"1.0.0\","), "cannot decode");
        assertError(6, call(env("ADD"), ""), "no network configuration");
        assertError(6, call(env("ADD"), "[1,2]"), "cannot decode");
        assertError(6, call(env("ADD"), "{\"a\":" + "[".repeat(200) + "]".repeat(200) + "}"), "cannot decode");
    }

    @Test
    void code7InvalidConfig() throws Exception {
        assertError(7, call(env("ADD"), "{\"name\":\"x\"}"), "cniVersion");
        assertError(7, call(env("ADD"), conf("1.0.0").replace("\"name\":\"lattice\",", "")), "'name'");
        assertError(7, call(env("ADD"), conf("1.0.0").replace("\"mtu\":1500", "\"mtu\":\"big\"")), "'mtu'");
        assertError(7, call(env("ADD"), "{\"cniVersion\":\"1.0.0\",\"name\":\"x\",\"socket\":\"relative.sock\"}"), "absolute");
        assertError(7, call(env("GC"), conf("1.1.0")), "valid-attachments");
    }

    @Test
    void code11And50WhenTheAgentIsUnreachable() {
        String conf = "{\"cniVersion\":\"1.1.0\",\"name\":\"x\",\"type\":\"lattice\",\"socket\":\"" + bed.dir.resolve("none.sock") + "\"}";
        assertError(11, call(env("ADD"), conf), "not reachable");
        assertError(11, call(env("DEL"), conf), "not reachable");
        assertError(50, call(env("STATUS"), conf), "not reachable");
        CniTestBed.Out v = call(env("VERSION"), conf);
        assertEquals(0, v.exit(), v.stdout());
        assertEquals("1.1.0", v.json().get("cniVersion"));
        assertTrue(String.valueOf(v.json().get("supportedVersions")).contains("1.1.0"));
    }

    @Test
    void code100ExhaustedAnd101CheckMismatch() throws Exception {
        String other = bed.newPod();
        CniTestBed.Out first = call(env("ADD"), conf("1.0.0"));
        assertEquals(0, first.exit(), first.stdout());
        Map<String, String> e = env("ADD");
        e.put("CNI_CONTAINERID", "e2");
        e.put("CNI_NETNS", CniTestBed.path(other));
        assertError(100, call(e, conf("1.0.0")), "exhausted");
        assertError(50, call(env("STATUS"), conf("1.1.0")), "exhausted");
        CniTestBed.in(pod, "ip", "link", "set", "eth0", "down");
        assertError(101, call(env("CHECK"), conf("1.0.0")), "eth0 is down");
        assertEquals(0, call(env("DEL"), conf("1.0.0")).exit());
        assertEquals(0, call(e, conf("1.0.0")).exit(), "the released address is available again");
        assertEquals(0, call(e.entrySet().stream().collect(HashMap::new, (m, x) -> m.put(x.getKey(),
                x.getKey().equals("CNI_COMMAND") ? "DEL" : x.getValue()), HashMap::putAll), conf("1.0.0")).exit());
    }

    @Test
    void failedAddLeavesNothingBehind() throws Exception {
        // The pod already has an eth0 (not ours): the datapath refuses, IPAM releases, no veth stays.
        for (String id : List.of("e1", "e2")) {
            Map<String, String> d = env("DEL");
            d.put("CNI_CONTAINERID", id);
            assertEquals(0, call(d, conf("1.0.0")).exit());
        }
        String p = bed.newPod();
        CniTestBed.in(p, "ip", "link", "add", "eth0", "type", "veth", "peer", "name", "eth1");
        Map<String, String> e = env("ADD");
        e.put("CNI_CONTAINERID", "e3");
        e.put("CNI_NETNS", CniTestBed.path(p));
        CniTestBed.Out o = call(e, conf("1.0.0"));
        assertError(101, o, "exists in");
        assertTrue(bed.ipam.lookup(new dev.lattice.core.ipam.Ipam.Key("e3", "eth0")).isEmpty());
        assertTrue(bed.nodeVeths().isEmpty(), bed.nodeVeths().toString());
        assertTrue(bed.server.attachments().isEmpty());
    }

    @Test
    void hostileInputNeverCrashesThePlugin() {
        Random r = new Random(42);
        List<String> seeds = List.of("{\"cniVersion\":\"1.0.0\",\"name\":\"x\"}", "{\"a\":\"\\u12\"}", "{\"cniVersion\":1}",
                "\u0000", "{\"socket\":\"" + "/x".repeat(200) + "\",\"cniVersion\":\"1.0.0\"}");
        for (int i = 0; i < 150; i++) {
            String s;
            if (i < seeds.size()) {
                s = seeds.get(i);
            } else {
                byte[] b = new byte[r.nextInt(300)];
                r.nextBytes(b);
                String seed = seeds.get(r.nextInt(2));
                s = r.nextBoolean() ? new String(b, StandardCharsets.ISO_8859_1)
                        : seed.substring(0, r.nextInt(seed.length())) + new String(b, 0, Math.min(b.length, 5), StandardCharsets.ISO_8859_1);
            }
            Map<String, String> e = env(r.nextBoolean() ? "ADD" : "DEL");
            e.put("CNI_CONTAINERID", "z" + i);
            CniTestBed.Out o = call(e, s);
            assertTrue(o.exit() == 0 || o.exit() == 1, "exit " + o.exit() + " for input " + s);
            if (o.exit() == 1) {
                Map<String, Object> err = Json.asObject(Json.parse(o.stdout()));
                assertTrue(err.get("code") instanceof Number, o.stdout());
            }
        }
        // 2 MiB: larger than the plugin accepts
        assertError(6, call(env("ADD"), "{\"x\":\"" + "a".repeat(2 * 1024 * 1024) + "\"}"), "larger than");
    }
}
