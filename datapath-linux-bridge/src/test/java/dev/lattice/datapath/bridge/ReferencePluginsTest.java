package dev.lattice.datapath.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lattice.core.ipam.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The same two pods set up by Lattice (C plugin + server + linux-bridge) and by the reference
 * plugins of Debian's containernetworking-plugins ({@code bridge} + {@code host-local}), each on
 * a node namespace of its own: equivalent addresses, routes, gateway and connectivity.
 */
class ReferencePluginsTest {
    static final Path REF = Path.of("/usr/lib/cni");

    /** What a pod looks like, from ip -j. */
    record PodView(TreeSet<String> addresses, TreeSet<String> defaultRoutes, int mtu) {
    }

    static PodView view(String ns) {
        TreeSet<String> addrs = new TreeSet<>();
        int mtu = 0;
        for (Object o : Json.asArray(Json.parse(CniTestBed.in(ns, "ip", "-j", "addr", "show", "eth0")))) {
            Map<String, Object> link = Json.asObject(o);
            mtu = ((Number) link.get("mtu")).intValue();
            for (Object a : Json.asArray(link.get("addr_info"))) {
                Map<String, Object> ai = Json.asObject(a);
                if ("global".equals(ai.get("scope"))) addrs.add(ai.get("local") + "/" + ai.get("prefixlen"));
            }
        }
        TreeSet<String> routes = new TreeSet<>();
        for (String fam : List.of("-4", "-6")) {
            for (Object o : Json.asArray(Json.parse(CniTestBed.in(ns, "ip", fam, "-j", "route", "show", "default")))) {
                Map<String, Object> r = Json.asObject(o);
                routes.add(r.get("dst") + " via " + r.get("gateway") + " dev " + r.get("dev"));
            }
        }
        return new PodView(addrs, routes, mtu);
    }

    static TreeSet<String> bridgeAddresses(String node, String bridge) {
        TreeSet<String> out = new TreeSet<>();
        for (Object o : Json.asArray(Json.parse(CniTestBed.in(node, "ip", "-j", "addr", "show", bridge)))) {
            for (Object a : Json.asArray(Json.asObject(o).get("addr_info"))) {
                Map<String, Object> ai = Json.asObject(a);
                if ("global".equals(ai.get("scope"))) out.add(ai.get("local") + "/" + ai.get("prefixlen"));
            }
        }
        return out;
    }

    static String referenceConfig(Path dataDir) {
        Map<String, Object> ipam = new LinkedHashMap<>();
        ipam.put("type", "host-local");
        ipam.put("ranges", List.of(List.of(Map.of("subnet", "10.77.0.0/24")), List.of(Map.of("subnet", "fd77::/64"))));
        ipam.put("routes", List.of(Map.of("dst", "0.0.0.0/0"), Map.of("dst", "::/0")));
        ipam.put("dataDir", dataDir.toString());
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("cniVersion", "1.0.0");
        c.put("name", "reference");
        c.put("type", "bridge");
        c.put("bridge", "cni0");
        c.put("isGateway", true);
        c.put("ipMasq", false);
        c.put("hairpinMode", true);
        c.put("mtu", 1500);
        c.put("ipam", ipam);
        return Json.write(c);
    }

    /** Calls a reference plugin inside the node namespace, environment + stdin as containerd does. */
    static CniTestBed.Out reference(String node, String command, String id, String pod, String conf) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CNI_COMMAND", command);
        env.put("CNI_CONTAINERID", id);
        env.put("CNI_NETNS", CniTestBed.path(pod));
        env.put("CNI_IFNAME", "eth0");
        env.put("CNI_ARGS", "IgnoreUnknown=1;K8S_POD_NAMESPACE=default;K8S_POD_NAME=" + id);
        env.put("CNI_PATH", REF.toString());
        return CniTestBed.run(env, conf, "ip", "netns", "exec", node, REF.resolve("bridge").toString());
    }

    @Test
    void latticeAndReferencePluginsGiveEquivalentPods() throws Exception {
        assumeTrue(Files.isExecutable(REF.resolve("bridge")) && Files.isExecutable(REF.resolve("host-local")),
                "apt-get install containernetworking-plugins");
        try (CniTestBed ours = new CniTestBed("10.77.0.0/24", "fd77::/64").start();
             CniTestBed ref = new CniTestBed("10.77.0.0/24", "fd77::/64")) {
            String conf = ours.netconf();
            String refConf = referenceConfig(ref.dir.resolve("host-local"));
            List<String> ourPods = new ArrayList<>();
            List<String> refPods = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                String p = ours.newPod();
                ourPods.add(p);
                CniTestBed.Out o = ours.cni("ADD", "c" + i, p, "eth0", conf);
                assertEquals(0, o.exit(), o.stdout());
                String q = ref.newPod();
                refPods.add(q);
                CniTestBed.Out r = reference(ref.nodeName, "ADD", "c" + i, q, refConf);
                assertEquals(0, r.exit(), r.stdout() + r.stderr());
                // the CNI results name the same addresses and gateways
                assertEquals(ipsOf(r), ipsOf(o));
            }
            for (int i = 0; i < 2; i++) {
                assertEquals(view(refPods.get(i)), view(ourPods.get(i)), "pod " + i + ": reference vs lattice");
            }
            assertEquals(bridgeAddresses(ref.nodeName, "cni0"), bridgeAddresses(ours.nodeName, "lattice0"));
            for (String[] pair : List.of(ourPods.toArray(String[]::new), refPods.toArray(String[]::new))) {
                CniTestBed.in(pair[0], "ping", "-c", "1", "-W", "2", "10.77.0.3");
                CniTestBed.in(pair[1], "ping", "-c", "1", "-W", "2", "10.77.0.1");
                CniTestBed.in(pair[0], "ping", "-6", "-c", "1", "-W", "3", "fd77::3");
            }
            for (int i = 0; i < 2; i++) {
                assertEquals(0, reference(ref.nodeName, "DEL", "c" + i, refPods.get(i), refConf).exit());
                assertEquals(0, ours.cni("DEL", "c" + i, ourPods.get(i), "eth0", conf).exit());
            }
            assertTrue(ours.nodeVeths().isEmpty() && ref.nodeVeths().isEmpty());
        }
    }

    static TreeSet<String> ipsOf(CniTestBed.Out o) {
        TreeSet<String> s = new TreeSet<>();
        for (Object x : Json.asArray(o.json().get("ips"))) {
            Map<String, Object> m = Json.asObject(x);
            s.add(m.get("address") + " gw " + m.get("gateway"));
        }
        return s;
    }
}
