package dev.lattice.sandbox;

import dev.lattice.apiserver.EmbeddedApiServer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The sandbox's control plane, run inside {@code lsb-cp}: the embedded API server on
 * 10.99.1.2:6443 seeded with the Nodes and the workload, one supervised agent per node, a mini
 * kubelet per node, the summary and the connectivity matrix.
 */
final class ClusterController {
    static final String PID_FILE = "pids";
    static final String ECHO_CLUSTER_IP = "10.96.0.80";
    private static final long CONVERGENCE_SECONDS = 90;

    private final Path home;
    private final Path state;
    private final SandboxOptions options;
    private final PrintStream out;
    private final PidFile pids;
    private final List<AgentSupervisor> agents = new ArrayList<>();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private TorRouter router;
    private EmbeddedApiServer server;
    private KubernetesClient client;

    ClusterController(Path home, Path state, SandboxOptions options, PrintStream out) {
        this.home = home;
        this.state = state;
        this.options = options;
        this.out = out;
        this.pids = new PidFile(state.resolve(PID_FILE));
    }

    int run() throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop();
            done.countDown();
        }, "sandbox-stop"));
        int n = options.nodes();
        server = new EmbeddedApiServer(InetAddress.getByName(Topology.API_ADDRESS), Topology.API_PORT, false).start();
        client = server.client();
        for (int i = 1; i <= n; i++) {
            client.nodes().resource(node(i, n, options.bgp())).create();
        }
        if (options.bgp()) {
            router = new TorRouter(state.resolve("router"), n, pids);
            router.start();
            out.println("sandbox: routing bgp: nodes mesh over iBGP (AS " + TorRouter.NODE_ASN + ") and peer with BIRD on "
                    + Topology.ROUTER + " (AS " + TorRouter.ASN + "), the top-of-rack router of both subnets");
        }
        Map<Integer, List<Pod>> podsByNode = placePods(n);
        out.println("sandbox: API server at " + server.url() + " (in " + Topology.CONTROL_PLANE + "), "
                + n + " nodes, " + podsByNode.values().stream().mapToInt(List::size).sum() + " pods; starting the agents");
        for (int i = 1; i <= n; i++) {
            AgentSupervisor a = new AgentSupervisor(home, i, options.routing(), state.resolve("n" + i), pids, out);
            agents.add(a);
            a.start();
        }
        List<MiniKubelet.RunningPod> running = startPods(podsByNode);
        printNodesAndPods(running);
        ConnectivityMatrix matrix = converge(running);
        printRoutes();
        out.println();
        out.println("Pod-to-pod connectivity (TCP " + MiniKubelet.WORKLOAD_PORT + ", answer = the destination pod's name):");
        matrix.print(out);
        List<String> missing = missingRoutes();
        if (!missing.isEmpty()) {
            out.println("Routes missing (no proto 44 route on the node): " + String.join(", ", missing));
        }
        if (options.check()) {
            boolean ok = matrix.green() && missing.isEmpty();
            if (!ok) {
                out.println("Not converged; the agents' logs (removed on exit) were in " + state + "/nI/agent.log");
            }
            stop();
            return ok ? 0 : 1;
        }
        out.println();
        out.println("The sandbox is up. Explore it from another terminal (as root), e.g.:");
        if (!running.isEmpty()) {
            MiniKubelet.RunningPod first = running.get(0);
            MiniKubelet.RunningPod last = running.get(running.size() - 1);
            out.println("  ip netns exec " + first.netns() + " socat -u TCP:" + last.ip() + ":8080 STDOUT");
        }
        out.println("  ip netns exec " + Topology.nodeNamespace(1) + " curl -s 127.0.0.1:"
                + AgentSupervisor.ADMIN_PORT + "/selection");
        out.println("  ip -n " + Topology.nodeNamespace(1) + " route show proto 44");
        out.println("Agent logs: " + state + "/nI/agent.log. Press Ctrl-C to stop and remove everything.");
        out.flush();
        done.await();
        return 0;
    }

    private static Node node(int i, int n, boolean bgp) {
        Map<String, String> annotations = bgp ? Map.of("lattice.dev/bgp-peers", TorRouter.peerAnnotation(i, n)) : Map.of();
        return new NodeBuilder().withNewMetadata().withName(Topology.nodeName(i))
                .addToLabels("kubernetes.io/hostname", Topology.nodeName(i)).addToAnnotations(annotations).endMetadata()
                .withNewSpec().withPodCIDR(Topology.podCidr(i)).withPodCIDRs(Topology.podCidr(i)).endSpec()
                .withNewStatus()
                .addNewAddress().withType("InternalIP").withAddress(Topology.nodeAddress(i, n)).endAddress()
                .addNewAddress().withType("Hostname").withAddress(Topology.nodeName(i)).endAddress()
                .addNewCondition().withType("Ready").withStatus("True").endCondition()
                .endStatus().build();
    }

    /** The workload's pods by node index: the file's pods (nodeName kept, else round robin) or two per node. */
    private Map<Integer, List<Pod>> placePods(int n) throws Exception {
        List<Pod> pods = new ArrayList<>();
        if (options.workload() != null) {
            try (InputStream in = Files.newInputStream(options.workload())) {
                for (HasMetadata item : client.load(in).items()) {
                    if (item instanceof Pod p) {
                        pods.add(p);
                    } else {
                        client.resource(item).createOr(existing -> existing.update());
                    }
                }
            }
        } else {
            for (int i = 1; i <= n; i++) {
                for (int j = 1; j <= 2; j++) {
                    pods.add(new PodBuilder().withNewMetadata().withName("echo-n" + i + "-" + j).withNamespace("default")
                            .addToLabels("app", "echo").endMetadata()
                            .withNewSpec().withNodeName(Topology.nodeName(i)).addNewContainer().withName("echo")
                            .withImage("lattice-sandbox/echo").addNewPort().withContainerPort(MiniKubelet.WORKLOAD_PORT)
                            .endPort().endContainer().endSpec().build());
                }
            }
            // The echo pods' Service. With routing bgp the nodes advertise its cluster IP to the
            // router (advertise.clusterIps); Services are not load-balanced in the sandbox yet.
            client.resource(new io.fabric8.kubernetes.api.model.ServiceBuilder().withNewMetadata().withName("echo")
                    .withNamespace("default").endMetadata().withNewSpec().withClusterIP(ECHO_CLUSTER_IP)
                    .withClusterIPs(ECHO_CLUSTER_IP).addToSelector("app", "echo").addNewPort().withName("tcp")
                    .withProtocol("TCP").withPort(80).withNewTargetPort(MiniKubelet.WORKLOAD_PORT).endPort().endSpec()
                    .build()).createOr(existing -> existing.update());
        }
        Map<Integer, List<Pod>> byNode = new LinkedHashMap<>();
        for (int i = 1; i <= n; i++) {
            byNode.put(i, new ArrayList<>());
        }
        int next = 0;
        for (Pod p : pods) {
            if (p.getMetadata().getNamespace() == null) {
                p.getMetadata().setNamespace("default");
            }
            int node = -1;
            String name = p.getSpec() == null ? null : p.getSpec().getNodeName();
            for (int i = 1; i <= n && name != null; i++) {
                if (Topology.nodeName(i).equals(name)) {
                    node = i;
                }
            }
            if (node < 0) {
                node = (next++ % n) + 1;
                p.getSpec().setNodeName(Topology.nodeName(node));
            }
            p.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase("Pending").build());
            client.resource(p).createOr(existing -> existing.update());
            byNode.get(node).add(p);
        }
        return byNode;
    }

    private List<MiniKubelet.RunningPod> startPods(Map<Integer, List<Pod>> byNode) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        ExecutorService pool = Executors.newFixedThreadPool(byNode.size());
        try {
            List<Future<List<MiniKubelet.RunningPod>>> futures = new ArrayList<>();
            for (Map.Entry<Integer, List<Pod>> e : byNode.entrySet()) {
                MiniKubelet kubelet = new MiniKubelet(home, e.getKey(), agents.get(e.getKey() - 1), client, pids);
                futures.add(pool.submit(() -> kubelet.runAll(e.getValue(), deadline)));
            }
            List<MiniKubelet.RunningPod> all = new ArrayList<>();
            for (Future<List<MiniKubelet.RunningPod>> f : futures) {
                all.addAll(f.get());
            }
            return all;
        } finally {
            pool.shutdownNow();
        }
    }

    private ConnectivityMatrix converge(List<MiniKubelet.RunningPod> pods) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CONVERGENCE_SECONDS);
        out.println();
        out.println("Waiting for the routes to converge (checking pod-to-pod connectivity) ...");
        out.flush();
        while (true) {
            ConnectivityMatrix m = ConnectivityMatrix.measure(pods);
            // Both: with BGP the nodes' default route leads to a router that knows every pod CIDR,
            // so traffic can flow before a node has its own routes; the sandbox waits for those too.
            if ((m.green() && missingRoutes().isEmpty()) || System.nanoTime() > deadline) {
                return m;
            }
            Thread.sleep(1000);
        }
    }

    /** The other nodes' pod CIDRs a node has no Lattice route (proto 44) for, as "nI: CIDR". */
    private List<String> missingRoutes() {
        List<String> missing = new ArrayList<>();
        for (int i = 1; i <= options.nodes(); i++) {
            String table = Shell.quiet("ip", "-n", Topology.nodeNamespace(i), "route", "show", "proto", "44").output();
            for (int j = 1; j <= options.nodes(); j++) {
                if (j != i && !table.contains(Topology.podCidr(j) + " ")) {
                    missing.add(Topology.nodeName(i) + ": " + Topology.podCidr(j));
                }
            }
        }
        return missing;
    }

    private void printNodesAndPods(List<MiniKubelet.RunningPod> pods) {
        int n = options.nodes();
        out.println();
        out.println("Nodes:");
        out.println(String.format("  %-5s %-8s %-12s %-14s %s", "NAME", "NETNS", "INTERNAL-IP", "POD-CIDR", "SUBNET"));
        for (int i = 1; i <= n; i++) {
            out.println(String.format("  %-5s %-8s %-12s %-14s %s", Topology.nodeName(i), Topology.nodeNamespace(i),
                    Topology.nodeAddress(i, n), Topology.podCidr(i), Topology.nodeSubnet(i, n)));
        }
        out.println();
        out.println("Pods:");
        int w = 4;
        for (MiniKubelet.RunningPod p : pods) {
            w = Math.max(w, (p.namespace() + "/" + p.name()).length());
        }
        out.println(String.format("  %-3s %-" + w + "s %-5s %-10s %s", "#", "POD", "NODE", "NETNS", "POD-IP"));
        int k = 0;
        for (MiniKubelet.RunningPod p : pods) {
            out.println(String.format("  %-3s %-" + w + "s %-5s %-10s %s", "#" + (++k), p.namespace() + "/" + p.name(),
                    Topology.nodeName(p.node()), p.netns(), p.ip()));
        }
        out.flush();
    }

    private void printRoutes() {
        out.println();
        out.println("Routes installed by Lattice (ip -n lsb-nI route show proto 44):");
        for (int i = 1; i <= options.nodes(); i++) {
            out.println("  " + Topology.nodeName(i) + ":");
            Shell.Result r = Shell.quiet("ip", "-n", Topology.nodeNamespace(i), "route", "show", "proto", "44");
            for (String line : r.output().split("\n")) {
                if (!line.isBlank()) {
                    out.println("    " + line.trim());
                }
            }
        }
        if (router != null) {
            out.println("  " + Topology.ROUTER + " (BIRD; ip -n " + Topology.ROUTER + " route show proto bird):");
            for (String line : Shell.quiet("ip", "-n", Topology.ROUTER, "route", "show", "proto", "bird").output().split("\n")) {
                if (!line.isBlank()) {
                    out.println((Character.isWhitespace(line.charAt(0)) ? "      " : "    ") + line.trim()); // ECMP legs indented
                }
            }
        }
    }

    /** Stops the agents and the workloads and the API server; idempotent. */
    void stop() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        List<Thread> stoppers = new ArrayList<>();
        for (AgentSupervisor a : agents) {
            Thread t = new Thread(a::stop, "stop-agent");
            t.start();
            stoppers.add(t);
        }
        for (Thread t : stoppers) {
            try {
                t.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (router != null) {
            router.stop();
        }
        PidFile.killRecorded(state.resolve(PID_FILE));
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }
}
