package dev.lattice.kernel.bench;

import dev.lattice.kernel.Kernel;
import dev.lattice.spi.kernel.AddressEntry;
import dev.lattice.spi.kernel.LinkSettings;
import dev.lattice.spi.kernel.LinkSpec;
import dev.lattice.spi.kernel.NetNamespace;
import dev.lattice.spi.kernel.NetworkNamespaces;
import dev.lattice.spi.kernel.RouteEntry;
import dev.lattice.spi.kernel.Rtnetlink;
import dev.lattice.spi.net.IpAddress;
import dev.lattice.spi.net.IpPrefix;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Benchmark (not a test): the library against {@code ip -batch}, in throwaway namespaces only.
 * Routes: 10,000 IPv4 routes replaced into an empty namespace. Links: 200 veth pairs, one end
 * in a "node" namespace and the other created in one of 200 pod namespaces, both up, the pod end
 * addressed. Each side runs in fresh namespaces; the median of the rounds is reported.
 *
 * <p>Usage: {@code KernelBench [rounds] [routes] [links]}
 */
public final class KernelBench {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final List<String> CREATED = new ArrayList<>();
    private static NetworkNamespaces netns;

    private KernelBench() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int routes = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int links = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        try (Kernel kernel = Kernel.open()) {
            netns = kernel.namespaces();
            Runtime.getRuntime().addShutdownHook(new Thread(KernelBench::cleanup));
            // warm-up (JIT, class loading), not measured
            routesLibrary(routes);
            linksLibrary(Math.min(links, 50));
            cleanup();
            double[] rl = new double[rounds];
            double[] ri = new double[rounds];
            double[] ll = new double[rounds];
            double[] li = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                // Alternate which side goes first, and let the kernel finish tearing down the
                // previous round's namespaces (it does so in the background) before measuring.
                boolean libFirst = r % 2 == 0;
                settle();
                if (libFirst) {
                    rl[r] = routesLibrary(routes);
                    ri[r] = routesIp(routes);
                } else {
                    ri[r] = routesIp(routes);
                    rl[r] = routesLibrary(routes);
                }
                cleanup();
                settle();
                if (libFirst) {
                    ll[r] = linksLibrary(links);
                    li[r] = linksIp(links);
                } else {
                    li[r] = linksIp(links);
                    ll[r] = linksLibrary(links);
                }
                cleanup();
                System.out.printf("round %d: routes lib %.1f ms, ip %.1f ms; links lib %.1f ms, ip %.1f ms%n",
                        r + 1, rl[r], ri[r], ll[r], li[r]);
            }
            double mrl = median(rl);
            double mri = median(ri);
            double mll = median(ll);
            double mli = median(li);
            System.out.printf("%nRESULT routes=%d  median: library %.1f ms, ip -batch %.1f ms, ratio %.2f (target <= 1.0);"
                    + " best: %.1f / %.1f ms, ratio %.2f%n", routes, mrl, mri, mrl / mri, min(rl), min(ri), min(rl) / min(ri));
            System.out.printf("RESULT links=%d   median: library %.1f ms, ip -batch %.1f ms, ratio %.2f (target <= 1.2);"
                    + " best: %.1f / %.1f ms, ratio %.2f%n", links, mll, mli, mll / mli, min(ll), min(li), min(ll) / min(li));
        } finally {
            cleanup();
        }
    }

    /** Waits until the kernel's namespace cleanup has caught up (no more "netns" kworker load). */
    private static void settle() throws InterruptedException {
        Thread.sleep(Long.getLong("bench.settleMillis", 2000));
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElse(Double.NaN);
    }

    private static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c.length % 2 == 1 ? c[c.length / 2] : (c[c.length / 2 - 1] + c[c.length / 2]) / 2;
    }

    private static String name() {
        String n = "ltk-bench-" + String.format("%06x", RANDOM.nextInt(1 << 24));
        synchronized (CREATED) {
            CREATED.add(n);
        }
        return n;
    }

    private static void cleanup() {
        List<String> names;
        synchronized (CREATED) {
            names = new ArrayList<>(CREATED);
            CREATED.clear();
        }
        for (String n : names) {
            try {
                netns.delete(n);
            } catch (RuntimeException e) {
                System.err.println("cleanup of " + n + ": " + e.getMessage());
            }
        }
    }

    /** Distinct /32 prefixes 10.64.0.0, 10.64.0.1, ... */
    private static IpPrefix routePrefix(int i) {
        return IpPrefix.parse("10." + (64 + i / 65536) + "." + (i / 256 % 256) + "." + (i % 256) + "/32");
    }

    /** A namespace with one veth link up at 172.16.0.1/16 (its peer in the same namespace). */
    private static NetNamespace routeNamespace(String name) {
        NetNamespace ns = netns.create(name);
        Rtnetlink r = ns.rtnetlink();
        r.createLink(LinkSpec.Veth.of("bench0", "bench1"));
        r.setLink("bench0", LinkSettings.create().up(true));
        r.setLink("bench1", LinkSettings.create().up(true));
        r.addAddress(AddressEntry.of(r.linkIndex("bench0"), IpAddress.parse("172.16.0.1"), 16));
        return ns;
    }

    private static double routesLibrary(int n) {
        try (NetNamespace ns = routeNamespace(name())) {
            Rtnetlink r = ns.rtnetlink();
            int idx = r.linkIndex("bench0");
            IpAddress gw = IpAddress.parse("172.16.0.2");
            System.gc();
            long t0 = System.nanoTime();
            List<RouteEntry> list = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                list.add(RouteEntry.to(routePrefix(i)).via(gw, idx));
            }
            long tb = System.nanoTime();
            r.replaceRoutes(list);
            long t1 = System.nanoTime();
            if (Boolean.getBoolean("bench.verbose")) {
                System.out.printf("  (routes: building values %.1f ms, netlink %.1f ms)%n", (tb - t0) / 1e6, (t1 - tb) / 1e6);
            }
            check(ns.name(), n);
            return (t1 - t0) / 1e6;
        }
    }

    private static double routesIp(int n) throws Exception {
        String name = name();
        routeNamespace(name).close();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append("route replace ").append(routePrefix(i)).append(" via 172.16.0.2 dev bench0\n");
        }
        Path f = Files.createTempFile("ltk-bench-", ".batch");
        try {
            Files.writeString(f, sb, StandardCharsets.UTF_8);
            System.gc();
            long t0 = System.nanoTime();
            run("ip", "-n", name, "-batch", f.toString());
            long t1 = System.nanoTime();
            check(name, n);
            return (t1 - t0) / 1e6;
        } finally {
            Files.deleteIfExists(f);
        }
    }

    private static void check(String ns, int n) {
        String out = run("sh", "-c", "ip -n " + ns + " route show via 172.16.0.2 | wc -l").strip();
        if (!out.equals(String.valueOf(n))) {
            throw new IllegalStateException("expected " + n + " routes in " + ns + ", found " + out);
        }
    }

    private static double linksLibrary(int n) {
        String node = name();
        List<String> pods = new ArrayList<>();
        netns.create(node).close();
        for (int i = 0; i < n; i++) {
            String p = name();
            netns.create(p).close();
            pods.add(p);
        }
        long t0 = System.nanoTime();
        try (NetNamespace nodeNs = netns.open(node)) {
            Rtnetlink r = nodeNs.rtnetlink();
            for (int i = 0; i < n; i++) {
                try (NetNamespace pod = netns.open(pods.get(i))) {
                    String host = "veth" + i;
                    r.createLink(new LinkSpec.Veth(host, "eth0", pod, 0));
                    r.setLink(host, LinkSettings.create().up(true));
                    Rtnetlink pr = pod.rtnetlink();
                    int idx = pr.linkIndex("eth0");
                    pr.addAddress(AddressEntry.of(idx, IpAddress.parse("10.200." + (i / 256) + "." + (i % 256 + 0)), 16));
                    pr.setLink("eth0", LinkSettings.create().up(true));
                }
            }
        }
        long t1 = System.nanoTime();
        checkLinks(node, pods);
        return (t1 - t0) / 1e6;
    }

    private static double linksIp(int n) throws Exception {
        String node = name();
        List<String> pods = new ArrayList<>();
        netns.create(node).close();
        for (int i = 0; i < n; i++) {
            String p = name();
            netns.create(p).close();
            pods.add(p);
        }
        StringBuilder nodeBatch = new StringBuilder();
        for (int i = 0; i < n; i++) {
            nodeBatch.append("link add veth").append(i).append(" type veth peer name eth0 netns ").append(pods.get(i)).append('\n');
            nodeBatch.append("link set veth").append(i).append(" up\n");
        }
        Path f = Files.createTempFile("ltk-bench-", ".batch");
        List<Path> podFiles = new ArrayList<>();
        try {
            Files.writeString(f, nodeBatch);
            for (int i = 0; i < n; i++) {
                Path pf = Files.createTempFile("ltk-bench-pod-", ".batch");
                Files.writeString(pf, "addr add 10.200." + (i / 256) + "." + (i % 256) + "/16 dev eth0\nlink set eth0 up\n");
                podFiles.add(pf);
            }
            long t0 = System.nanoTime();
            run("ip", "-n", node, "-batch", f.toString());
            for (int i = 0; i < n; i++) {
                run("ip", "-n", pods.get(i), "-batch", podFiles.get(i).toString());
            }
            long t1 = System.nanoTime();
            checkLinks(node, pods);
            return (t1 - t0) / 1e6;
        } finally {
            Files.deleteIfExists(f);
            for (Path p : podFiles) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static void checkLinks(String node, List<String> pods) {
        String up = run("sh", "-c", "ip -n " + node + " -o link show up type veth | wc -l").strip();
        if (!up.equals(String.valueOf(pods.size()))) {
            throw new IllegalStateException("expected " + pods.size() + " veths up in " + node + ", found " + up);
        }
        String last = pods.get(pods.size() - 1);
        String a = run("ip", "-n", last, "-o", "addr", "show", "dev", "eth0");
        if (!a.contains("10.200.")) {
            throw new IllegalStateException("eth0 in " + last + " has no address: " + a);
        }
    }

    private static String run(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
