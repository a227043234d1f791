package dev.lattice.datapath.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lattice.core.ipam.Ipam;
import dev.lattice.core.ipam.Json;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The agent is killed (SIGKILL) in the middle of ADDs and restarted: no address leaks, no orphan veth. */
class AgentCrashTest {
    private CniTestBed bed;
    private Process agent;

    @BeforeEach
    void setUp() throws Exception {
        bed = new CniTestBed("10.79.0.0/24");
    }

    @AfterEach
    void tearDown() throws Exception {
        stopAgent();
        bed.close();
    }

    private void startAgent() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        agent = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), ServerMain.class.getName(),
                bed.dir.toString(), bed.nodeName, "10.79.0.0/24").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.PIPE).start();
        BufferedReader r = new BufferedReader(new InputStreamReader(agent.getInputStream(), StandardCharsets.UTF_8));
        String line;
        StringBuilder log = new StringBuilder();
        while ((line = r.readLine()) != null && !line.equals("READY")) {
            log.append(line).append('\n');
        }
        assertEquals("READY", line, "agent did not start: " + log);
        Thread drain = new Thread(() -> {
            try {
                while (r.readLine() != null) {
                    // discard
                }
            } catch (java.io.IOException ignored) {
                // agent gone
            }
        });
        drain.setDaemon(true);
        drain.start();
    }

    private void stopAgent() throws Exception {
        if (agent != null) {
            agent.destroyForcibly(); // SIGKILL, by this process's own handle
            agent.waitFor(10, TimeUnit.SECONDS);
            agent = null;
        }
    }

    private Set<Ipam.Key> allocatedKeys() {
        return new TreeSet<>(new Ipam(bed.dir.resolve("ipam/ipam.json"), List::of, false).allocations().keySet());
    }

    @Test
    void killDuringAddsThenRestartLeaksNothing() throws Exception {
        startAgent();
        String conf = bed.netconf();
        List<String> fast = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String pod = bed.newPod();
            fast.add(pod);
            CniTestBed.Out o = bed.cni("ADD", "fast" + i, pod, "eth0", conf);
            assertEquals(0, o.exit(), o.stdout());
        }
        List<String> slowPods = new ArrayList<>();
        for (int i = 0; i < 8; i++) slowPods.add(bed.newPod());
        List<CniTestBed.Out> results = Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            int k = i;
            Thread t = new Thread(() -> results.add(bed.cni("ADD", "slow" + k, slowPods.get(k), "eth0", conf)));
            t.start();
            threads.add(t);
        }
        Thread.sleep(150); // the slow ADDs have made their veths and wait before being recorded
        stopAgent();
        for (Thread t : threads) t.join(30_000);
        assertEquals(8, results.size());
        for (CniTestBed.Out o : results) {
            assertEquals(1, o.exit(), o.stdout());
            assertEquals(11, o.code(), "a crash is 'try again later': " + o.stdout());
        }
        assertTrue(bed.nodeVeths().size() > 4, "the crash left half-made attachments: " + bed.nodeVeths());

        startAgent(); // recovery rolls the half-made ones back
        Set<String> expectedVeths = new TreeSet<>();
        for (int i = 0; i < 4; i++) expectedVeths.add(LinuxBridgeDatapath.hostInterfaceName("fast" + i, "eth0"));
        assertEquals(expectedVeths, new TreeSet<>(bed.nodeVeths()));
        Set<Ipam.Key> expectedKeys = new TreeSet<>();
        for (int i = 0; i < 4; i++) expectedKeys.add(new Ipam.Key("fast" + i, "eth0"));
        assertEquals(expectedKeys, allocatedKeys());

        // containerd: DEL for each failed ADD, then GC with what it still knows
        for (int i = 0; i < 8; i++) {
            assertEquals(0, bed.cni("DEL", "slow" + i, slowPods.get(i), "eth0", conf).exit());
        }
        Map<String, Object> gc = Json.asObject(Json.parse(bed.netconf("1.1.0")));
        gc.put("cni.dev/valid-attachments", List.of(Map.of("containerID", "fast0", "ifname", "eth0"),
                Map.of("containerID", "fast1", "ifname", "eth0")));
        assertEquals(0, bed.cni("GC", null, null, null, Json.write(gc)).exit());
        assertEquals(Set.of(new Ipam.Key("fast0", "eth0"), new Ipam.Key("fast1", "eth0")), allocatedKeys());
        assertEquals(Set.of(LinuxBridgeDatapath.hostInterfaceName("fast0", "eth0"),
                LinuxBridgeDatapath.hostInterfaceName("fast1", "eth0")), new TreeSet<>(bed.nodeVeths()));
        // the survivors still work, and new pods get addresses again
        CniTestBed.in(fast.get(0), "ping", "-c", "1", "-W", "2", "10.79.0.1");
        assertEquals(0, bed.cni("CHECK", "fast1", fast.get(1), "eth0", conf).exit());
        String p = bed.newPod();
        CniTestBed.Out again = bed.cni("ADD", "after", p, "eth0", conf);
        assertEquals(0, again.exit(), again.stdout());
        Set<String> addrs = allocatedAddresses();
        assertEquals(3, addrs.size(), addrs.toString());
        try (var files = java.nio.file.Files.list(bed.dir.resolve("state/attachments"))) {
            assertEquals(Set.of("fast0@eth0.json", "fast1@eth0.json", "after@eth0.json"),
                    files.map(f -> f.getFileName().toString()).collect(Collectors.toSet()), "one state file per attachment");
        }
    }

    private Set<String> allocatedAddresses() {
        return new Ipam(bed.dir.resolve("ipam/ipam.json"), List::of, false).allocations().values().stream()
                .flatMap(List::stream).map(a -> a.address().toString()).collect(Collectors.toCollection(TreeSet::new));
    }
}
