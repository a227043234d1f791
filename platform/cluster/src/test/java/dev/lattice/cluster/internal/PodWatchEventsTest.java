package dev.lattice.cluster.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lattice.cluster.api.ClusterPod;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodWatchEventsTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final PodWatchEvents.Serialization serialization = new PodWatchEvents.Serialization(new ObjectMapper());

    static String event(String type, String object) {
        return "{\"type\":\"" + type + "\",\"object\":" + object + "}";
    }

    static String pod(String metadata, String spec, String status) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":" + metadata
                + (spec == null ? "" : ",\"spec\":" + spec) + (status == null ? "" : ",\"status\":" + status) + "}";
    }

    static final String META = "{\"name\":\"web-1\",\"namespace\":\"shop\",\"uid\":\"u-1\",\"resourceVersion\":\"42\","
            + "\"labels\":{\"app\":\"web\",\"tier\":\"fe\"},\"annotations\":{\"a\":\"b\"},"
            + "\"ownerReferences\":[{\"kind\":\"ReplicaSet\",\"name\":\"rs\"}]}";
    static final String SPEC = "{\"nodeName\":\"worker-1\",\"containers\":[{\"name\":\"main\",\"image\":\"x\","
            + "\"ports\":[{\"name\":\"http\",\"containerPort\":8080,\"protocol\":\"TCP\"},{\"containerPort\":53,"
            + "\"protocol\":\"UDP\"}],\"resources\":{\"requests\":{\"cpu\":\"100m\"}}},{\"name\":\"side\"}]}";
    static final String STATUS = "{\"phase\":\"Running\",\"podIP\":\"10.244.1.5\",\"podIPs\":[{\"ip\":\"10.244.1.5\"},"
            + "{\"ip\":\"fd00:10:244:1::5\"}],\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}";

    /** The general path's result for the same object (null when it reports the object malformed). */
    static ClusterPod general(String podJson) throws Exception {
        GenericKubernetesResource r = Serialization.unmarshal(podJson, GenericKubernetesResource.class);
        try {
            return KubeTranslator.pod(r);
        } catch (MalformedObjectException e) {
            return null;
        }
    }

    /** Fast path either declines or agrees exactly with the general path. */
    static ClusterPod checkAgrees(String podJson) throws Exception {
        WatchEvent e = PodWatchEvents.parse(MAPPER.getFactory(), event("MODIFIED", podJson));
        if (e == null) {
            return null;
        }
        PodWatchEvents.TranslatedPod t = assertInstanceOf(PodWatchEvents.TranslatedPod.class, e.getObject());
        ClusterPod expected = general(podJson);
        assertNotNull(expected, "fast path accepted what the general path rejects: " + podJson);
        assertEquals(expected, t.pod(), podJson);
        assertEquals("MODIFIED", e.getType());
        GenericKubernetesResource r = Serialization.unmarshal(podJson, GenericKubernetesResource.class);
        assertEquals(r.getMetadata().getName(), t.getMetadata().getName());
        assertEquals(r.getMetadata().getNamespace(), t.getMetadata().getNamespace());
        assertEquals(r.getMetadata().getResourceVersion(), t.getMetadata().getResourceVersion());
        return t.pod();
    }

    @Test
    void wellFormedPodsTakeTheFastPathAndMatchTheTranslator() throws Exception {
        ClusterPod p = checkAgrees(pod(META, SPEC, STATUS));
        assertNotNull(p);
        assertEquals(2, p.ips().size());
        assertEquals(2, p.ports().size());
        assertEquals("worker-1", p.nodeName());
        for (String variant : List.of(
                pod(META, null, null),
                pod(META, "null", "null"),
                pod(META, "{\"hostNetwork\":true,\"containers\":null}", "{\"podIP\":\"10.0.0.9\"}"),
                pod(META, "{\"hostNetwork\":false,\"containers\":[null,{\"ports\":null}]}", "{\"podIPs\":[],\"podIP\":\"\"}"),
                pod(META.replace("\"labels\":{\"app\":\"web\",\"tier\":\"fe\"},", "\"labels\":{\"x\":null},"), SPEC,
                        STATUS),
                pod(META.replace("\"uid\":\"u-1\",", "\"deletionTimestamp\":\"2026-01-01T00:00:00Z\","), SPEC, STATUS),
                pod(META, "{\"nodeName\":null,\"containers\":[{\"ports\":[{\"containerPort\":1,\"name\":null,"
                        + "\"protocol\":\"SCTP\"}]}]}", "{\"phase\":null,\"podIPs\":[{\"ip\":\"10.1.1.1\",\"x\":[1]}]}"),
                // the API server writes kind before apiVersion
                pod(META, SPEC, STATUS).replace("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",",
                        "{\"kind\":\"Pod\",\"apiVersion\":\"v1\","))) {
            assertNotNull(checkAgrees(variant), variant);
        }
    }

    @Test
    void realisticPodFromTheModel() throws Exception {
        Pod pod = new PodBuilder().withNewMetadata().withNamespace("ns-1").withName("pod-1").addToLabels("app", "a")
                .addToAnnotations("k", "v").addNewOwnerReference().withKind("ReplicaSet").withName("rs").endOwnerReference()
                .endMetadata().withNewSpec().withNodeName("node-1").addNewContainer().withName("main")
                .addNewPort().withName("http").withContainerPort(8080).withProtocol("TCP").endPort()
                .withNewResources().addToRequests("cpu", new Quantity("100m")).endResources().endContainer().endSpec()
                .withNewStatus().withPhase("Running").withPodIP("10.1.2.3").addNewPodIP().withIp("10.1.2.3").endPodIP()
                .addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus().build();
        assertNotNull(checkAgrees(Serialization.asJson(pod)));
    }

    @Test
    void oddOrMalformedPodsAreLeftToTheGeneralPath() throws Exception {
        for (String variant : List.of(
                pod(META, SPEC, "{\"podIP\":\"banana\"}"),
                pod(META, SPEC, "{\"podIPs\":[{\"ip\":\"\"}]}"),
                pod(META, SPEC, "{\"podIPs\":[{}]}"),
                pod(META, SPEC, "{\"podIPs\":[null]}"),
                pod(META, SPEC, "{\"podIPs\":{}}"),
                pod(META, SPEC, "{\"phase\":7}"),
                pod(META, "{\"hostNetwork\":\"yes\"}", STATUS),
                pod(META, "{\"nodeName\":1}", STATUS),
                pod(META, "{\"containers\":[{\"ports\":[{\"containerPort\":\"80\"}]}]}", STATUS),
                pod(META, "{\"containers\":[{\"ports\":[{\"containerPort\":80.5}]}]}", STATUS),
                pod(META, "{\"containers\":[{\"ports\":[{\"containerPort\":8000000000}]}]}", STATUS),
                pod(META, "{\"containers\":[{\"ports\":[{\"protocol\":\"ICMP\"}]}]}", STATUS),
                pod(META, "{\"containers\":[{\"ports\":[null]}]}", STATUS),
                pod(META, "{\"containers\":{}}", STATUS),
                pod(META, "[]", STATUS),
                pod("{\"namespace\":\"ns\"}", SPEC, STATUS),
                pod("{\"name\":\"\",\"namespace\":\"ns\"}", SPEC, STATUS),
                pod("{\"name\":\"p\"}", SPEC, STATUS),
                pod("{\"name\":5,\"namespace\":\"ns\"}", SPEC, STATUS),
                pod("{\"name\":\"p\",\"namespace\":\"ns\",\"labels\":{\"a\":1}}", SPEC, STATUS),
                pod("{\"name\":\"p\",\"namespace\":\"ns\",\"labels\":{\"a\":\"1\",\"a\":\"2\"}}", SPEC, STATUS),
                pod("null", SPEC, STATUS),
                pod(META, SPEC, STATUS).replace("}", ",\"spec\":{}}").replaceFirst(",\"spec\":\\{}}$", ",\"spec\":{}}"),
                "{\"metadata\":" + META + ",\"apiVersion\":\"v1\",\"kind\":\"Pod\"}",
                "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":" + META + "}",
                "{\"apiVersion\":\"v2\",\"kind\":\"Pod\",\"metadata\":" + META + "}")) {
            assertNull(PodWatchEvents.parse(MAPPER.getFactory(), event("MODIFIED", variant)), variant);
        }
        // whole messages the fast path does not take
        assertNull(PodWatchEvents.parse(MAPPER.getFactory(), "[]"));
        assertNull(PodWatchEvents.parse(MAPPER.getFactory(), "{\"type\":\"ADDED\"}"));
        assertNull(PodWatchEvents.parse(MAPPER.getFactory(), event("ADDED", pod(META, SPEC, STATUS)) + " {}"));
        assertNull(PodWatchEvents.parse(MAPPER.getFactory(), event("ADDED", pod(META, SPEC, STATUS)).replace("}}}",
                "}},\"extra\":1}")));
        assertNull(PodWatchEvents.parse(MAPPER.getFactory(), "{\"type\":\"ADDED\",\"object\":{\"apiVersion\":\"v1\""));
    }

    @Test
    void serializationFallsBackToFabric8ForEverythingElse() {
        WatchEvent pod = serialization.unmarshal(event("ADDED", pod(META, SPEC, STATUS)), WatchEvent.class);
        assertInstanceOf(PodWatchEvents.TranslatedPod.class, pod.getObject());

        WatchEvent bad = serialization.unmarshal(event("MODIFIED", pod(META, SPEC, "{\"podIP\":\"banana\"}")),
                WatchEvent.class);
        GenericKubernetesResource r = assertInstanceOf(GenericKubernetesResource.class, bad.getObject());
        assertEquals(PodWatchEvents.TranslatedPod.class != r.getClass(), true);
        MalformedObjectException e = assertThrows(MalformedObjectException.class, () -> KubeTranslator.pod(r));
        assertEquals(true, e.getMessage().contains("status.podIP"), e.getMessage());

        serialization.registerKubernetesResource(Status.class);
        WatchEvent gone = serialization.unmarshal(event("ERROR", "{\"apiVersion\":\"v1\",\"kind\":\"Status\","
                + "\"status\":\"Failure\",\"code\":410,\"reason\":\"Expired\"}"), WatchEvent.class);
        assertEquals(410, assertInstanceOf(Status.class, gone.getObject()).getCode());

        WatchEvent svc = serialization.unmarshal(event("ADDED", "{\"apiVersion\":\"v1\",\"kind\":\"Service\","
                + "\"metadata\":{\"name\":\"s\",\"namespace\":\"n\"}}"), WatchEvent.class);
        assertEquals(GenericKubernetesResource.class, svc.getObject().getClass());

        WatchEvent bookmark = serialization.unmarshal(event("BOOKMARK", "{\"apiVersion\":\"v1\",\"kind\":\"Pod\","
                + "\"metadata\":{\"resourceVersion\":\"99\"}}"), WatchEvent.class);
        assertEquals("99", ((GenericKubernetesResource) bookmark.getObject()).getMetadata().getResourceVersion());
    }
}
