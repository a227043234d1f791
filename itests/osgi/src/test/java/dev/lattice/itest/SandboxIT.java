package dev.lattice.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lattice sandbox} from a copy of the distribution: 3 nodes in 2 subnets (one behind a
 * router, reached over VXLAN), 6 pods, the full pod-to-pod matrix green; then, while it runs, a
 * route deleted by hand is repaired, a killed agent is restarted with the pods still reachable,
 * switching a node's {@code routing} to {@code none} and back withdraws and restores its routes;
 * on SIGTERM every {@code lsb-} namespace and process is gone. With {@code --routing bgp} the nodes
 * mesh over iBGP and peer with a real BIRD as their router; the same matrix is green, and a node
 * swapped to static routing and back is withdrawn from and relearned by the router, while a
 * killed agent's routes are kept (graceful restart) and its pods stay reachable.
 *
 * <p>Runs inside the integration-test JVM's throwaway network namespace; the sandbox's own
 * namespaces are named (global), so it builds them from here without touching this machine's
 * network.
 */
class SandboxIT {
    private static final Pattern POD_ROW = Pattern.compile("#\\d+\\s+(\\S+)/(\\S+)\\s+(n\\d)\\s+(lsb-p\\S+)\\s+([0-9.]+)");

    @TempDir
    Path tmp;

    private Path home;
    private Path log;
    private Process sandbox;

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue(System.getenv("LATTICE_TEST_NETNS") != null,
                "runs only inside the throwaway network namespace of the integration-test JVM");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/socat")), "socat is needed (scripts/install-deps.sh)");
        assertTrue(namespaces().isEmpty(), "lsb- namespaces exist already (another sandbox runs?): " + namespaces());
        home = Distribution.copyTo(tmp.resolve("lattice"));
        log = tmp.resolve("sandbox.log");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (sandbox != null && sandbox.isAlive()) {
            sandbox.destroy();
            if (!sandbox.waitFor(120, TimeUnit.SECONDS)) {
                sandbox.destroyForcibly();
            }
        }
    }

    @Test
    void checkBuildsThreeNodesInTwoSubnetsAndTheMatrixIsGreen() throws Exception {
        sandbox = start("--nodes", "3", "--check");
        assertTrue(sandbox.waitFor(180, TimeUnit.SECONDS), "lattice sandbox --check did not finish:\n" + output());
        String out = output();
        assertEquals(0, sandbox.exitValue(), out);
        assertTrue(out.contains("36/36 reachable - all green"), out);
        assertTrue(out.contains("10.244.3.0/24 via 10.244.3.0 dev lattice-vxlan"), "n1 reaches n3 over VXLAN:\n" + out);
        assertTrue(out.contains("10.244.2.0/24 via 10.99.1.12 dev eth0"), "n1 reaches n2 directly:\n" + out);
        assertTrue(namespaces().isEmpty(), "every lsb- namespace is removed: " + namespaces());
        assertFalse(Files.exists(home.resolve("data/sandbox")), "the state directory is removed");
    }

    @Test
    void runningSandboxRepairsARouteRestartsAKilledAgentAndRemovesEverythingOnSigterm() throws Exception {
        sandbox = start("--nodes", "3");
        await(180, "the sandbox to come up", () -> output().contains("The sandbox is up"));
        String out = output();
        assertTrue(out.contains("36/36 reachable - all green"), out);
        List<String[]> pods = pods(out);
        assertEquals(6, pods.size(), out);
        String[] fromN1 = pods.get(0);
        String[] onN3 = pods.get(5);

        // A route deleted by hand is put back by the FIB programmer.
        run("ip", "-n", "lsb-n1", "route", "del", "10.244.3.0/24");
        await(30, "the deleted route to be repaired",
                () -> quiet("ip", "-n", "lsb-n1", "route", "show", "proto", "44").contains("10.244.3.0/24"));
        assertTrue(reaches(fromN1, onN3), "pod on n1 reaches pod on n3 after the repair");

        // A killed agent is restarted; the pods keep working.
        String agentPid = agentPid("lsb-n2");
        run("kill", "-9", agentPid);
        await(30, "the agent of n2 to be restarted", () -> output().contains("agent of n2 exited"));
        await(60, "a new agent in lsb-n2", () -> {
            String pid = agentPid("lsb-n2");
            return !pid.isEmpty() && !pid.equals(agentPid);
        });
        for (String[] src : pods) {
            for (String[] dst : pods) {
                assertTrue(reaches(src, dst), src[1] + " -> " + dst[1] + " after the agent restart");
            }
        }

        // routing switched to none on n1 (by editing its lattice.yaml) withdraws its routes; back to
        // static brings them back.
        Path config = home.resolve("data/sandbox/n1/lattice.yaml");
        String original = Files.readString(config);
        assertTrue(original.contains("routing: static"), original);
        Files.writeString(config, original.replace("routing: static", "routing: none"));
        await(30, "n1's routes to be withdrawn with routing: none",
                () -> quiet("ip", "-n", "lsb-n1", "route", "show", "proto", "44").isBlank());
        Files.writeString(config, original);
        await(30, "n1's routes to come back with routing: static",
                () -> quiet("ip", "-n", "lsb-n1", "route", "show", "proto", "44").contains("10.244.3.0/24"));
        assertTrue(reaches(fromN1, onN3), "pod on n1 reaches pod on n3 again");

        sandbox.destroy();
        assertTrue(sandbox.waitFor(120, TimeUnit.SECONDS), "the sandbox did not stop:\n" + output());
        assertTrue(namespaces().isEmpty(), "every lsb- namespace is removed: " + namespaces());
        assertFalse(Files.exists(home.resolve("data/sandbox")), "the state directory is removed");
        assertTrue(output().contains("sandbox: removed"), output());
    }

    @Test
    void bgpSandboxPeersWithBirdAsTheRouterAndSwapsToStaticAndBack() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/bird")), "BIRD 2 is needed (scripts/install-deps.sh)");
        sandbox = start("--nodes", "3", "--routing", "bgp");
        await(180, "the BGP sandbox to come up", () -> output().contains("The sandbox is up"));
        String out = output();
        assertTrue(out.contains("36/36 reachable - all green"), out);
        assertFalse(out.contains("Routes missing"), out);
        assertTrue(out.contains("10.244.2.0/24 via 10.99.1.12 dev eth0"), "n1 reaches n2 directly (iBGP mesh):\n" + out);
        assertTrue(out.contains("10.244.3.0/24 via 10.99.1.1 dev eth0"),
                "n1 reaches n3 (other subnet) through the router, its next hop resolved by the FIB:\n" + out);
        assertTrue(out.contains("10.244.3.0/24 via 10.99.2.13 dev eth1"), "BIRD learned n3's pod CIDR:\n" + out);
        assertFalse(quiet("ip", "-n", "lsb-n1", "link", "show").contains("lattice-vxlan"), "no overlay with BGP");
        await(30, "the router to learn the echo Service's cluster IP from all three nodes (advertise.clusterIps, ECMP)",
                () -> {
                    String r = quiet("ip", "-n", "lsb-rt", "route", "show", "10.96.0.80", "proto", "bird");
                    return r.contains("10.99.1.11") && r.contains("10.99.1.12") && r.contains("10.99.2.13");
                });
        assertFalse(quiet("ip", "-n", "lsb-n1", "route", "show", "proto", "44").contains("10.96.0.80"),
                "nodes do not route Service addresses to each other");
        // The operator's view: `lattice bgp neighbors|rib` against n1's agent.
        String lattice = home.resolve("bin/lattice").toString();
        String javaHome = "JAVA_HOME=" + System.getProperty("java.home");
        String neighbors = run("env", javaHome, "ip", "netns", "exec", "lsb-n1", lattice, "bgp", "neighbors",
                "--admin", "127.0.0.1:9740");
        assertEquals(3, neighbors.lines().filter(l -> l.matches("(n2|n3|tor)\\s.*Established.*")).count(), neighbors);
        String rib = run("env", javaHome, "ip", "netns", "exec", "lsb-n1", lattice, "bgp", "rib", "--admin", "127.0.0.1:9740");
        assertTrue(rib.contains("10.244.3.0/24  * via 10.99.2.13 from n3"), rib);
        Path router = home.resolve("data/sandbox/router");
        String protocols = quiet("sh", "-c", "cd '" + router + "' && birdc -s bird.ctl show protocols");
        assertEquals(3, protocols.lines().filter(l -> l.matches("n\\d\\s+BGP.*Established.*")).count(), protocols);

        // n3's agent dies (kill -9): graceful restart. The router and n1 keep n3's routes (stale)
        // and keep forwarding to it while the agent comes back; then the sessions are back.
        List<String[]> pods = pods(out);
        assertEquals(6, pods.size(), out);
        String n3Agent = agentPid("lsb-n3");
        run("kill", "-9", n3Agent);
        await(30, "BIRD to see n3's session down", () -> !quiet("sh", "-c", "cd '" + router
                + "' && birdc -s bird.ctl show protocols n3").contains("Established"));
        assertTrue(quiet("ip", "-n", "lsb-rt", "route", "show", "proto", "bird").contains("10.244.3.0/24"),
                "the router keeps n3's pod CIDR while n3 restarts (RFC 4724)");
        assertTrue(quiet("ip", "-n", "lsb-n1", "route", "show", "proto", "44").contains("10.244.3.0/24"),
                "n1 keeps its route to n3's pods");
        assertTrue(reaches(pods.get(0), pods.get(5)), "a pod on n1 reaches a pod on n3 while n3's agent is down");
        await(60, "n3's sessions back", () -> quiet("sh", "-c", "cd '" + router
                + "' && birdc -s bird.ctl show protocols n3").contains("Established"));

        // n1 swaps from bgp to static routing (a diff in its FIB, no flush): the BGP plugin is
        // retired with Cease, so the router withdraws n1's pod CIDR at once, not after 120 s.
        Path config = home.resolve("data/sandbox/n1/lattice.yaml");
        String original = Files.readString(config);
        assertTrue(original.contains("routing: bgp"), original);
        Files.writeString(config, original.replace("routing: bgp", "routing: static"));
        await(30, "n1's static VXLAN route to n3", () -> quiet("ip", "-n", "lsb-n1", "route", "show", "proto", "44")
                .contains("10.244.3.0/24 via 10.244.3.0 dev lattice-vxlan"));
        await(20, "the router to withdraw n1's pod CIDR (Cease, not graceful restart)",
                () -> !quiet("ip", "-n", "lsb-rt", "route", "show", "proto", "bird").contains("10.244.1.0/24"));

        // Back to bgp: sessions, routes and the whole matrix come back.
        Files.writeString(config, original);
        await(60, "the router to learn n1's pod CIDR again",
                () -> quiet("ip", "-n", "lsb-rt", "route", "show", "proto", "bird").contains("10.244.1.0/24"));
        await(60, "n1's BGP route to n3 through the router",
                () -> quiet("ip", "-n", "lsb-n1", "route", "show", "proto", "44").contains("10.244.3.0/24 via 10.99.1.1"));
        for (String[] src : pods) {
            for (String[] dst : pods) {
                assertTrue(reaches(src, dst), src[1] + " -> " + dst[1] + " after swapping back to bgp");
            }
        }

        // BGP with the VXLAN overlay to the other subnet (overlay: crossSubnet, kube-router's
        // default): the routes to n3 (and n3's) go through lattice-vxlan instead of the router.
        for (int i = 1; i <= 3; i++) {
            Path c = home.resolve("data/sandbox/n" + i + "/lattice.yaml");
            Files.writeString(c, Files.readString(c).replace("overlay: none", "overlay: crossSubnet"));
        }
        await(60, "n1's route to n3 through the overlay", () -> quiet("ip", "-n", "lsb-n1", "route", "show", "proto", "44")
                .contains("10.244.3.0/24 via 10.244.3.0 dev lattice-vxlan"));
        await(60, "n3's routes through the overlay", () -> quiet("ip", "-n", "lsb-n3", "route", "show", "proto", "44")
                .contains("10.244.2.0/24 via 10.244.2.0 dev lattice-vxlan"));
        assertTrue(quiet("ip", "-n", "lsb-n1", "route", "show", "proto", "44").contains("10.244.2.0/24 via 10.99.1.12"),
                "same subnet stays direct");
        for (String[] src : pods) {
            for (String[] dst : pods) {
                assertTrue(reaches(src, dst), src[1] + " -> " + dst[1] + " with BGP over the overlay");
            }
        }

        sandbox.destroy();
        assertTrue(sandbox.waitFor(120, TimeUnit.SECONDS), "the sandbox did not stop:\n" + output());
        assertTrue(namespaces().isEmpty(), "every lsb- namespace is removed: " + namespaces());
        assertTrue(quiet("pgrep", "-f", router.resolve("bird.conf").toString()).isBlank(), "BIRD is stopped");
        assertFalse(Files.exists(home.resolve("data/sandbox")), "the state directory is removed");
    }

    private Process start(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(home.resolve("bin/lattice").toString(), "sandbox"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().keySet().removeIf(k -> k.startsWith("LATTICE_") && !k.equals("LATTICE_TEST_NETNS"));
        return pb.start();
    }

    private String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "";
        }
    }

    /** Rows of the summary's pod table: namespace, name, node, netns, ip. */
    private static List<String[]> pods(String out) {
        List<String[]> rows = new ArrayList<>();
        Matcher m = POD_ROW.matcher(out);
        while (m.find()) {
            rows.add(new String[] {m.group(1), m.group(2), m.group(3), m.group(4), m.group(5)});
        }
        return rows;
    }

    private static boolean reaches(String[] src, String[] dst) throws Exception {
        for (int attempt = 0; attempt < 10; attempt++) {
            String answer = quiet("ip", "netns", "exec", src[3], "socat", "-T2", "-u",
                    "TCP:" + dst[4] + ":8080,connect-timeout=2", "STDOUT");
            if (answer.trim().equals(dst[1])) {
                return true;
            }
            Thread.sleep(1000);
        }
        return false;
    }

    /** The agent's PID in a node namespace (the java process running dev.lattice.runtime.Main). */
    private static String agentPid(String ns) {
        for (String pid : quiet("ip", "netns", "pids", ns).trim().split("\\s+")) {
            if (pid.isEmpty()) {
                continue;
            }
            try {
                String cmdline = Files.readString(Path.of("/proc", pid, "cmdline")).replace('\0', ' ');
                if (cmdline.contains("dev.lattice.runtime.Main") && cmdline.contains(" agent ")) {
                    return pid;
                }
            } catch (IOException gone) {
                // exited meanwhile
            }
        }
        return "";
    }

    private static List<String> namespaces() {
        List<String> out = new ArrayList<>();
        for (String line : quiet("ip", "netns", "list").split("\n")) {
            String name = line.trim().split(" ")[0];
            if (name.startsWith("lsb-")) {
                out.add(name);
            }
        }
        return out;
    }

    private void await(int seconds, String what, BooleanSupplier condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            if (!sandbox.isAlive()) {
                throw new AssertionError("the sandbox exited waiting for " + what + ":\n" + output());
            }
            Thread.sleep(250);
        }
        throw new AssertionError("timed out waiting for " + what + ":\n" + output());
    }

    private static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), String.join(" ", cmd));
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + ": " + out);
        return out;
    }

    private static String quiet(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(30, TimeUnit.SECONDS);
            return out;
        } catch (Exception e) {
            return "";
        }
    }
}
