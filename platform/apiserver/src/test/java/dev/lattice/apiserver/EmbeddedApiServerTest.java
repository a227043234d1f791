package dev.lattice.apiserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class EmbeddedApiServerTest {

    private static HttpResponse<String> get(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void discoveryAnswersKubectlNeeds() throws Exception {
        try (EmbeddedApiServer api = EmbeddedApiServer.startLoopback()) {
            assertTrue(get(api.url() + "/api?timeout=32s").body().contains("\"v1\""));
            assertTrue(get(api.url() + "/apis").body().contains("discovery.k8s.io/v1"));
            assertTrue(get(api.url() + "/api/v1?timeout=32s").body().contains("\"pods\""));
            assertTrue(get(api.url() + "/apis/networking.k8s.io/v1").body().contains("networkpolicies"));
            assertTrue(get(api.url() + "/version").body().contains("v1.32"));
            assertEquals(404, get(api.url() + "/openapi/v2?timeout=32s").statusCode());
        }
    }

    @Test
    void seedsFromYamlAndDirectlyAndKeepsTheStoreAcrossRestarts() throws Exception {
        EmbeddedApiServer api = EmbeddedApiServer.startLoopback();
        try {
            api.seed(new ByteArrayInputStream("""
                    apiVersion: v1
                    kind: Namespace
                    metadata: {name: shop}
                    ---
                    apiVersion: v1
                    kind: Pod
                    metadata: {name: web, namespace: shop, labels: {app: web}}
                    spec: {containers: [{name: c, image: x}]}
                    """.getBytes(StandardCharsets.UTF_8)));
            assertEquals(2, api.seedDirect(List.of(
                    new NodeBuilder().withNewMetadata().withName("n1").endMetadata().build(),
                    new NodeBuilder().withNewMetadata().withName("n2").endMetadata().build())));
            int port = api.port();
            api.stop();
            api.start();
            assertEquals(port, api.port());
            try (KubernetesClient k = api.client()) {
                assertEquals(2, k.nodes().list().getItems().size());
                assertEquals("web", k.pods().inNamespace("shop").withLabel("app", "web").list().getItems().get(0)
                        .getMetadata().getName());
                assertTrue(k.nodes().withName("n1").get().getMetadata().getUid() != null);
            }
        } finally {
            api.stop();
        }
    }
}
