package dev.lattice.cluster.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The whole cluster at one moment, immutable: every Node, Pod, Namespace, Service,
 * EndpointSlice and NetworkPolicy the watch layer holds, plus indexes. Safe to share between
 * threads and to keep; a newer snapshot never changes an older one.
 *
 * <p>Indexes are built on first use and shared with later snapshots while their kind did not
 * change, so reading them is cheap after the first call.
 */
public final class ClusterSnapshot {
    private final long version;
    private final boolean synced;
    private final String localNodeName;
    private final Map<ObjectKey, ClusterNode> nodes;
    private final Map<ObjectKey, ClusterPod> pods;
    private final Map<ObjectKey, ClusterNamespace> namespaces;
    private final Map<ObjectKey, ClusterService> services;
    private final Map<ObjectKey, ClusterEndpointSlice> endpointSlices;
    private final Map<ObjectKey, ClusterNetworkPolicy> networkPolicies;
    private final PodIndex podIndex;
    private final SliceIndex sliceIndex;

    /** The empty, unsynced snapshot (version 0) of a node. */
    public static ClusterSnapshot empty(String localNodeName) {
        return new ClusterSnapshot(0, false, localNodeName, Map.of(), Map.of(), Map.of(), Map.of(), Map.of(),
                Map.of(), null);
    }

    /**
     * A snapshot. The maps must not be changed afterwards (the watch layer passes immutable or
     * freshly copied maps; pass {@code previous} to reuse its indexes for unchanged kinds).
     */
    public ClusterSnapshot(long version, boolean synced, String localNodeName,
                           Map<ObjectKey, ClusterNode> nodes, Map<ObjectKey, ClusterPod> pods,
                           Map<ObjectKey, ClusterNamespace> namespaces, Map<ObjectKey, ClusterService> services,
                           Map<ObjectKey, ClusterEndpointSlice> endpointSlices,
                           Map<ObjectKey, ClusterNetworkPolicy> networkPolicies, ClusterSnapshot previous) {
        this.version = version;
        this.synced = synced;
        this.localNodeName = localNodeName == null ? "" : localNodeName;
        this.nodes = Collections.unmodifiableMap(nodes);
        this.pods = Collections.unmodifiableMap(pods);
        this.namespaces = Collections.unmodifiableMap(namespaces);
        this.services = Collections.unmodifiableMap(services);
        this.endpointSlices = Collections.unmodifiableMap(endpointSlices);
        this.networkPolicies = Collections.unmodifiableMap(networkPolicies);
        this.podIndex = previous != null && previous.podIndex.source == pods ? previous.podIndex : new PodIndex(pods);
        this.sliceIndex = previous != null && previous.sliceIndex.source == endpointSlices
                ? previous.sliceIndex : new SliceIndex(endpointSlices);
    }

    /** Increases by at least one with every published change; 0 before the first list. */
    public long version() {
        return version;
    }

    /** Whether every kind had been listed completely when this snapshot was taken. */
    public boolean synced() {
        return synced;
    }

    /** The name of the node this agent runs on. */
    public String localNodeName() {
        return localNodeName;
    }

    /** This agent's Node object, when it exists in the cluster. */
    public Optional<ClusterNode> localNode() {
        return node(localNodeName);
    }

    public Map<ObjectKey, ClusterNode> nodes() {
        return nodes;
    }

    public Map<ObjectKey, ClusterPod> pods() {
        return pods;
    }

    public Map<ObjectKey, ClusterNamespace> namespaces() {
        return namespaces;
    }

    public Map<ObjectKey, ClusterService> services() {
        return services;
    }

    public Map<ObjectKey, ClusterEndpointSlice> endpointSlices() {
        return endpointSlices;
    }

    public Map<ObjectKey, ClusterNetworkPolicy> networkPolicies() {
        return networkPolicies;
    }

    /** The objects of one kind. */
    public Map<ObjectKey, ? extends ClusterObject> objects(ResourceKind kind) {
        return switch (kind) {
            case NODE -> nodes;
            case POD -> pods;
            case NAMESPACE -> namespaces;
            case SERVICE -> services;
            case ENDPOINT_SLICE -> endpointSlices;
            case NETWORK_POLICY -> networkPolicies;
        };
    }

    /** The total number of objects. */
    public int size() {
        return nodes.size() + pods.size() + namespaces.size() + services.size() + endpointSlices.size()
                + networkPolicies.size();
    }

    public Optional<ClusterNode> node(String name) {
        return Optional.ofNullable(nodes.get(ObjectKey.cluster(name)));
    }

    public Optional<ClusterPod> pod(String namespace, String name) {
        return Optional.ofNullable(pods.get(new ObjectKey(namespace, name)));
    }

    public Optional<ClusterNamespace> namespace(String name) {
        return Optional.ofNullable(namespaces.get(ObjectKey.cluster(name)));
    }

    public Optional<ClusterService> service(String namespace, String name) {
        return Optional.ofNullable(services.get(new ObjectKey(namespace, name)));
    }

    /** The pods scheduled on {@code nodeName} (index). */
    public List<ClusterPod> podsOnNode(String nodeName) {
        return podIndex.byNode().getOrDefault(nodeName, List.of());
    }

    /** The pods on this agent's node (index). */
    public List<ClusterPod> localPods() {
        return podsOnNode(localNodeName);
    }

    /** The pods of a namespace (index). */
    public List<ClusterPod> podsInNamespace(String namespace) {
        return podIndex.byNamespace().getOrDefault(namespace, List.of());
    }

    /** The pods of {@code namespace} whose labels {@code selector} matches (namespace index, then labels). */
    public List<ClusterPod> podsMatching(String namespace, LabelSelector selector) {
        if (selector.matchesNothing()) {
            return List.of();
        }
        List<ClusterPod> inNs = podsInNamespace(namespace);
        if (selector.isEverything()) {
            return inNs;
        }
        List<ClusterPod> out = new ArrayList<>();
        for (ClusterPod p : inNs) {
            if (selector.matches(p.labels())) {
                out.add(p);
            }
        }
        return out;
    }

    /** The EndpointSlices of a Service (index on label {@code kubernetes.io/service-name}). */
    public List<ClusterEndpointSlice> endpointSlicesFor(ObjectKey service) {
        return sliceIndex.byService().getOrDefault(service, List.of());
    }

    public List<ClusterEndpointSlice> endpointSlicesFor(String namespace, String serviceName) {
        return endpointSlicesFor(new ObjectKey(namespace, serviceName));
    }

    @Override
    public String toString() {
        return "ClusterSnapshot{v" + version + (synced ? ", synced" : ", not synced") + ", nodes=" + nodes.size()
                + ", pods=" + pods.size() + ", namespaces=" + namespaces.size() + ", services=" + services.size()
                + ", endpointSlices=" + endpointSlices.size() + ", networkPolicies=" + networkPolicies.size() + "}";
    }

    private static <K, T> Map<K, List<T>> group(Iterable<T> values, Function<T, K> key) {
        Map<K, List<T>> m = new HashMap<>();
        for (T v : values) {
            K k = key.apply(v);
            if (k != null) {
                m.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
            }
        }
        m.replaceAll((k, l) -> Collections.unmodifiableList(l));
        return Collections.unmodifiableMap(m);
    }

    private static final class PodIndex {
        final Map<ObjectKey, ClusterPod> source;
        private volatile Map<String, List<ClusterPod>> byNode;
        private volatile Map<String, List<ClusterPod>> byNamespace;

        PodIndex(Map<ObjectKey, ClusterPod> source) {
            this.source = Objects.requireNonNull(source);
        }

        Map<String, List<ClusterPod>> byNode() {
            Map<String, List<ClusterPod>> m = byNode;
            if (m == null) {
                m = group(source.values(), p -> p.nodeName().isEmpty() ? null : p.nodeName());
                byNode = m;
            }
            return m;
        }

        Map<String, List<ClusterPod>> byNamespace() {
            Map<String, List<ClusterPod>> m = byNamespace;
            if (m == null) {
                m = group(source.values(), ClusterPod::namespace);
                byNamespace = m;
            }
            return m;
        }
    }

    private static final class SliceIndex {
        final Map<ObjectKey, ClusterEndpointSlice> source;
        private volatile Map<ObjectKey, List<ClusterEndpointSlice>> byService;

        SliceIndex(Map<ObjectKey, ClusterEndpointSlice> source) {
            this.source = Objects.requireNonNull(source);
        }

        Map<ObjectKey, List<ClusterEndpointSlice>> byService() {
            Map<ObjectKey, List<ClusterEndpointSlice>> m = byService;
            if (m == null) {
                m = group(source.values(), ClusterEndpointSlice::serviceKey);
                byService = m;
            }
            return m;
        }
    }
}
