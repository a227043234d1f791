package dev.lattice.sandbox;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the kubelet and containerd do for the pods of one node, reduced to networking: a network
 * namespace per pod ({@code lsb-pI-J}), the {@code lattice} CNI plugin called with the
 * environment and stdin containerd uses, the workload started inside (socat answering the pod's
 * name on TCP 8080), and {@code status.podIP} written through the API.
 */
final class MiniKubelet {
    static final int WORKLOAD_PORT = 8080;
    static final String WORKLOAD_MARKER = "TCP-LISTEN:" + WORKLOAD_PORT;
    private static final Logger LOG = System.getLogger(MiniKubelet.class.getName());
    private static final Pattern ADDRESS = Pattern.compile("\"address\"\\s*:\\s*\"([0-9.]+)/");

    /** A pod this kubelet runs. */
    record RunningPod(String namespace, String name, int node, String netns, String ip) {
    }

    private final Path home;
    private final int node;
    private final AgentSupervisor agent;
    private final KubernetesClient client;
    private final PidFile pids;

    MiniKubelet(Path home, int node, AgentSupervisor agent, KubernetesClient client, PidFile pids) {
        this.home = home;
        this.node = node;
        this.agent = agent;
        this.client = client;
        this.pids = pids;
    }

    /** Starts every pod of this node; throws if one cannot be networked within the timeout. */
    List<RunningPod> runAll(List<Pod> pods, long deadlineNanos) throws IOException, InterruptedException {
        List<RunningPod> out = new ArrayList<>();
        int j = 0;
        for (Pod pod : pods) {
            j++;
            out.add(run(pod, Topology.PREFIX + "p" + node + "-" + j, deadlineNanos));
        }
        return out;
    }

    private RunningPod run(Pod pod, String netns, long deadlineNanos) throws IOException, InterruptedException {
        String ns = pod.getMetadata().getNamespace() == null ? "default" : pod.getMetadata().getNamespace();
        String name = pod.getMetadata().getName();
        Shell.run("ip", "netns", "add", netns);
        Shell.ip(netns, "link set lo up");
        String containerId = netns + "-" + Long.toHexString(System.nanoTime());
        String result = null;
        String lastError = "the agent has not written its CNI configuration yet";
        while (System.nanoTime() < deadlineNanos) {
            if (Files.exists(agent.conflist())) {
                Shell.Result r = cni("ADD", containerId, netns, ns, name);
                if (r.ok()) {
                    result = r.output();
                    break;
                }
                lastError = r.output().trim();
                cni("DEL", containerId, netns, ns, name);
            }
            Thread.sleep(500);
        }
        if (result == null) {
            throw new IllegalStateException("pod " + ns + "/" + name + " on " + Topology.nodeName(node)
                    + ": CNI ADD did not succeed: " + lastError);
        }
        Matcher m = ADDRESS.matcher(result);
        if (!m.find()) {
            throw new IllegalStateException("CNI ADD for " + name + " returned no IPv4 address: " + result);
        }
        String ip = m.group(1);
        startWorkload(netns, name);
        writeStatus(ns, name, ip);
        return new RunningPod(ns, name, node, netns, ip);
    }

    /** Calls the CNI binary as containerd does: the environment, and the plugin's entry on stdin. */
    private Shell.Result cni(String command, String containerId, String netns, String podNs, String podName)
            throws IOException, InterruptedException {
        String conflist = Files.readString(agent.conflist());
        int start = conflist.indexOf("{\"type\":\"lattice\"");
        int end = conflist.indexOf('}', start);
        String entry = conflist.substring(start + 1, end);
        String stdin = "{\"cniVersion\":\"1.0.0\",\"name\":\"lattice\"," + entry + "}";
        ProcessBuilder pb = new ProcessBuilder(home.resolve("libexec/cni/lattice").toString()).redirectErrorStream(true);
        pb.environment().put("CNI_COMMAND", command);
        pb.environment().put("CNI_CONTAINERID", containerId);
        pb.environment().put("CNI_NETNS", "/run/netns/" + netns);
        pb.environment().put("CNI_IFNAME", "eth0");
        pb.environment().put("CNI_PATH", home.resolve("libexec/cni").toString());
        pb.environment().put("CNI_ARGS", "IgnoreUnknown=1;K8S_POD_NAMESPACE=" + podNs + ";K8S_POD_NAME=" + podName
                + ";K8S_POD_INFRA_CONTAINER_ID=" + containerId);
        Process p = pb.start();
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Shell.Result(-1, "CNI " + command + " timed out");
        }
        return new Shell.Result(p.exitValue(), out);
    }

    private void startWorkload(String netns, String podName) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("setsid", "ip", "netns", "exec", netns, "socat",
                WORKLOAD_MARKER + ",fork,reuseaddr", "SYSTEM:echo " + podName)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        pids.add(p.pid(), WORKLOAD_MARKER);
    }

    private void writeStatus(String ns, String name, String ip) {
        try {
            client.pods().inNamespace(ns).withName(name).editStatus(p -> {
                if (p.getStatus() == null) {
                    p.setStatus(new io.fabric8.kubernetes.api.model.PodStatus());
                }
                p.getStatus().setPodIP(ip);
                p.getStatus().setPodIPs(List.of(new PodIP(ip)));
                p.getStatus().setPhase("Running");
                return p;
            });
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "cannot write the status of " + ns + "/" + name + ": " + e);
        }
    }
}
