package dev.lattice.cluster.internal;

import com.sun.management.OperatingSystemMXBean;
import dev.lattice.apiserver.EmbeddedApiServer;
import dev.lattice.cluster.api.ClusterSnapshot;
import dev.lattice.cluster.api.ObjectKey;
import dev.lattice.spi.net.IpAddress;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The cluster-state benchmark (not a test; run by bench/cluster/run.sh).
 *
 * <p>{@code server N P S E}: an embedded API server in its own process, seeded straight into
 * its store with N nodes, P pods, S services and E EndpointSlices (plus one namespace per 100
 * pods); prints {@code READY <port>}, then obeys {@code UPDATE <n>} (change the IP of the
 * first n pods, one watch event each) and {@code EXIT} on standard input.
 *
 * <p>{@code agent N P S E}: starts the server as a child process, then in this JVM measures the
 * time to a synced snapshot, the heap the cluster state takes per object, and the CPU time and
 * wall time this process spends applying P pod updates, in {@code -Dbench.rounds} rounds (default 5:
 * the first ones include JIT compilation of the update path, the last ones are steady state).
 */
public final class ClusterBench {
    private ClusterBench() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        int nodes = Integer.parseInt(args[1]);
        int pods = Integer.parseInt(args[2]);
        int services = Integer.parseInt(args[3]);
        int slices = Integer.parseInt(args[4]);
        if (mode.equals("server")) {
            server(nodes, pods, services, slices);
        } else {
            agent(nodes, pods, services, slices, args.length > 5 ? Integer.parseInt(args[5]) : pods);
        }
    }

    static int namespaces(int pods) {
        return Math.max(1, pods / 100);
    }

    // ---- server ---------------------------------------------------------------------------

    static void server(int nodes, int pods, int services, int slices) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        EmbeddedApiServer api = EmbeddedApiServer.startLoopback();
        long t0 = System.nanoTime();
        List<HasMetadata> batch = new ArrayList<>();
        int ns = namespaces(pods);
        for (int i = 0; i < ns; i++) {
            batch.add(new NamespaceBuilder().withNewMetadata().withName("ns-" + i).addToLabels("team", "t" + (i % 7))
                    .addToLabels("kubernetes.io/metadata.name", "ns-" + i).endMetadata().build());
        }
        for (int i = 0; i < nodes; i++) {
            batch.add(node(i));
        }
        api.seedDirect(batch);
        batch.clear();
        for (int i = 0; i < pods; i++) {
            batch.add(pod(i, nodes, ns, 0));
            if (batch.size() == 1000) {
                api.seedDirect(batch);
                batch.clear();
            }
        }
        for (int i = 0; i < services; i++) {
            batch.add(new ServiceBuilder().withNewMetadata().withNamespace("ns-" + (i % ns)).withName("svc-" + i)
                    .addToLabels("app", "app-" + i).endMetadata()
                    .withNewSpec().withType("ClusterIP").withClusterIP(ip(10, 96, i)).withClusterIPs(ip(10, 96, i))
                    .addToSelector("app", "app-" + i).addNewPort().withName("http").withPort(80).withProtocol("TCP")
                    .withNewTargetPort(8080).endPort().addNewPort().withName("metrics").withPort(9090)
                    .withNewTargetPort("metrics").endPort().withSessionAffinity("None")
                    .withInternalTrafficPolicy("Cluster").endSpec().build());
        }
        for (int i = 0; i < slices; i++) {
            int svc = i % Math.max(1, services);
            EndpointSliceBuilder b = new EndpointSliceBuilder().withNewMetadata().withNamespace("ns-" + (svc % ns))
                    .withName("svc-" + svc + "-" + i).addToLabels("kubernetes.io/service-name", "svc-" + svc)
                    .addToLabels("endpointslice.kubernetes.io/managed-by", "endpointslice-controller.k8s.io")
                    .endMetadata().withAddressType("IPv4");
            for (int e = 0; e < 5; e++) {
                int p = (i * 5 + e) % Math.max(1, pods);
                b.addToEndpoints(new EndpointBuilder().withAddresses(podIp(p, 0)).withNewConditions().withReady(true)
                        .withServing(true).withTerminating(false).endConditions().withNodeName("node-" + (p % nodes))
                        .withNewTargetRef().withKind("Pod").withName("pod-" + p).withNamespace("ns-" + (p % ns))
                        .endTargetRef().build());
            }
            b.addNewPort().withName("http").withPort(8080).withProtocol("TCP").endPort();
            batch.add(b.build());
        }
        api.seedDirect(batch);
        out.printf(Locale.ROOT, "SEEDED %d objects in %d ms%n", api.size(), (System.nanoTime() - t0) / 1_000_000);
        out.println("READY " + api.port());
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        int round = 0;
        while ((line = in.readLine()) != null) {
            if (line.startsWith("UPDATE ")) {
                int n = Integer.parseInt(line.substring(7).trim());
                round++;
                long u0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    api.updateDirect(pod(i, nodes, ns, round));
                }
                out.printf(Locale.ROOT, "UPDATED %d in %d ms%n", n, (System.nanoTime() - u0) / 1_000_000);
            } else if (line.equals("EXIT")) {
                break;
            }
        }
        api.stop();
    }

    static String ip(int a, int b, int i) {
        return a + "." + b + "." + (i / 250) % 250 + "." + (i % 250 + 1);
    }

    static String podIp(int i, int round) {
        return "10." + (100 + round % 100) + "." + (i / 250) % 250 + "." + (i % 250 + 1);
    }

    static io.fabric8.kubernetes.api.model.Node node(int i) {
        return new NodeBuilder().withNewMetadata().withName("node-" + i).addToLabels("kubernetes.io/os", "linux")
                .addToLabels("kubernetes.io/hostname", "node-" + i).addToLabels("topology.kubernetes.io/zone", "z" + i % 3)
                .endMetadata().withNewSpec().withPodCIDR("10.244." + i % 256 + ".0/24")
                .withPodCIDRs("10.244." + i % 256 + ".0/24").endSpec()
                .withNewStatus().addNewAddress().withType("InternalIP").withAddress(ip(192, 168, i)).endAddress()
                .addNewAddress().withType("Hostname").withAddress("node-" + i).endAddress()
                .addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus().build();
    }

    /** A pod of ~1.5 KB JSON, with the fields a real pod has that matter here (and some that do not). */
    static Pod pod(int i, int nodes, int ns, int round) {
        String ip = podIp(i, round);
        return new PodBuilder().withNewMetadata().withNamespace("ns-" + (i % ns)).withName("pod-" + i)
                .addToLabels("app", "app-" + (i % 2000)).addToLabels("pod-template-hash", "5d8f7c9b4")
                .addToLabels("tier", i % 2 == 0 ? "web" : "backend")
                .addToAnnotations("kubectl.kubernetes.io/restartedAt", "2026-11-20T10:00:00Z")
                .addNewOwnerReference().withApiVersion("apps/v1").withKind("ReplicaSet").withName("rs-" + (i % 2000))
                .withUid("00000000-0000-0000-0000-" + String.format(Locale.ROOT, "%012d", i % 2000)).endOwnerReference()
                .endMetadata()
                .withNewSpec().withNodeName("node-" + (i % nodes)).withServiceAccountName("default")
                .addNewContainer().withName("main").withImage("registry.example/app:1.2.3")
                .addNewPort().withName("http").withContainerPort(8080).withProtocol("TCP").endPort()
                .addNewPort().withName("metrics").withContainerPort(9090).withProtocol("TCP").endPort()
                .withNewResources().addToRequests("cpu", new io.fabric8.kubernetes.api.model.Quantity("100m"))
                .addToRequests("memory", new io.fabric8.kubernetes.api.model.Quantity("128Mi")).endResources()
                .endContainer().endSpec()
                .withNewStatus().withPhase("Running").withHostIP(ip(192, 168, i % nodes)).withPodIP(ip)
                .addNewPodIP().withIp(ip).endPodIP()
                .addNewCondition().withType("Ready").withStatus("True").endCondition()
                .addNewCondition().withType("ContainersReady").withStatus("True").endCondition()
                .addNewContainerStatus().withName("main").withReady(true).withRestartCount(0)
                .withImage("registry.example/app:1.2.3").withImageID("sha256:0123456789abcdef").endContainerStatus()
                .endStatus().build();
    }

    // ---- agent ----------------------------------------------------------------------------

    static void agent(int nodes, int pods, int services, int slices, int updates) throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(javaBin, "-Xmx4g", "-cp", System.getProperty("java.class.path"),
                ClusterBench.class.getName(), "server", "" + nodes, "" + pods, "" + services, "" + slices));
        Process server = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader sout = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        PrintStream sin = new PrintStream(server.getOutputStream(), true, StandardCharsets.UTF_8);
        int port = -1;
        String line;
        while ((line = sout.readLine()) != null) {
            System.out.println("server: " + line);
            if (line.startsWith("READY ")) {
                port = Integer.parseInt(line.substring(6).trim());
                break;
            }
        }
        if (port < 0) {
            throw new IllegalStateException("server did not start");
        }
        int namespaces = namespaces(pods);
        int expected = nodes + pods + services + slices + namespaces;

        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long heap0 = settledHeap(mem);

        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        ClusterStateComponent c = new ClusterStateComponent(Map.of());
        Map<String, Object> cfg = new HashMap<>();
        cfg.put("apiServer", "http://127.0.0.1:" + port);
        cfg.put("nodeName", "node-0");
        cfg.put("snapshotIntervalMillis", Long.getLong("snapshotIntervalMillis", ClusterConfig.DEFAULT_SNAPSHOT_INTERVAL_MILLIS));
        c.activate(cfg);
        ClusterSnapshot synced = c.awaitSynced(Duration.ofMinutes(5));
        if (synced == null) {
            throw new IllegalStateException("not synced: " + c.status());
        }
        while (c.snapshot().size() < expected) {
            Thread.sleep(5);
        }
        long syncMillis = (System.nanoTime() - t0) / 1_000_000;
        long syncCpuMillis = (os.getProcessCpuTime() - cpu0) / 1_000_000;
        ClusterSnapshot s = c.snapshot();
        System.out.printf(Locale.ROOT, "synced snapshot: %d objects (%d nodes, %d pods, %d namespaces, %d services, "
                        + "%d slices) in %d ms wall, %d ms agent CPU%n", s.size(), s.nodes().size(), s.pods().size(),
                s.namespaces().size(), s.services().size(), s.endpointSlices().size(), syncMillis, syncCpuMillis);
        // exercise the indexes once so that their memory is counted
        s.localPods();
        s.podsInNamespace("ns-0");
        s.endpointSlicesFor("ns-0", "svc-0");
        long heap1 = settledHeap(mem);
        System.out.printf(Locale.ROOT, "heap: %.1f MiB for %d objects = %d bytes/object (client, informers, store, "
                        + "snapshot and indexes together)%n", (heap1 - heap0) / 1048576.0, s.size(),
                (heap1 - heap0) / Math.max(1, s.size()));

        int rounds = Integer.getInteger("bench.rounds", 5);
        for (int round = 1; updates > 0 && round <= rounds; round++) {
            Map<String, Long> threads0 = threadCpu();
            long applied0 = c.appliedEvents();
            long cpu1 = os.getProcessCpuTime();
            long t1 = System.nanoTime();
            sin.println("UPDATE " + updates);
            IpAddress lastIp = IpAddress.parse(podIp(updates - 1, round));
            ObjectKey lastKey = ObjectKey.of("ns-" + ((updates - 1) % namespaces), "pod-" + (updates - 1));
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (c.appliedEvents() - applied0 < updates
                    || !c.snapshot().pods().get(lastKey).ips().equals(List.of(lastIp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("updates did not arrive: " + (c.appliedEvents() - applied0));
                }
                Thread.sleep(1);
            }
            long wallMillis = (System.nanoTime() - t1) / 1_000_000;
            long cpuMillis = (os.getProcessCpuTime() - cpu1) / 1_000_000;
            System.out.println("server: " + sout.readLine());
            System.out.printf(Locale.ROOT, "updates round %d: %d pod updates applied in %d ms wall = %.0f events/s; "
                            + "agent CPU %d ms (%.1f us/event); snapshots published so far: %d%n", round, updates,
                    wallMillis, updates * 1000.0 / Math.max(1, wallMillis), cpuMillis, cpuMillis * 1000.0 / updates,
                    c.publishedSnapshots());
            Map<String, Long> threads1 = threadCpu();
            long javaThreads = 0;
            StringBuilder sb = new StringBuilder();
            for (Map.Entry<String, Long> e : threads1.entrySet()) {
                long d = (e.getValue() - threads0.getOrDefault(e.getKey(), 0L)) / 1_000_000;
                javaThreads += d;
                if (d >= 20) {
                    sb.append(String.format(Locale.ROOT, " %s=%dms", e.getKey(), d));
                }
            }
            System.out.printf(Locale.ROOT, "  CPU by thread group:%s; JIT+GC+other (not Java threads) ~%d ms%n", sb,
                    cpuMillis - javaThreads);
        }
        c.deactivate();
        sin.println("EXIT");
        server.waitFor();
    }

    /** CPU nanoseconds by thread-name group (digits removed). */
    static Map<String, Long> threadCpu() {
        java.lang.management.ThreadMXBean tm = ManagementFactory.getThreadMXBean();
        Map<String, Long> out = new java.util.TreeMap<>();
        for (java.lang.management.ThreadInfo ti : tm.getThreadInfo(tm.getAllThreadIds())) {
            if (ti == null) {
                continue;
            }
            long t = tm.getThreadCpuTime(ti.getThreadId());
            if (t > 0) {
                out.merge(ti.getThreadName().replaceAll("[0-9]+", "#"), t, Long::sum);
            }
        }
        return out;
    }

    static long settledHeap(MemoryMXBean mem) throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(100);
            used = Math.min(used, mem.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    private static final class Path {
        static java.nio.file.Path of(String first, String... more) {
            return java.nio.file.Path.of(first, more);
        }
    }
}
