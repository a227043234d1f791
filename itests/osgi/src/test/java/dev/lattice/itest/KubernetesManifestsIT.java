package dev.lattice.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lattice.apiserver.EmbeddedApiServer;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes manifests as an operator applies them: kubectl apply against the embedded API
 * server, then the objects read back and checked (least-privilege RBAC, what the DaemonSet needs).
 */
class KubernetesManifestsIT {
    private static final Path MANIFESTS = Path.of("../../distribution/kubernetes/lattice.yaml");
    private EmbeddedApiServer server;

    @BeforeEach
    void start() {
        server = EmbeddedApiServer.startLoopback();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void kubectlAppliesTheManifestsAndTheyAskOnlyForWhatTheAgentNeeds() throws Exception {
        assertTrue(Files.exists(MANIFESTS), MANIFESTS.toAbsolutePath().toString());
        ProcessBuilder pb = new ProcessBuilder("kubectl", "--server", server.url(), "apply", "--validate=false",
                "-f", MANIFESTS.toString()).redirectErrorStream(true);
        pb.environment().put("KUBECONFIG", "/dev/null");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("daemonset.apps/lattice created"), out);

        ClusterRole role = server.client().rbac().clusterRoles().withName("lattice").get();
        assertNotNull(role);
        for (PolicyRule rule : role.getRules()) {
            assertTrue(Set.of("get", "list", "watch").containsAll(rule.getVerbs()), "read-only RBAC: " + rule);
        }
        DaemonSet ds = server.client().apps().daemonSets().inNamespace("kube-system").withName("lattice").get();
        assertNotNull(ds);
        var pod = ds.getSpec().getTemplate().getSpec();
        assertTrue(pod.getHostNetwork());
        assertEquals("lattice", pod.getServiceAccountName());
        var container = pod.getContainers().get(0);
        assertTrue(container.getEnv().stream().anyMatch(e -> e.getName().equals("NODE_NAME")
                && e.getValueFrom().getFieldRef().getFieldPath().equals("spec.nodeName")));
        assertTrue(container.getVolumeMounts().stream().anyMatch(m -> m.getMountPath().equals("/run/netns")
                && "Bidirectional".equals(m.getMountPropagation())));
        String config = server.client().configMaps().inNamespace("kube-system").withName("lattice-config").get()
                .getData().get("lattice.yaml");
        assertTrue(config.contains("podNetwork: linux-bridge"), config);
    }
}
