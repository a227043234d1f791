package dev.lattice.datapath.bridge;

import dev.lattice.core.ipam.Json;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * CNI benchmark (not a test; bench/cni/run.sh runs it): ADD and DEL latency and pods per second
 * for Lattice (C plugin -> CNI server -> IPAM -> linux-bridge) and for the reference bridge +
 * host-local plugins, sequential and concurrent, on throwaway node namespaces; then ADD/DEL
 * cycles with a leak check. Every call is an exec of the plugin with CNI_* environment and the
 * configuration on stdin, as containerd makes it.
 */
public final class CniBench {
    private CniBench() {
    }

    record Run(String name, long[] add, long[] del, double addWallS, double delWallS) {
    }

    public static void main(String[] args) throws Exception {
        int pods = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int cycles = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        List<Long> serverAdd = Collections.synchronizedList(new ArrayList<>());
        try (CniTestBed ours = new CniTestBed("10.90.0.0/24").start(true); // fsync on, as in production
             CniTestBed ref = new CniTestBed("10.90.0.0/24")) {
            List<String> ns = new ArrayList<>();
            for (int i = 0; i < pods; i++) ns.add(ours.newPod());
            String conf = ours.netconf();
            String refConf = ReferencePluginsTest.referenceConfig(ref.dir.resolve("host-local"))
                    .replace(",[{\"subnet\":\"fd77::/64\"}]", "").replace("10.77.0.0/24", "10.90.0.0/24")
                    .replace(",{\"dst\":\"::/0\"}", "");
            Caller lattice = (cmd, id, pod) -> ours.cni(cmd, id, pod, "eth0", conf);
            Caller reference = (cmd, id, pod) -> nsenter(ref.nodeName, cmd, id, pod, refConf);

            // warm up both (the agent is a long-running JVM; the first calls pay for class loading and JIT)
            for (int i = 0; i < 100; i++) {
                check(lattice.call("ADD", "warm" + i, ns.get(0)));
                check(lattice.call("DEL", "warm" + i, ns.get(0)));
            }
            for (int i = 0; i < 5; i++) {
                check(reference.call("ADD", "warm" + i, ns.get(0)));
                check(reference.call("DEL", "warm" + i, ns.get(0)));
            }

            List<Run> runs = new ArrayList<>();
            ours.server.onTiming((c, n) -> {
                if (c.equals("ADD")) serverAdd.add(n);
            });
            runs.add(run("lattice, sequential", lattice, ns, 1));
            ours.server.onTiming(null);
            runs.add(run("reference bridge+host-local, sequential", reference, ns, 1));
            runs.add(run("lattice, " + concurrency + " concurrent", lattice, ns, concurrency));
            runs.add(run("reference bridge+host-local, " + concurrency + " concurrent", reference, ns, concurrency));

            // plugin overhead: wall time of the exec'd plugin minus the server's own time, per ADD
            long[] wall = runs.get(0).add();
            long[] over = new long[wall.length];
            for (int i = 0; i < wall.length; i++) over[i] = wall[i] - serverAdd.get(i);
            long[] version = new long[200];
            for (int i = 0; i < version.length; i++) {
                long t = System.nanoTime();
                check(CniTestBed.run(Map.of("CNI_COMMAND", "VERSION"), "", CniTestBed.BINARY.toString()));
                version[i] = System.nanoTime() - t;
            }
            long[] nullAgent = nullAgent(ours.dir.resolve("null.sock"), conf);
            long[] binTrue = new long[200];
            for (int i = 0; i < binTrue.length; i++) {
                long t = System.nanoTime();
                CniTestBed.ok("/bin/true");
                binTrue[i] = System.nanoTime() - t;
            }
            long[] nsenterTrue = new long[200];
            for (int i = 0; i < nsenterTrue.length; i++) {
                long t = System.nanoTime();
                CniTestBed.ok("nsenter", "--net=/run/netns/" + ref.nodeName, "/bin/true");
                nsenterTrue[i] = System.nanoTime() - t;
            }

            // cycles with a leak check
            long t0 = System.nanoTime();
            for (int i = 0; i < cycles; i++) {
                check(lattice.call("ADD", "cyc" + i, ns.get(i % ns.size())));
                check(lattice.call("DEL", "cyc" + i, ns.get(i % ns.size())));
            }
            double cycleS = (System.nanoTime() - t0) / 1e9;
            int leakedAddresses = ours.ipam.allocations().size();
            int leakedAttachments = ours.server.attachments().size();
            List<String> veths = ours.nodeVeths();
            long podsWithEth0 = ns.stream().filter(p -> CniTestBed.tryIn(p, "ip", "link", "show", "eth0").exit() == 0).count();
            String links = CniTestBed.in(ours.nodeName, "ip", "-j", "link");
            int nodeLinks = Json.asArray(Json.parse(links)).size();

            System.out.println();
            System.out.println("## CNI benchmark (" + pods + " pods, concurrency " + concurrency + ")");
            System.out.println();
            System.out.println("| run | ADD p50 ms | ADD p99 ms | DEL p50 ms | DEL p99 ms | ADD pods/s | DEL pods/s |");
            System.out.println("|---|---|---|---|---|---|---|");
            for (Run r : runs) {
                System.out.printf("| %s | %.2f | %.2f | %.2f | %.2f | %.0f | %.0f |%n", r.name(), ms(pct(r.add(), 50)),
                        ms(pct(r.add(), 99)), ms(pct(r.del(), 50)), ms(pct(r.del(), 99)), pods / r.addWallS(), pods / r.delWallS());
            }
            System.out.println();
            System.out.printf("ADD p50 ratio lattice/reference: sequential %.2f, concurrent %.2f%n",
                    (double) pct(runs.get(0).add(), 50) / pct(runs.get(1).add(), 50),
                    (double) pct(runs.get(2).add(), 50) / pct(runs.get(3).add(), 50));
            System.out.printf("plugin overhead (wall time of the exec'd plugin minus the agent's time from accept to answer written, sequential ADD): p50 %.2f ms, p99 %.2f ms%n",
                    ms(pct(over, 50)), ms(pct(over, 99)));
            System.out.printf("agent time per ADD (socket read, decode, IPAM, state, datapath, answer): p50 %.2f ms%n",
                    ms(pct(serverAdd.stream().mapToLong(Long::longValue).toArray(), 50)));
            System.out.printf("exec of 'lattice' VERSION alone: p50 %.2f ms; 'nsenter --net=... /bin/true' (the reference's extra hop): p50 %.2f ms%n",
                    ms(pct(version, 50)), ms(pct(nsenterTrue, 50)));
            System.out.printf("plugin against a null agent (answers at once): ADD p50 %.2f ms; exec of /bin/true p50 %.2f ms; "
                    + "the plugin's own overhead (difference) p50 %.2f ms%n", ms(pct(nullAgent, 50)), ms(pct(binTrue, 50)),
                    ms(pct(nullAgent, 50) - pct(binTrue, 50)));
            System.out.printf("%d ADD/DEL cycles in %.1f s: leaked addresses %d, attachments %d, node veths %d, pods with eth0 %d, node links %d (lo + lattice0 expected: 2)%n",
                    cycles, cycleS, leakedAddresses, leakedAttachments, veths.size(), podsWithEth0, nodeLinks);
            boolean leak = leakedAddresses + leakedAttachments + veths.size() + podsWithEth0 > 0 || nodeLinks != 2;
            System.out.println(leak ? "LEAK" : "no leaks");
            if (leak) System.exit(1);
        }
    }

    /** ADD through the C plugin against a server that answers at once: exec + the plugin's own work. */
    static long[] nullAgent(java.nio.file.Path sock, String conf) throws Exception {
        java.nio.channels.ServerSocketChannel server = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX);
        server.bind(java.net.UnixDomainSocketAddress.of(sock));
        Thread t = new Thread(() -> {
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(1 << 16);
            while (true) {
                try (java.nio.channels.SocketChannel ch = server.accept()) {
                    buf.clear();
                    while (ch.read(buf) >= 0) {
                        buf.clear();
                    }
                    ch.write(java.nio.ByteBuffer.wrap("0\n{}\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                } catch (java.io.IOException e) {
                    return;
                }
            }
        });
        t.setDaemon(true);
        t.start();
        Map<String, Object> m = Json.asObject(Json.parse(conf));
        m.put("socket", sock.toString());
        String c = Json.write(m);
        long[] out = new long[300];
        try {
            for (int i = 0; i < out.length; i++) {
                Map<String, String> env = Map.of("CNI_COMMAND", "ADD", "CNI_CONTAINERID", "n" + i, "CNI_NETNS", "/run/netns/x",
                        "CNI_IFNAME", "eth0", "CNI_PATH", "/opt/cni/bin");
                long t0 = System.nanoTime();
                check(CniTestBed.run(env, c, CniTestBed.BINARY.toString()));
                out[i] = System.nanoTime() - t0;
            }
        } finally {
            server.close();
        }
        return out;
    }

    interface Caller {
        CniTestBed.Out call(String command, String id, String pod);
    }

    static CniTestBed.Out nsenter(String node, String command, String id, String pod, String conf) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CNI_COMMAND", command);
        env.put("CNI_CONTAINERID", id);
        env.put("CNI_NETNS", CniTestBed.path(pod));
        env.put("CNI_IFNAME", "eth0");
        env.put("CNI_ARGS", "IgnoreUnknown=1;K8S_POD_NAMESPACE=default;K8S_POD_NAME=" + id);
        env.put("CNI_PATH", ReferencePluginsTest.REF.toString());
        return CniTestBed.run(env, conf, "nsenter", "--net=/run/netns/" + node, ReferencePluginsTest.REF.resolve("bridge").toString());
    }

    static void check(CniTestBed.Out o) {
        if (o.exit() != 0) throw new IllegalStateException("call failed: " + o.stdout() + o.stderr());
    }

    static Run run(String name, Caller caller, List<String> pods, int concurrency) throws Exception {
        long[] add = new long[pods.size()];
        long[] del = new long[pods.size()];
        String tag = Long.toHexString(System.nanoTime());
        double addWall = phase(caller, "ADD", pods, concurrency, add, tag);
        double delWall = phase(caller, "DEL", pods, concurrency, del, tag);
        return new Run(name, add, del, addWall, delWall);
    }

    static double phase(Caller caller, String cmd, List<String> pods, int concurrency, long[] out, String tag) throws Exception {
        ConcurrentLinkedQueue<Integer> todo = new ConcurrentLinkedQueue<>();
        for (int i = 0; i < pods.size(); i++) todo.add(i);
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        long t0 = System.nanoTime();
        for (int w = 0; w < concurrency; w++) {
            pool.execute(() -> {
                Integer i;
                while ((i = todo.poll()) != null) {
                    long t = System.nanoTime();
                    check(caller.call(cmd, "b" + tag + "x" + i, pods.get(i)));
                    out[i] = System.nanoTime() - t;
                }
            });
        }
        pool.shutdown();
        if (!pool.awaitTermination(10, TimeUnit.MINUTES)) throw new IllegalStateException("timed out");
        return (System.nanoTime() - t0) / 1e9;
    }

    static long pct(long[] values, int p) {
        long[] s = values.clone();
        Arrays.sort(s);
        return s[Math.min(s.length - 1, (int) Math.ceil(p / 100.0 * s.length) - 1)];
    }

    static double ms(long nanos) {
        return nanos / 1e6;
    }
}
