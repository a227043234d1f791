package dev.lattice.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lattice.itest.recorder.RecorderBundles;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The assembled distribution as a user runs it: {@code bin/lattice agent} in its own process,
 * plugins dropped into deploy/, lattice.yaml edited while it runs.
 */
class AgentProcessIT {
    @TempDir
    Path tmp;

    private Path home;
    private int port;
    private Process agent;
    private Path log;

    @BeforeEach
    void copyDistribution() throws IOException {
        home = Distribution.copyTo(tmp.resolve("lattice"));
        port = Distribution.freePort();
        log = tmp.resolve("agent.log");
    }

    @AfterEach
    void stopAgent() throws InterruptedException {
        if (agent != null && agent.isAlive()) {
            agent.destroy();
            if (!agent.waitFor(30, TimeUnit.SECONDS)) {
                agent.destroyForcibly();
            }
        }
    }

    private void writeConfig(String serviceProxy) throws IOException {
        Path tmpFile = home.resolve("etc/lattice.yaml.new");
        // fib disabled: this agent runs in the machine's own network namespace.
        Files.writeString(tmpFile, "serviceProxy: " + serviceProxy + "\nrouting: none\n"
                + "admin:\n  address: 127.0.0.1\n  port: " + port + "\nfib:\n  enabled: false\n");
        Files.move(tmpFile, home.resolve("etc/lattice.yaml"), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    private Process lattice(String... args) throws IOException {
        List<String> cmd = new java.util.ArrayList<>(List.of(home.resolve("bin/lattice").toString()));
        cmd.addAll(List.of(args));
        if (args.length > 0 && args[0].equals("agent")) {
            cmd.addAll(List.of("--root", tmp.resolve("root").toString())); // host paths stay in the test folder
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().keySet().removeIf(k -> k.startsWith("LATTICE_"));
        return pb.start();
    }

    @Test
    void agentPicksUpDeployedPluginsAndConfigurationEditsWithoutRestart() throws Exception {
        writeConfig("alpha");
        agent = lattice("agent");
        await("the admin endpoint", () -> get("/healthz").contains("waiting for service-proxy plugin 'alpha'"));
        String health = get("/healthz");
        assertTrue(health.contains("\"selection.routing\""), health);

        RecorderBundles.write(tmp.resolve("alpha.jar"), "alpha", "1.0.0");
        RecorderBundles.write(tmp.resolve("beta.jar"), "beta", "1.0.0");
        Files.move(tmp.resolve("alpha.jar"), home.resolve("deploy/alpha.jar"), StandardCopyOption.ATOMIC_MOVE);
        Files.move(tmp.resolve("beta.jar"), home.resolve("deploy/beta.jar"), StandardCopyOption.ATOMIC_MOVE);
        await("alpha to be selected", () -> get("/selection").contains("\"active\": \"alpha\""));

        writeConfig("beta");
        await("the edit to swap to beta", () -> get("/selection").contains("\"active\": \"beta\""));
        assertTrue(get("/metrics").contains("lattice_plugin_swaps_total{kind=\"service-proxy\"} 1"));

        // An invalid edit is reported and changes nothing.
        Files.writeString(home.resolve("etc/lattice.yaml"), "serviceProxy: [unclosed\n");
        await("the invalid edit to be reported", () -> readLog().contains("keeping the configuration in force"));
        assertTrue(get("/selection").contains("\"active\": \"beta\""));

        // etc/*.cfg: one ConfigAdmin PID per file, applied by FileInstall while the agent runs.
        assertTrue(get("/healthz").contains("\"detail\": \"false\""));
        Files.writeString(tmp.resolve("dev.lattice.plugin.dryrun.cfg"), "detail = true\n");
        Files.move(tmp.resolve("dev.lattice.plugin.dryrun.cfg"), home.resolve("etc/dev.lattice.plugin.dryrun.cfg"),
                StandardCopyOption.ATOMIC_MOVE);
        await("etc/*.cfg to reach the plugin", () -> get("/healthz").contains("\"detail\": \"true\""));

        agent.destroy(); // SIGTERM, as a DaemonSet pod stop sends
        assertTrue(agent.waitFor(30, TimeUnit.SECONDS), "agent did not stop within 30 s");
        assertTrue(Files.readString(log).contains("stopping; programmed state stays in place"), Files.readString(log));
    }

    @Test
    void invalidConfigurationFailsFastWithExitCode2() throws Exception {
        Files.writeString(home.resolve("etc/lattice.yaml"), "servceProxy: nftables\n");
        Process p = lattice("agent");
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(2, p.exitValue());
        String out = Files.readString(log);
        assertTrue(out.contains("unknown setting 'servceProxy'"), out);
    }

    @Test
    void configCommandShowsTheEffectiveConfiguration() throws Exception {
        writeConfig("nftables");
        Process p = lattice("config", "--set", "serviceProxy=iptables");
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue());
        String out = Files.readString(log);
        assertTrue(out.contains("dev.lattice.agent:"), out);
        assertTrue(out.contains("serviceProxy = iptables"), out);
        assertTrue(out.contains("port = " + port), out);
    }

    @Test
    void bgpDecodeReadsHexAndReportsMalformedMessagesWithTheirRfcCodes() throws Exception {
        Path hex = tmp.resolve("messages.hex");
        Files.writeString(hex, "ffffffffffffffffffffffffffffffff001304\nffffffffffffffffffffffffffffffff001305\n");
        Process p = lattice("bgp", "decode", hex.toString());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String out = Files.readString(log);
        assertEquals(1, p.exitValue(), out);
        assertTrue(out.contains("\"type\":\"keepalive\""), out);
        assertTrue(out.contains("\"code\":1,\"subcode\":2"), out);
    }

    @Test
    void bgpNeighborsAndRibComeFromTheRunningAgent() throws Exception {
        Path next = home.resolve("etc/lattice.yaml.next");
        // The BGP speaker listens on a free port of loopback inside the test's own namespace.
        int bgpPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            bgpPort = s.getLocalPort();
        }
        Files.writeString(next, "routing: bgp\nserviceProxy: none\nadmin:\n  address: 127.0.0.1\n  port: " + port
                + "\nfib:\n  enabled: false\nplugins:\n  bgp:\n    listenAddress: 127.0.0.1\n    listenPort: " + bgpPort + "\n");
        Files.move(next, home.resolve("etc/lattice.yaml"), StandardCopyOption.REPLACE_EXISTING);
        agent = lattice("agent");
        await("bgp in force", () -> get("/selection").contains("\"active\": \"bgp\""));
        String cmdline = Files.readString(Path.of("/proc", Long.toString(agent.pid()), "cmdline")).replace('\0', ' ');
        assertTrue(cmdline.contains("-XX:TieredStopAtLevel=1 "), "the launcher's JVM defaults: " + cmdline);
        Path out = tmp.resolve("neighbors.json");
        log = out;
        Process p = lattice("bgp", "neighbors", "--json");
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), Files.readString(out));
        assertTrue(Files.readString(out).trim().startsWith("["), Files.readString(out));
        p = lattice("bgp", "neighbors");
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), Files.readString(out));
        assertTrue(Files.readString(out).startsWith("PEER  ADDRESS"), "a table by default: " + Files.readString(out));
        p = lattice("bgp", "rib", "--peer", "not-an-address");
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(2, p.exitValue(), Files.readString(out));
        assertTrue(Files.readString(out).contains("peer:"), Files.readString(out));
    }

    private String readLog() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "";
        }
    }

    private String get(String path) {
        return Distribution.get(port, path);
    }

    private void await(String what, BooleanSupplier condition) throws IOException, InterruptedException {
        Distribution.await(60, what, condition, agent, log);
    }
}
