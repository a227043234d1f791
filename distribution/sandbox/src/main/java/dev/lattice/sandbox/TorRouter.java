package dev.lattice.sandbox;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * With {@code --routing bgp}, the sandbox's router ({@code lsb-rt}) acts as the racks' top-of-rack
 * router: a real BIRD 2 (AS {@value #ASN}) with an eBGP session to every node, which learns the
 * pod CIDRs and installs them in the router's kernel. The nodes mesh with each other over iBGP;
 * a node in the other subnet is reached through the router, to which the node's FIB resolves that
 * peer's next hop. This is the usual data-centre design (Calico's and kube-router's "peer with
 * the ToR") and needs no overlay.
 *
 * <p>BIRD runs in the foreground with its control socket and log in the router's state folder;
 * its process id is recorded like the agents', so every exit path ends it.
 */
final class TorRouter {
    static final long ASN = 64500;
    static final long NODE_ASN = 64512;
    private static final String CONFIG = "bird.conf";
    private static final String SOCKET = "bird.ctl";

    private final Path dir;
    private final int nodes;
    private final PidFile pids;
    private Process process;

    TorRouter(Path dir, int nodes, PidFile pids) {
        this.dir = dir;
        this.nodes = nodes;
        this.pids = pids;
    }

    /** The node annotation that makes the node peer with its router (lattice.dev/bgp-peers). */
    static String peerAnnotation(int node, int nodes) {
        return "address=" + Topology.gatewayOf(node, nodes) + " asn=" + ASN + " name=tor";
    }

    void start() throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(CONFIG), config());
        // The socket path is relative to the working directory: absolute paths under a deep
        // installation could exceed the 108 bytes a unix socket name may have.
        List<String> cmd = List.of("setsid", "ip", "netns", "exec", Topology.ROUTER,
                "bird", "-f", "-c", dir.resolve(CONFIG).toString(), "-s", SOCKET);
        process = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("bird.log").toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        pids.add(process.pid(), dir.resolve(CONFIG).toString());
    }

    void stop() {
        Process p = process;
        if (p == null) {
            return;
        }
        pids.terminate(p, 10);
    }

    private String config() {
        List<String> lines = new ArrayList<>(List.of(
                "# written by lattice sandbox: the top-of-rack router of both subnets",
                "router id " + Topology.gatewayOf(1, nodes) + ";",
                "log stderr all;",
                "protocol device { scan time 10; }",
                "# pod CIDRs learned from the nodes go into the router's kernel table",
                "protocol kernel { ipv4 { import none; export all; }; merge paths yes; }   # ECMP: a Service address via every node",
                "template bgp lattice_node {",
                "  local as " + ASN + ";",
                "  connect retry time 3;",
                "  error wait time 2, 16;",
                "  ipv4 { import all; export none; };",
                "}"));
        for (int i = 1; i <= nodes; i++) {
            lines.add("protocol bgp " + Topology.nodeName(i) + " from lattice_node { neighbor "
                    + Topology.nodeAddress(i, nodes) + " as " + NODE_ASN + "; }");
        }
        lines.add("");
        return String.join("\n", lines);
    }
}
