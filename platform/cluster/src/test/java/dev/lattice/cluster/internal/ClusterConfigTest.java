package dev.lattice.cluster.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lattice.apiserver.EmbeddedApiServer;
import dev.lattice.cluster.api.ClusterState;
import dev.lattice.cluster.api.NodeIdentity;
import dev.lattice.spi.telemetry.Health;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class ClusterConfigTest {

    @Test
    void parsesStringsBooleansAndNumbers() {
        ClusterConfig c = ClusterConfig.from(Map.of("apiServer", " https://10.0.0.1:6443 ", "inCluster", "false",
                "insecureSkipTlsVerify", "true", "resyncSeconds", "300", "nodeName", "n1"));
        assertEquals("https://10.0.0.1:6443", c.apiServer());
        assertEquals(Boolean.FALSE, c.inCluster());
        assertTrue(c.insecureSkipTlsVerify());
        assertEquals(300, c.resyncSeconds());
        assertEquals(ClusterConfig.DEFAULT_SNAPSHOT_INTERVAL_MILLIS, c.snapshotIntervalMillis());
        assertThrows(IllegalArgumentException.class, () -> ClusterConfig.from(Map.of("inCluster", "maybe")));
        assertThrows(IllegalArgumentException.class, () -> ClusterConfig.from(Map.of("resyncSeconds", "soon")));
    }

    @Test
    void inClusterIsAutomaticWhenTheServiceHostIsSet() {
        ClusterConfig none = ClusterConfig.from(Map.of());
        assertFalse(none.configured(Map.of()));
        assertTrue(none.configured(Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1")));
        assertFalse(ClusterConfig.from(Map.of("inCluster", false)).configured(Map.of("KUBERNETES_SERVICE_HOST", "x")));
        assertTrue(ClusterConfig.from(Map.of("kubeconfig", "/k")).configured(Map.of()));
    }

    @Test
    void nodeIdentityPrecedence() {
        assertEquals(new NodeIdentity("cfg", NodeIdentity.Source.CONFIG),
                NodeIdentities.resolve("cfg", Map.of("NODE_NAME", "env")));
        assertEquals(new NodeIdentity("env", NodeIdentity.Source.ENVIRONMENT),
                NodeIdentities.resolve("", Map.of("NODE_NAME", "env", "HOSTNAME", "h")));
        assertEquals(new NodeIdentity("host-a", NodeIdentity.Source.HOSTNAME),
                NodeIdentities.resolve(null, Map.of("HOSTNAME", "Host-A")));
    }

    @Test
    void backoffDoublesWithJitterUpToTheCap() {
        Backoff b = new Backoff(250, 30_000, 0.2, () -> 1.0);
        assertEquals(300, b.next());
        assertEquals(600, b.next());
        Backoff low = new Backoff(250, 1000, 0.2, () -> 0.0);
        assertEquals(200, low.next());
        low.next();
        low.next();
        assertEquals(800, low.next(), "capped at 1000 minus 20 %");
        low.reset();
        assertEquals(200, low.next());
    }

    @Test
    void kubeconfigIsUsed(@TempDir Path dir) throws Exception {
        try (EmbeddedApiServer api = EmbeddedApiServer.startLoopback()) {
            api.seedDirect(java.util.List.of(new io.fabric8.kubernetes.api.model.NodeBuilder().withNewMetadata()
                    .withName("from-kubeconfig").endMetadata().build()));
            Path kc = dir.resolve("config");
            Files.writeString(kc, """
                    apiVersion: v1
                    kind: Config
                    clusters:
                    - name: local
                      cluster: {server: "%s"}
                    users:
                    - name: me
                      user: {token: abc}
                    contexts:
                    - name: here
                      context: {cluster: local, user: me}
                    current-context: here
                    """.formatted(api.url()));
            ClusterStateComponent c = new ClusterStateComponent(Map.of());
            c.activate(Map.of("kubeconfig", kc.toString(), "snapshotIntervalMillis", 10));
            try {
                assertNotNull(c.awaitSynced(Duration.ofSeconds(20)), () -> c.status().toString());
                assertTrue(c.snapshot().node("from-kubeconfig").isPresent()
                        || waitFor(c, "from-kubeconfig"));
            } finally {
                c.deactivate();
            }
        }
    }

    private static boolean waitFor(ClusterStateComponent c, String node) throws InterruptedException {
        for (int i = 0; i < 200 && c.snapshot().node(node).isEmpty(); i++) {
            Thread.sleep(20);
        }
        return c.snapshot().node(node).isPresent();
    }

    @Test
    void unreachableAtStartIsDownWithTheReasonAndKeepsTrying() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        ClusterStateComponent c = new ClusterStateComponent(Map.of());
        c.activate(Map.of("apiServer", "http://127.0.0.1:" + port));
        try {
            for (int i = 0; i < 200 && !c.status().message().startsWith("cannot reach"); i++) {
                Thread.sleep(20);
            }
            Health h = c.health();
            assertEquals(Health.Status.DOWN, h.status());
            assertEquals(ClusterState.Phase.CONNECTING, c.status().phase());
            assertTrue(h.message().startsWith("cannot reach API server http://127.0.0.1:" + port + ": "), h.message());
            assertTrue(h.message().contains("retrying in"), h.message());

            // the server appears on that port: the agent connects by itself
            try (EmbeddedApiServer api = new EmbeddedApiServer(java.net.InetAddress.getLoopbackAddress(), port, false)) {
                api.start();
                assertNotNull(c.awaitSynced(Duration.ofSeconds(30)), () -> c.status().toString());
            }
        } finally {
            c.deactivate();
        }
    }
}
