package dev.lattice.datapath.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lattice.core.cni.CniServer;
import dev.lattice.core.cni.CniSettings;
import dev.lattice.core.cni.StaticPodNetworkSelection;
import dev.lattice.core.ipam.Ipam;
import dev.lattice.core.ipam.IpamComponent;
import dev.lattice.core.ipam.Json;
import dev.lattice.kernel.Kernel;
import dev.lattice.spi.kernel.NetNamespace;
import dev.lattice.spi.kernel.NetworkNamespaces;
import dev.lattice.spi.net.IpPrefix;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A "node" for kernel-tier CNI tests: a throwaway network namespace (never the machine's own)
 * with the CNI server, IPAM and the linux-bridge datapath working inside it, state and socket in
 * a temporary directory, and pods as further namespaces. The C plugin is called exactly as
 * containerd calls it: environment plus the network configuration on stdin. Everything made is
 * removed in {@link #close()}, also after a failure.
 */
public class CniTestBed implements AutoCloseable {
    public static final SecureRandom RANDOM = new SecureRandom();
    public static final Path BINARY = cniBinary();

    public final Kernel kernel = Kernel.open();
    public final NetworkNamespaces netns = kernel.namespaces();
    public final String nodeName = unique("ltc-");
    public final NetNamespace node;
    public final Path dir;
    public final List<String> namespaces = new ArrayList<>();
    public final List<NetNamespace> handles = new ArrayList<>();
    public final Map<String, NetNamespace> podHandles = new LinkedHashMap<>();
    public final List<IpPrefix> cidrs;
    public LinuxBridgeDatapath bridge;
    public StaticPodNetworkSelection selection;
    public Ipam ipam;
    public CniServer server;

    public CniTestBed(String... podCidrs) throws IOException {
        cidrs = IpamComponent.parseCidrs(List.of(podCidrs));
        dir = Files.createTempDirectory("ltc-cni-");
        namespaces.add(nodeName);
        node = netns.create(nodeName);
        handles.add(node);
    }

    public static String unique(String prefix) {
        return prefix + String.format("%06x", RANDOM.nextInt(1 << 24));
    }

    /** Starts IPAM, the datapath and the server in-process (no fsync: tests need no power-loss safety). */
    public CniTestBed start() throws IOException {
        return start(false);
    }

    /** Starts IPAM, the datapath and the server in-process; {@code fsync} as in production (default true). */
    public CniTestBed start(boolean fsync) throws IOException {
        ipam = new Ipam(dir.resolve("ipam/ipam.json"), () -> cidrs, fsync);
        selection = datapaths();
        server = new CniServer(settings().withFsync(fsync), selection, ipam);
        server.start();
        return this;
    }

    /** The datapaths the server dispatches to: the bridge; a subclass may add more. */
    protected StaticPodNetworkSelection datapaths() {
        bridge = new LinuxBridgeDatapath(netns, BridgeSettings.defaults().withNodeNamespace(nodeName));
        return new StaticPodNetworkSelection().add(LinuxBridgeDatapath.NAME, bridge);
    }

    /** The C plugin built by platform/cni-plugin, found from this module's directory or any below the root. */
    private static Path cniBinary() {
        String configured = System.getProperty("lattice.cni.binary");
        if (configured != null) {
            return Path.of(configured).toAbsolutePath();
        }
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path candidate = d.resolve("platform/cni-plugin/target/bin/lattice");
            if (Files.exists(candidate)) {
                return candidate;
            }
        }
        return Path.of("../platform/cni-plugin/target/bin/lattice").toAbsolutePath();
    }

    public CniSettings settings() {
        return CniSettings.inDirectory(dir);
    }

    public void stopServer() {
        if (server != null) {
            server.close();
            server = null;
        }
        if (bridge != null) {
            bridge.close();
            bridge = null;
        }
    }

    /** A new pod namespace; its path is {@code /run/netns/<name>}. */
    public String newPod() {
        String name = unique("ltc-");
        namespaces.add(name);
        NetNamespace h = netns.create(name);
        handles.add(h);
        podHandles.put(name, h);
        return name;
    }

    /** Deletes a pod's namespace as a runtime does when the sandbox goes (our handle closed first). */
    public void deletePod(String name) {
        NetNamespace h = podHandles.remove(name);
        if (h != null) {
            h.close();
            handles.remove(h);
        }
        netns.delete(name);
    }

    public static String path(String ns) {
        return "/run/netns/" + ns;
    }

    /** The plugin configuration as libcni hands it to the first plugin of the conflist the server wrote. */
    public String netconf() throws IOException {
        Map<String, Object> list = Json.asObject(Json.parse(Files.readString(
                settings().confDir().resolve(settings().conflistName()))));
        Map<String, Object> conf = new LinkedHashMap<>();
        conf.put("cniVersion", list.get("cniVersion"));
        conf.put("name", list.get("name"));
        conf.putAll(Json.asObject(Json.asArray(list.get("plugins")).get(0)));
        return Json.write(conf);
    }

    public String netconf(String version) throws IOException {
        Map<String, Object> conf = Json.asObject(Json.parse(netconf()));
        conf.put("cniVersion", version);
        return Json.write(conf);
    }

    /** Result of a command. */
    public record Out(int exit, String stdout, String stderr) {
        public Map<String, Object> json() {
            return Json.asObject(Json.parse(stdout));
        }

        public int code() {
            return ((Number) json().get("code")).intValue();
        }
    }

    /** Calls the plugin like containerd: CNI_* environment, configuration on stdin. */
    public Out cni(String command, String containerId, String ns, String ifName, String stdin) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CNI_COMMAND", command);
        if (containerId != null) env.put("CNI_CONTAINERID", containerId);
        if (ns != null) env.put("CNI_NETNS", path(ns));
        if (ifName != null) env.put("CNI_IFNAME", ifName);
        env.put("CNI_ARGS", "IgnoreUnknown=1;K8S_POD_NAMESPACE=default;K8S_POD_NAME=pod-" + containerId
                + ";K8S_POD_INFRA_CONTAINER_ID=" + containerId + ";K8S_POD_UID=0f6e3b4a-0000-4000-8000-000000000001");
        env.put("CNI_PATH", "/opt/cni/bin:" + BINARY.getParent());
        return run(env, stdin, BINARY.toString());
    }

    public static Out run(Map<String, String> env, String stdin, String... cmd) {
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd);
            pb.environment().clear();
            pb.environment().put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
            pb.environment().putAll(env);
            Process p = pb.start();
            try (var in = p.getOutputStream()) {
                if (stdin != null) in.write(stdin.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // the plugin stopped reading (input too large): its answer says why
            }
            byte[] out = p.getInputStream().readAllBytes();
            byte[] err = p.getErrorStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + String.join(" ", cmd));
            }
            return new Out(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public static Out sh(String... cmd) {
        return run(Map.of(), null, cmd);
    }

    public static String ok(String... cmd) {
        Out o = sh(cmd);
        assertEquals(0, o.exit(), () -> String.join(" ", cmd) + " failed: " + o.stderr() + o.stdout());
        return o.stdout();
    }

    /** Runs a command in a namespace (ip netns exec) and asserts it succeeded. */
    public static String in(String ns, String... cmd) {
        String[] full = Stream.concat(Stream.of("ip", "netns", "exec", ns), Stream.of(cmd)).toArray(String[]::new);
        return ok(full);
    }

    public static Out tryIn(String ns, String... cmd) {
        String[] full = Stream.concat(Stream.of("ip", "netns", "exec", ns), Stream.of(cmd)).toArray(String[]::new);
        return sh(full);
    }

    /** Node-side interfaces that belong to pods (veths on the node, independent of the datapath's own view). */
    public List<String> nodeVeths() {
        return links(nodeName, "veth");
    }

    /** Links of a kind in a namespace, from ip -j (independent of the datapaths' own view). */
    public static List<String> links(String ns, String kind) {
        List<String> out = new ArrayList<>();
        for (Object o : Json.asArray(Json.parse(in(ns, "ip", "-j", "link", "show", "type", kind)))) {
            out.add(Json.asString(Json.asObject(o).get("ifname")).replaceAll("@.*", ""));
        }
        return out;
    }

    @Override
    public void close() {
        try {
            stopServer();
        } catch (RuntimeException ignored) {
            // keep cleaning
        }
        for (NetNamespace h : handles) {
            try {
                h.close();
            } catch (RuntimeException ignored) {
                // keep cleaning
            }
        }
        for (String n : namespaces) {
            try {
                netns.delete(n);
            } catch (RuntimeException e) {
                sh("ip", "netns", "delete", n);
            }
        }
        kernel.close();
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // temp dir
        }
    }
}
