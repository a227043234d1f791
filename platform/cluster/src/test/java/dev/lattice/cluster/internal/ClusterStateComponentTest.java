package dev.lattice.cluster.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lattice.apiserver.EmbeddedApiServer;
import dev.lattice.cluster.api.ClusterChange;
import dev.lattice.cluster.api.ClusterNode;
import dev.lattice.cluster.api.ClusterSnapshot;
import dev.lattice.cluster.api.ClusterState;
import dev.lattice.cluster.api.LabelSelector;
import dev.lattice.cluster.api.NodeIdentity;
import dev.lattice.cluster.api.ObjectKey;
import dev.lattice.cluster.api.ResourceKind;
import dev.lattice.spi.net.IpAddress;
import dev.lattice.spi.net.IpPrefix;
import dev.lattice.spi.telemetry.Health;
import dev.lattice.spi.telemetry.MetricFamily;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The watch layer against the embedded API server, through the component as OSGi would use it. */
@Timeout(60)
class ClusterStateComponentTest {
    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).close();
        }
    }

    private EmbeddedApiServer server() {
        EmbeddedApiServer s = EmbeddedApiServer.startLoopback();
        cleanup.add(s);
        return s;
    }

    private ClusterStateComponent component(String url, Map<String, Object> extra) {
        ClusterStateComponent c = new ClusterStateComponent(Map.of());
        Map<String, Object> cfg = new HashMap<>();
        cfg.put("apiServer", url);
        cfg.put("nodeName", "node-a");
        cfg.put("snapshotIntervalMillis", 10);
        cfg.putAll(extra);
        c.activate(cfg);
        cleanup.add(c::deactivate);
        return c;
    }

    static ClusterSnapshot await(ClusterState c, Predicate<ClusterSnapshot> p, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        ClusterSnapshot s = c.snapshot();
        while (!p.test(s)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + "; last " + s + ", status " + c.status());
            }
            Thread.sleep(20);
            s = c.snapshot();
        }
        return s;
    }

    static void awaitPhase(ClusterState c, ClusterState.Phase phase) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (c.status().phase() != phase) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + phase + "; status " + c.status());
            }
            Thread.sleep(20);
        }
    }

    static io.fabric8.kubernetes.api.model.Node node(String name, String ip, String cidr) {
        return new NodeBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withPodCIDR(cidr).withPodCIDRs(cidr).endSpec()
                .withNewStatus().addNewAddress().withType("InternalIP").withAddress(ip).endAddress().endStatus()
                .build();
    }

    static Pod pod(String ns, String name, String node, String ip, String app) {
        return new PodBuilder().withNewMetadata().withNamespace(ns).withName(name).addToLabels("app", app).endMetadata()
                .withNewSpec().withNodeName(node).addNewContainer().withName("c").withImage("x").endContainer().endSpec()
                .withNewStatus().withPhase("Running").withPodIP(ip).addNewPodIP().withIp(ip).endPodIP().endStatus()
                .build();
    }

    @Test
    void withoutAClusterItStartsAndSaysWhy() {
        ClusterStateComponent c = new ClusterStateComponent(Map.of("NODE_NAME", "from-env"));
        c.activate(Map.of());
        cleanup.add(c::deactivate);
        Health h = c.health();
        assertEquals(Health.Status.DOWN, h.status());
        assertEquals("not configured: set kubernetes.apiServer or kubernetes.kubeconfig in lattice.yaml", h.message());
        assertEquals(ClusterState.Phase.NOT_CONFIGURED, c.status().phase());
        assertEquals(new NodeIdentity("from-env", NodeIdentity.Source.ENVIRONMENT), c.nodeIdentity());
        assertFalse(c.snapshot().synced());
        assertEquals("cluster", c.component());
        assertFalse(c.collect().isEmpty());
    }

    @Test
    void eventsReachTheSnapshot() throws Exception {
        EmbeddedApiServer api = server();
        KubernetesClient k = api.client();
        cleanup.add(k);
        k.resource(new NamespaceBuilder().withNewMetadata().withName("shop").addToLabels("team", "a").endMetadata()
                .build()).create();
        k.resource(node("node-a", "192.168.0.1", "10.244.0.0/24")).create();
        k.resource(pod("shop", "web-1", "node-a", "10.244.0.5", "web")).create();

        ClusterStateComponent c = component(api.url(), Map.of());
        List<ClusterChange> seen = new CopyOnWriteArrayList<>();
        cleanup.add(c.subscribe((snap, changes) -> seen.addAll(changes)));
        ClusterSnapshot s = c.awaitSynced(Duration.ofSeconds(20));
        assertNotNull(s, () -> "not synced: " + c.status());
        assertEquals(Health.Status.UP, c.health().status(), c.health().message());
        assertEquals(List.of(IpAddress.parse("192.168.0.1")), s.localNode().orElseThrow().internalIps());
        assertEquals(1, s.localPods().size());

        // create: one object of every kind
        k.resource(node("node-b", "192.168.0.2", "10.244.1.0/24")).create();
        k.resource(pod("shop", "web-2", "node-b", "10.244.1.7", "web")).create();
        k.resource(new ServiceBuilder().withNewMetadata().withNamespace("shop").withName("web").endMetadata()
                .withNewSpec().withClusterIP("10.96.0.20").addToSelector("app", "web").addNewPort().withPort(80)
                .withNewTargetPort(8080).endPort().endSpec().build()).create();
        k.resource(new EndpointSliceBuilder().withNewMetadata().withNamespace("shop").withName("web-x")
                .addToLabels("kubernetes.io/service-name", "web").endMetadata().withAddressType("IPv4")
                .addNewEndpoint().withAddresses("10.244.0.5").withNodeName("node-a").endEndpoint()
                .addNewPort().withPort(8080).endPort().build()).create();
        k.resource(new NetworkPolicyBuilder().withNewMetadata().withNamespace("shop").withName("deny").endMetadata()
                .withNewSpec().withNewPodSelector().endPodSelector().endSpec().build()).create();
        s = await(c, x -> x.nodes().size() == 2 && x.pods().size() == 2 && x.services().size() == 1
                && x.endpointSlices().size() == 1 && x.networkPolicies().size() == 1, "creates");
        assertEquals(1, s.endpointSlicesFor("shop", "web").size());
        assertEquals(2, s.podsMatching("shop", LabelSelector.of(Map.of("app", "web"))).size());
        assertEquals(1, s.podsOnNode("node-b").size());
        assertEquals(1, s.namespaces().size());
        assertEquals(IpPrefix.parse("10.244.1.0/24"), s.node("node-b").orElseThrow().toNodeInfo().podCidrs().get(0));

        // update: a pod IP and a node's pod CIDR annotation
        k.pods().inNamespace("shop").withName("web-2").editStatus(p -> {
            p.getStatus().setPodIP("10.244.1.8");
            p.getStatus().getPodIPs().get(0).setIp("10.244.1.8");
            return p;
        });
        k.nodes().withName("node-b").edit(n -> {
            n.getMetadata().setAnnotations(Map.of(ClusterNode.POD_CIDRS_ANNOTATION, "10.250.0.0/24"));
            return n;
        });
        s = await(c, x -> x.pod("shop", "web-2").map(p -> p.ips().equals(List.of(IpAddress.parse("10.244.1.8"))))
                .orElse(false) && x.node("node-b").map(ClusterNode::podCidrsFromAnnotation).orElse(false), "updates");
        assertEquals(List.of(IpPrefix.parse("10.250.0.0/24")), s.node("node-b").orElseThrow().podCidrs());

        // delete
        k.pods().inNamespace("shop").withName("web-1").delete();
        k.network().v1().networkPolicies().inNamespace("shop").withName("deny").delete();
        s = await(c, x -> x.pods().size() == 1 && x.networkPolicies().isEmpty(), "deletes");
        assertTrue(s.localPods().isEmpty());

        // the listener saw the initial state and every change, typed
        assertTrue(seen.stream().anyMatch(ch -> ch.type() == ClusterChange.Type.ADDED && ch.kind() == ResourceKind.POD
                && ch.key().equals(ObjectKey.of("shop", "web-1"))));
        assertTrue(seen.stream().anyMatch(ch -> ch.type() == ClusterChange.Type.UPDATED
                && ch.newValue(ClusterNode.class).map(ClusterNode::podCidrsFromAnnotation).orElse(false)));
        assertTrue(seen.stream().anyMatch(ch -> ch.type() == ClusterChange.Type.DELETED
                && ch.kind() == ResourceKind.NETWORK_POLICY));
        Map<String, Double> objects = new HashMap<>();
        for (MetricFamily f : c.collect()) {
            if (f.name().equals("lattice_cluster_objects")) {
                f.samples().forEach(x -> objects.put(x.labels().get("kind"), x.value()));
            }
        }
        assertEquals(1.0, objects.get("pod"));
    }

    @Test
    void recoversFromAnApiServerRestartThatLostObjects() throws Exception {
        EmbeddedApiServer api = server();
        api.seedDirect(List.of(node("node-a", "192.168.0.1", "10.244.0.0/24"),
                pod("default", "keep", "node-a", "10.244.0.5", "a"), pod("default", "gone", "node-a", "10.244.0.6", "a")));
        ClusterStateComponent c = component(api.url(), Map.of());
        assertNotNull(c.awaitSynced(Duration.ofSeconds(20)));
        await(c, x -> x.pods().size() == 2, "initial pods");

        int port = api.port();
        api.stop();
        awaitPhase(c, ClusterState.Phase.DEGRADED);
        Health h = c.health();
        assertEquals(Health.Status.DEGRADED, h.status());
        assertTrue(h.message().contains("unreachable"), h.message());
        assertEquals(2, c.snapshot().pods().size(), "the last snapshot is kept");

        // a new API server on the same port that does not know "gone" but has "new"
        EmbeddedApiServer again = new EmbeddedApiServer(java.net.InetAddress.getLoopbackAddress(), port, false);
        cleanup.add(again);
        again.seedDirect(List.of(node("node-a", "192.168.0.1", "10.244.0.0/24"),
                pod("default", "keep", "node-a", "10.244.0.5", "a"), pod("default", "new", "node-a", "10.244.0.7", "a")));
        again.start();
        ClusterSnapshot s = await(c, x -> x.pods().containsKey(ObjectKey.of("default", "new"))
                && !x.pods().containsKey(ObjectKey.of("default", "gone")), "state of the new server");
        assertEquals(2, s.pods().size());
        awaitPhase(c, ClusterState.Phase.SYNCED);
        assertEquals(Health.Status.UP, c.health().status());
        assertTrue(c.status().relists() > 0);

        // and it watches the new server
        try (KubernetesClient k = again.client()) {
            k.resource(pod("default", "later", "node-a", "10.244.0.8", "a")).create();
        }
        await(c, x -> x.pods().containsKey(ObjectKey.of("default", "later")), "watch after reconnect");
    }

    @Test
    void goneOnAWatchForcesARelistWithoutLosingState() throws Exception {
        EmbeddedApiServer api = server();
        api.seedDirect(List.of(pod("default", "a", "n", "10.244.0.5", "x"), pod("default", "b", "n", "10.244.0.6", "x")));
        EmbeddedApiServer.WatchExpiry expiry = api.expireNextWatch("/api/v1/pods");
        ClusterStateComponent c = component(api.url(), Map.of());
        List<ClusterChange> seen = new CopyOnWriteArrayList<>();
        cleanup.add(c.subscribe((snap, changes) -> seen.addAll(changes)));
        assertNotNull(c.awaitSynced(Duration.ofSeconds(20)));
        assertTrue(expiry.awaitIntercepted(10, TimeUnit.SECONDS), "the pod watch was intercepted");
        await(c, x -> x.pods().size() == 2, "initial pods");

        // While the pod watch is silent: b is deleted, c created (no events reach the agent).
        Pod moved = pod("default", "a", "n", "10.244.0.9", "x");
        api.updateDirect(moved);
        try (KubernetesClient k = api.client()) {
            k.pods().inNamespace("default").withName("b").delete();
            k.resource(pod("default", "c", "n", "10.244.0.7", "x")).create();
        }
        Thread.sleep(200);
        assertEquals(2, c.snapshot().pods().size());
        assertTrue(c.snapshot().pods().containsKey(ObjectKey.of("default", "b")), "no event reached the agent");

        expiry.release();
        assertTrue(expiry.awaitSent(10, TimeUnit.SECONDS));
        ClusterSnapshot s = await(c, x -> x.pods().containsKey(ObjectKey.of("default", "c"))
                && !x.pods().containsKey(ObjectKey.of("default", "b"))
                && x.pod("default", "a").map(p -> p.ips().equals(List.of(IpAddress.parse("10.244.0.9")))).orElse(false),
                "relisted state");
        assertEquals(2, s.pods().size());
        // "a" was never dropped on the way
        assertFalse(seen.stream().anyMatch(ch -> ch.type() == ClusterChange.Type.DELETED
                && ch.key().equals(ObjectKey.of("default", "a"))), seen::toString);
        assertEquals(ClusterState.Phase.SYNCED, c.status().phase());
    }

    @Test
    void malformedObjectsAreSkipped() throws Exception {
        EmbeddedApiServer api = server();
        GenericKubernetesResource bad = Serialization.unmarshal("""
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"bad","namespace":"default"},
                 "spec":{"hostNetwork":"yes","nodeName":"n"},"status":{"podIP":"10.244.0.66"}}
                """, GenericKubernetesResource.class);
        List<HasMetadata> seed = new ArrayList<>();
        seed.add(pod("default", "good", "n", "10.244.0.5", "x"));
        seed.add(bad);
        api.seedDirect(seed);
        ClusterStateComponent c = component(api.url(), Map.of());
        ClusterSnapshot s = c.awaitSynced(Duration.ofSeconds(20));
        assertNotNull(s);
        s = await(c, x -> x.pods().size() == 1, "the good pod");
        assertTrue(s.pods().containsKey(ObjectKey.of("default", "good")));
        assertEquals(Health.Status.UP, c.health().status());

        // a good pod turning bad keeps its last good state; later good updates apply again
        GenericKubernetesResource badUpdate = Serialization.unmarshal(Serialization.asJson(
                pod("default", "good", "n", "10.244.0.5", "x")), GenericKubernetesResource.class);
        badUpdate.setAdditionalProperty("status", Map.of("podIP", "not-an-ip"));
        api.updateDirect(badUpdate);
        try (KubernetesClient k = api.client()) {
            k.resource(pod("default", "after", "n", "10.244.0.9", "x")).create();
        }
        s = await(c, x -> x.pods().containsKey(ObjectKey.of("default", "after")), "a later pod");
        assertEquals(List.of(IpAddress.parse("10.244.0.5")), s.pod("default", "good").orElseThrow().ips());
        double skipped = c.collect().stream().filter(f -> f.name().equals("lattice_cluster_skipped_objects_total"))
                .flatMap(f -> f.samples().stream()).filter(x -> "pod".equals(x.labels().get("kind")))
                .mapToDouble(MetricFamily.Sample::value).sum();
        assertTrue(skipped >= 2, "skipped " + skipped);
        assertEquals(ClusterState.Phase.SYNCED, c.status().phase());
    }

    @Test
    void reconfigurationReconnectsAndSeedsFromYaml() throws Exception {
        EmbeddedApiServer one = server();
        EmbeddedApiServer two = server();
        one.seed(new ByteArrayInputStream("""
                apiVersion: v1
                kind: Node
                metadata: {name: only-in-one}
                """.getBytes(StandardCharsets.UTF_8)));
        two.seed(new ByteArrayInputStream("""
                apiVersion: v1
                kind: Node
                metadata: {name: only-in-two}
                ---
                apiVersion: v1
                kind: Namespace
                metadata: {name: two}
                """.getBytes(StandardCharsets.UTF_8)));
        ClusterStateComponent c = component(one.url(), Map.of());
        assertNotNull(c.awaitSynced(Duration.ofSeconds(20)));
        await(c, x -> x.node("only-in-one").isPresent(), "first cluster");
        c.modified(Map.of("apiServer", two.url(), "nodeName", "node-b", "snapshotIntervalMillis", 10));
        ClusterSnapshot s = await(c, x -> x.synced() && x.node("only-in-two").isPresent()
                && x.node("only-in-one").isEmpty() && x.namespaces().size() == 1, "second cluster");
        assertEquals("node-b", s.localNodeName());
        assertEquals(NodeIdentity.Source.CONFIG, c.nodeIdentity().source());
        assertEquals(two.url(), c.status().apiServer());
    }
}
