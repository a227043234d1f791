package dev.lattice.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pod networking through a running agent, as a node runs it: {@code bin/lattice agent} with the
 * CNI server, pods (network namespaces) attached by calling the {@code lattice} CNI binary with
 * environment and stdin as containerd does, then {@code podNetwork} switched from linux-bridge to
 * macvlan by editing lattice.yaml: existing pods keep working and are deleted correctly, new pods
 * get macvlan.
 *
 * <p>The "node" is the network namespace this test JVM runs in, a throwaway one made by the
 * failsafe JVM wrapper; the test refuses to run anywhere else.
 */
class PodNetworkSwapIT {
    @TempDir
    Path tmp;

    private final String id = UUID.randomUUID().toString().substring(0, 6);
    private final List<String> pods = new ArrayList<>();
    private Path home;
    private Path root;
    private int port;
    private Process agent;
    private Path log;

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue(System.getenv("LATTICE_TEST_NETNS") != null,
                "runs only inside the throwaway network namespace of the integration-test JVM");
        home = Distribution.copyTo(tmp.resolve("lattice"));
        root = tmp.resolve("root");
        log = tmp.resolve("agent.log");
        port = Distribution.freePort();
        // The macvlan parent: a veth pair in this (throwaway) namespace.
        run("ip", "link", "add", "ltm-" + id, "type", "veth", "peer", "name", "ltn-" + id);
        run("ip", "link", "set", "ltm-" + id, "up");
        run("ip", "link", "set", "ltn-" + id, "up");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (agent != null && agent.isAlive()) {
            agent.destroy();
            if (!agent.waitFor(30, TimeUnit.SECONDS)) {
                agent.destroyForcibly();
            }
        }
        for (String p : pods) {
            quiet("ip", "netns", "del", p);
        }
        for (String link : List.of("ltm-" + id, "lattice0", "lattice-mv0")) {
            quiet("ip", "link", "del", link);
        }
    }

    private void writeConfig(String podNetwork) throws IOException {
        writeConfig(podNetwork, false);
    }

    private void writeConfig(String podNetwork, boolean fib) throws IOException {
        Path next = home.resolve("etc/lattice.yaml.next");
        Files.writeString(next, String.join("\n",
                "podNetwork: " + podNetwork,
                "routing: none",
                "serviceProxy: none",
                "networkPolicy: none",
                "admin: {address: 127.0.0.1, port: " + port + "}",
                "fib: {enabled: " + fib + "}",
                "cni: {mtu: 1500}",
                "ipam: {podCidrs: [10.244.9.0/24]}",
                "plugins:",
                "  macvlan: {parent: ltm-" + id + "}",
                ""));
        Files.move(next, home.resolve("etc/lattice.yaml"), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    @Test
    void switchingFromBridgeToMacvlanKeepsOldPodsAndGivesNewPodsMacvlan() throws Exception {
        writeConfig("linux-bridge");
        agent = startAgent("agent");
        Path conflist = root.resolve("etc/cni/net.d/10-lattice.conflist");
        await("the conflist", () -> Files.exists(conflist) && get("/selection").contains("\"active\": \"linux-bridge\""));

        String pod1 = pod("p1");
        String add1 = cni("ADD", "c1", pod1);
        assertTrue(add1.contains("\"address\":\"10.244.9."), add1);
        assertTrue(ip(pod1, "-d", "link", "show", "eth0").contains("veth"), "pod 1 is on a veth");
        assertTrue(ping(pod1, "10.244.9.1"), "pod 1 reaches the gateway on the bridge");

        writeConfig("macvlan");
        await("the swap to macvlan", () -> get("/selection").contains("\"active\": \"macvlan\""));
        String pod2 = pod("p2");
        String add2 = cni("ADD", "c2", pod2);
        assertTrue(add2.contains("\"address\":\"10.244.9."), add2);
        assertTrue(ip(pod2, "-d", "link", "show", "eth0").contains("macvlan"), "pod 2 is on a macvlan");
        assertTrue(ping(pod2, "10.244.9.1"), "pod 2 reaches the gateway on the node's macvlan");
        assertTrue(ping(pod1, "10.244.9.1"), "pod 1 still works after the swap");

        cni("DEL", "c1", pod1);
        cni("DEL", "c1", pod1); // twice: already gone is fine
        assertFalse(run("ip", "-j", "link", "show").contains("\"ifname\":\"lattice0\""),
                "the retired bridge is removed with its last pod");
        cni("DEL", "c2", pod2);
        assertFalse(ip(pod2, "link", "show").contains("eth0"), "pod 2's macvlan is gone");
    }

    @Test
    void cleanupRemovesWhatLatticeProgrammedAndNothingElse() throws Exception {
        writeConfig("linux-bridge", true);
        agent = startAgent("agent");
        Path conflist = root.resolve("etc/cni/net.d/10-lattice.conflist");
        await("the conflist", () -> Files.exists(conflist) && get("/selection").contains("\"active\": \"linux-bridge\""));
        String pod1 = pod("c1");
        cni("ADD", "c1", pod1);
        agent.destroy();
        assertTrue(agent.waitFor(30, TimeUnit.SECONDS));
        // Stopping leaves everything in place (a restart must not interrupt pods).
        assertTrue(run("ip", "-j", "link", "show").contains("\"ifname\":\"lattice0\""));
        assertTrue(ip(pod1, "link", "show").contains("eth0"));
        run("ip", "route", "add", "10.250.0.0/24", "dev", "ltm-" + id, "proto", "44");
        run("ip", "route", "add", "10.251.0.0/24", "dev", "ltm-" + id, "proto", "static");

        Process cleanup = startAgent("cleanup");
        assertTrue(cleanup.waitFor(90, TimeUnit.SECONDS), "cleanup did not finish");
        String out = Files.readString(log);
        assertEquals(0, cleanup.exitValue(), out);
        assertTrue(out.contains("detached pod c1 (linux-bridge)"), out);
        assertFalse(run("ip", "-j", "link", "show").contains("\"ifname\":\"lattice0\""), "the bridge is gone");
        assertFalse(ip(pod1, "link", "show").contains("eth0"), "the pod's interface is gone");
        assertFalse(Files.exists(conflist), "the conflist is gone");
        assertFalse(run("ip", "route", "show", "proto", "44").contains("10.250.0.0/24"), "Lattice's route is gone");
        assertTrue(run("ip", "route", "show").contains("10.251.0.0/24"), "a foreign route stays");
        assertTrue(run("ip", "-j", "link", "show").contains("\"ifname\":\"ltm-" + id + "\""), "other links stay");
    }

    private Process startAgent(String command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/lattice").toString(), command,
                "--root", root.toString()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().keySet().removeIf(k -> k.startsWith("LATTICE_"));
        return pb.start();
    }

    private String pod(String name) throws Exception {
        String ns = "ltp-" + id + "-" + name;
        run("ip", "netns", "add", ns);
        pods.add(ns);
        run("ip", "-n", ns, "link", "set", "lo", "up");
        return ns;
    }

    /** Calls the CNI binary as containerd does: the environment, and the plugin's config on stdin. */
    private String cni(String command, String containerId, String podNs) throws Exception {
        String conflist = Files.readString(root.resolve("etc/cni/net.d/10-lattice.conflist"));
        int start = conflist.indexOf("{\"type\":\"lattice\"");
        int end = conflist.indexOf('}', start);
        String plugin = conflist.substring(start + 1, end); // the entry's keys, without braces
        String stdin = "{\"cniVersion\":\"1.0.0\",\"name\":\"lattice\"," + plugin + "}";
        ProcessBuilder pb = new ProcessBuilder(home.resolve("libexec/cni/lattice").toString());
        pb.environment().put("CNI_COMMAND", command);
        pb.environment().put("CNI_CONTAINERID", containerId);
        pb.environment().put("CNI_NETNS", "/run/netns/" + podNs);
        pb.environment().put("CNI_IFNAME", "eth0");
        pb.environment().put("CNI_PATH", home.resolve("libexec/cni").toString());
        pb.environment().put("CNI_ARGS", "K8S_POD_NAMESPACE=default;K8S_POD_NAME=" + containerId);
        Process p = pb.redirectErrorStream(true).start();
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), command + " " + containerId + ": " + out + "\n" + Files.readString(log));
        return out;
    }

    private String ip(String ns, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ip", "-n", ns));
        cmd.addAll(List.of(args));
        return run(cmd.toArray(new String[0]));
    }

    private boolean ping(String ns, String to) throws Exception {
        Process p = new ProcessBuilder("ip", "netns", "exec", ns, "ping", "-c", "2", "-W", "2", to)
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    }

    private static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), String.join(" ", cmd));
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + ": " + out);
        return out;
    }

    private static void quiet(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            p.waitFor(30, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // cleanup: best effort
        }
    }

    private String get(String path) {
        return Distribution.get(port, path);
    }

    private void await(String what, BooleanSupplier condition) throws Exception {
        Distribution.await(60, what, condition, agent, log);
    }
}
