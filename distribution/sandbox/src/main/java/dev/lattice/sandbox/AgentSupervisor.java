package dev.lattice.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One node's agent: {@code ip netns exec lsb-nI bin/lattice agent ...} in its own session (so a
 * Ctrl-C on the terminal reaches the sandbox, which then stops the agents in order), restarted
 * whenever it exits until {@link #stop()}. Its output goes to {@code <node dir>/agent.log}.
 */
final class AgentSupervisor {
    static final String MARKER = "dev.lattice.runtime.Main";
    static final int ADMIN_PORT = 9740;
    private static final Logger LOG = System.getLogger(AgentSupervisor.class.getName());

    private final Path home;
    private final int index;
    private final String routing;
    private final Path dir;
    private final PidFile pids;
    private final java.io.PrintStream out;
    private final Thread thread;
    private volatile boolean stopping;
    private volatile Process process;
    private volatile int restarts;

    AgentSupervisor(Path home, int index, String routing, Path dir, PidFile pids, java.io.PrintStream out) {
        this.home = home;
        this.index = index;
        this.routing = routing;
        this.dir = dir;
        this.pids = pids;
        this.out = out;
        this.thread = new Thread(this::supervise, "sandbox-agent-n" + index);
        thread.setDaemon(true);
    }

    Path dir() {
        return dir;
    }

    Path conflist() {
        return dir.resolve("root/etc/cni/net.d/10-lattice.conflist");
    }

    Path log() {
        return dir.resolve("agent.log");
    }

    int restarts() {
        return restarts;
    }

    void start() throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("lattice.yaml"), String.join("\n",
                "# written by lattice sandbox for node " + Topology.nodeName(index),
                "nodeName: " + Topology.nodeName(index),
                "podNetwork: linux-bridge",
                "routing: " + routing,
                "serviceProxy: none",
                "networkPolicy: none",
                "logLevel: info",
                "admin: {address: 127.0.0.1, port: " + ADMIN_PORT + "}",
                "kubernetes: {apiServer: 'http://" + Topology.API_ADDRESS + ":" + Topology.API_PORT + "'}",
                // Room for VXLAN's 50 bytes where the overlay is used; the BGP sandbox has none.
                "cni: {mtu: " + (routing.equals("bgp") ? 1500 : 1450) + "}",
                // BGP: the default AS and mesh; quick reconnects, since the nodes start one by one;
                // no overlay: the router between the subnets learns the pod CIDRs (TorRouter).
                "plugins: {bgp: {asn: " + TorRouter.NODE_ASN + ", connectRetry: 3, overlay: none}}",
                "advertise: {clusterIps: true}   # with routing bgp: Service cluster IPs to the router",
                ""));
        thread.start();
    }

    private Process launch() throws IOException {
        List<String> cmd = List.of("setsid", "ip", "netns", "exec", Topology.nodeNamespace(index),
                home.resolve("bin/lattice").toString(), "agent",
                "--config", dir.resolve("lattice.yaml").toString(),
                "--root", dir.resolve("root").toString(),
                "--state-dir", dir.resolve("data").toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().keySet().removeIf(k -> k.startsWith("LATTICE_") && !k.equals("LATTICE_JAVA"));
        pb.environment().put("LATTICE_HOME", home.toString());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("LATTICE_OPTS", "-Xmx256m -XX:+UseSerialGC"); // bin/lattice adds C1-only
        return pb.start();
    }

    private void supervise() {
        while (!stopping) {
            try {
                Process p = launch();
                process = p;
                pids.add(p.pid(), MARKER);
                int code = p.waitFor();
                pids.remove(p.pid());
                if (stopping) {
                    return;
                }
                restarts++;
                out.println("sandbox: agent of " + Topology.nodeName(index) + " exited (" + code
                        + "), restarting it (log: " + log() + ")");
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            } catch (IOException | UncheckedIOException e) {
                LOG.log(Level.WARNING, "cannot start the agent of " + Topology.nodeName(index), e);
                try {
                    Thread.sleep(2000);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    /** Current agent process id, or -1. */
    long pid() {
        Process p = process;
        return p != null && p.isAlive() ? p.pid() : -1;
    }

    void stop() {
        stopping = true;
        Process p = process;
        if (p != null && p.isAlive()) {
            pids.terminate(p, 20);
        }
        thread.interrupt();
    }
}
