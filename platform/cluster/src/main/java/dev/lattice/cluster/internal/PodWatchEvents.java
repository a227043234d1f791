package dev.lattice.cluster.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lattice.cluster.api.ClusterPod;
import dev.lattice.cluster.api.PortProtocol;
import dev.lattice.spi.net.IpAddress;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The fast path for Pod watch events: one streaming pass over the WebSocket message, straight
 * into a {@link ClusterPod} (no JSON tree, no generic map, no second walk by
 * {@link KubeTranslator}). Pod updates are most of what a cluster sends.
 *
 * <p>It takes only messages it understands completely: {@code {"type":...,"object":{"apiVersion":
 * "v1","kind":"Pod",...}}} with well-formed fields. For anything else - other kinds, Status
 * errors, bookmarks, a field of an unexpected type, a bad IP - {@link #parse} returns null and
 * fabric8's own parsing runs as before, so odd or malformed objects take the general path and are
 * reported (or skipped) by {@link KubeTranslator} exactly as they were. Translation here must give
 * the same {@link ClusterPod} as {@link KubeTranslator#pod} (checked by tests).
 */
final class PodWatchEvents {
    private PodWatchEvents() {
    }

    /** A pod as the informer sees it: metadata only, with the translated value attached. */
    static final class TranslatedPod extends GenericKubernetesResource {
        private final transient ClusterPod pod;

        TranslatedPod(ClusterPod pod, String resourceVersion, String uid) {
            this.pod = pod;
            setApiVersion("v1");
            setKind("Pod");
            ObjectMeta m = new ObjectMeta();
            m.setNamespace(pod.namespace());
            m.setName(pod.name());
            m.setResourceVersion(resourceVersion);
            m.setUid(uid);
            setMetadata(m);
        }

        ClusterPod pod() {
            return pod;
        }
    }

    /** fabric8's serialization, with watch events of Pods parsed by {@link #parse} first. */
    static final class Serialization extends KubernetesSerialization {
        private final JsonFactory factory;

        Serialization(ObjectMapper mapper) {
            super(mapper, false);
            this.factory = mapper.getFactory();
        }

        @Override
        public <T> T unmarshal(String str, Class<T> type) {
            if (type == WatchEvent.class) {
                WatchEvent e = parse(factory, str);
                if (e != null) {
                    return type.cast(e);
                }
            }
            return super.unmarshal(str, type);
        }
    }

    /** The event, or null when the general path should parse it. */
    static WatchEvent parse(JsonFactory factory, String message) {
        try (JsonParser p = factory.createParser(message)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            String type = null;
            TranslatedPod object = null;
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                if (field.equals("type") && type == null && v == JsonToken.VALUE_STRING) {
                    type = p.getText();
                } else if (field.equals("object") && object == null) {
                    object = pod(p);
                    if (object == null) {
                        return null;
                    }
                } else {
                    return null;
                }
            }
            if (t != JsonToken.END_OBJECT || type == null || object == null || p.nextToken() != null) {
                return null;
            }
            return new WatchEvent(object, type);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Mutable fields while reading one pod. */
    private static final class Acc {
        String name;
        String namespace;
        String uid;
        String resourceVersion;
        Map<String, String> labels = Map.of();
        boolean terminating;
        String nodeName = "";
        boolean hostNetwork;
        List<ClusterPod.ContainerPort> ports = List.of();
        List<IpAddress> podIps = List.of();
        String podIp;
        String phase = "";
    }

    /** At the object's START_OBJECT; null when the general path should take it. */
    static TranslatedPod pod(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            return null;
        }
        // apiVersion and kind come first (the API server and fabric8 both write them first)
        String apiVersion = null;
        String kind = null;
        for (int i = 0; i < 2; i++) {
            if (p.nextToken() != JsonToken.FIELD_NAME) {
                return null;
            }
            String f = p.currentName();
            if (p.nextToken() != JsonToken.VALUE_STRING) {
                return null;
            }
            if (f.equals("apiVersion") && apiVersion == null) {
                apiVersion = p.getText();
            } else if (f.equals("kind") && kind == null) {
                kind = p.getText();
            } else {
                return null;
            }
        }
        if (!"v1".equals(apiVersion) || !"Pod".equals(kind)) {
            return null;
        }
        Acc a = new Acc();
        int seen = 0;
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            JsonToken v = p.nextToken();
            int bit = switch (f) {
                case "metadata" -> 1;
                case "spec" -> 2;
                case "status" -> 4;
                case "apiVersion", "kind" -> -1;
                default -> 0;
            };
            if (bit < 0 || (seen & bit) != 0) {
                return null;
            }
            seen |= bit;
            boolean ok = switch (bit) {
                case 1 -> v == JsonToken.START_OBJECT && metadata(p, a);
                case 2 -> v == JsonToken.VALUE_NULL || v == JsonToken.START_OBJECT && spec(p, a);
                case 4 -> v == JsonToken.VALUE_NULL || v == JsonToken.START_OBJECT && status(p, a);
                default -> {
                    p.skipChildren();
                    yield true;
                }
            };
            if (!ok) {
                return null;
            }
        }
        if (t != JsonToken.END_OBJECT || a.name == null || a.name.isEmpty() || a.namespace == null) {
            return null;
        }
        List<IpAddress> ips = a.podIps;
        if (ips.isEmpty() && a.podIp != null && !a.podIp.isEmpty()) {
            ips = List.of(IpAddress.parse(a.podIp));
        }
        ClusterPod pod = new ClusterPod(a.namespace, a.name, a.uid, a.resourceVersion, a.nodeName, a.labels, ips,
                a.hostNetwork, a.phase, a.terminating, a.ports);
        return new TranslatedPod(pod, a.resourceVersion, a.uid);
    }

    private static boolean metadata(JsonParser p, Acc a) throws IOException {
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            JsonToken v = p.nextToken();
            switch (f) {
                case "name" -> {
                    if (v != JsonToken.VALUE_STRING) {
                        return false;
                    }
                    a.name = p.getText();
                }
                case "namespace" -> {
                    if (v != JsonToken.VALUE_STRING) {
                        return false;
                    }
                    a.namespace = p.getText();
                }
                case "uid" -> {
                    if (v != JsonToken.VALUE_STRING && v != JsonToken.VALUE_NULL) {
                        return false;
                    }
                    a.uid = v == JsonToken.VALUE_NULL ? null : p.getText();
                }
                case "resourceVersion" -> {
                    if (v != JsonToken.VALUE_STRING && v != JsonToken.VALUE_NULL) {
                        return false;
                    }
                    a.resourceVersion = v == JsonToken.VALUE_NULL ? null : p.getText();
                }
                case "deletionTimestamp" -> {
                    if (v != JsonToken.VALUE_STRING && v != JsonToken.VALUE_NULL) {
                        return false;
                    }
                    a.terminating = v == JsonToken.VALUE_STRING;
                }
                case "labels" -> {
                    if (v == JsonToken.VALUE_NULL) {
                        a.labels = Map.of();
                    } else if (v != JsonToken.START_OBJECT || !labels(p, a)) {
                        return false;
                    }
                }
                default -> p.skipChildren();
            }
        }
        return t == JsonToken.END_OBJECT;
    }

    @SuppressWarnings("unchecked")
    private static boolean labels(JsonParser p, Acc a) throws IOException {
        List<Map.Entry<String, String>> entries = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String k = p.currentName();
            JsonToken v = p.nextToken();
            if (v == JsonToken.VALUE_STRING) {
                entries.add(Map.entry(k.intern(), p.getText().intern()));
            } else if (v == JsonToken.VALUE_NULL) {
                entries.add(Map.entry(k.intern(), ""));
            } else {
                return false;
            }
        }
        // Map.ofEntries rejects duplicate keys (IllegalArgumentException): the general path decides then
        a.labels = entries.isEmpty() ? Map.of() : Map.ofEntries(entries.toArray(new Map.Entry[0]));
        return t == JsonToken.END_OBJECT;
    }

    private static boolean spec(JsonParser p, Acc a) throws IOException {
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            JsonToken v = p.nextToken();
            switch (f) {
                case "nodeName" -> {
                    if (v != JsonToken.VALUE_STRING && v != JsonToken.VALUE_NULL) {
                        return false;
                    }
                    a.nodeName = v == JsonToken.VALUE_NULL ? "" : p.getText();
                }
                case "hostNetwork" -> {
                    if (v != JsonToken.VALUE_TRUE && v != JsonToken.VALUE_FALSE && v != JsonToken.VALUE_NULL) {
                        return false;
                    }
                    a.hostNetwork = v == JsonToken.VALUE_TRUE;
                }
                case "containers" -> {
                    a.ports = new ArrayList<>();
                    if (v != JsonToken.VALUE_NULL && (v != JsonToken.START_ARRAY || !containers(p, a))) {
                        return false;
                    }
                }
                default -> p.skipChildren();
            }
        }
        return t == JsonToken.END_OBJECT;
    }

    private static boolean containers(JsonParser p, Acc a) throws IOException {
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t == JsonToken.VALUE_NULL) {
                continue; // a null container has no ports
            }
            if (t != JsonToken.START_OBJECT) {
                return false;
            }
            List<ClusterPod.ContainerPort> ports = null;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                JsonToken v = p.nextToken();
                if (f.equals("ports")) {
                    ports = new ArrayList<>();
                    if (v != JsonToken.VALUE_NULL && (v != JsonToken.START_ARRAY || !ports(p, ports))) {
                        return false;
                    }
                } else {
                    p.skipChildren();
                }
            }
            if (t != JsonToken.END_OBJECT) {
                return false;
            }
            if (ports != null) {
                a.ports.addAll(ports);
            }
        }
        return true;
    }

    private static boolean ports(JsonParser p, List<ClusterPod.ContainerPort> out) throws IOException {
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t != JsonToken.START_OBJECT) {
                return false;
            }
            String name = "";
            int port = 0;
            PortProtocol protocol = PortProtocol.TCP;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                JsonToken v = p.nextToken();
                switch (f) {
                    case "name" -> {
                        if (v != JsonToken.VALUE_STRING && v != JsonToken.VALUE_NULL) {
                            return false;
                        }
                        name = v == JsonToken.VALUE_NULL ? "" : p.getText();
                    }
                    case "containerPort" -> {
                        if (v == JsonToken.VALUE_NULL) {
                            port = 0;
                        } else if (v == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT) {
                            port = p.getIntValue();
                        } else {
                            return false;
                        }
                    }
                    case "protocol" -> {
                        if (v != JsonToken.VALUE_STRING && v != JsonToken.VALUE_NULL) {
                            return false;
                        }
                        protocol = PortProtocol.parse(v == JsonToken.VALUE_NULL ? "" : p.getText());
                    }
                    default -> p.skipChildren();
                }
            }
            if (t != JsonToken.END_OBJECT) {
                return false;
            }
            out.add(new ClusterPod.ContainerPort(name, port, protocol));
        }
        return true;
    }

    private static boolean status(JsonParser p, Acc a) throws IOException {
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            JsonToken v = p.nextToken();
            switch (f) {
                case "phase" -> {
                    if (v != JsonToken.VALUE_STRING && v != JsonToken.VALUE_NULL) {
                        return false;
                    }
                    a.phase = v == JsonToken.VALUE_NULL ? "" : p.getText();
                }
                case "podIP" -> {
                    if (v != JsonToken.VALUE_STRING && v != JsonToken.VALUE_NULL) {
                        return false;
                    }
                    a.podIp = v == JsonToken.VALUE_NULL ? null : p.getText();
                }
                case "podIPs" -> {
                    a.podIps = new ArrayList<>();
                    if (v != JsonToken.VALUE_NULL && (v != JsonToken.START_ARRAY || !podIps(p, a.podIps))) {
                        return false;
                    }
                }
                default -> p.skipChildren();
            }
        }
        return t == JsonToken.END_OBJECT;
    }

    private static boolean podIps(JsonParser p, List<IpAddress> out) throws IOException {
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t != JsonToken.START_OBJECT) {
                return false;
            }
            String ip = null;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                JsonToken v = p.nextToken();
                if (f.equals("ip")) {
                    if (v != JsonToken.VALUE_STRING) {
                        return false;
                    }
                    ip = p.getText();
                } else {
                    p.skipChildren();
                }
            }
            if (t != JsonToken.END_OBJECT || ip == null) {
                return false;
            }
            out.add(IpAddress.parse(ip));
        }
        return true;
    }
}
