package dev.lattice.cluster.api;

/** The kinds the watch layer follows. */
public enum ResourceKind {
    NODE(ClusterNode.class, false),
    POD(ClusterPod.class, true),
    NAMESPACE(ClusterNamespace.class, false),
    SERVICE(ClusterService.class, true),
    ENDPOINT_SLICE(ClusterEndpointSlice.class, true),
    NETWORK_POLICY(ClusterNetworkPolicy.class, true);

    private final Class<? extends ClusterObject> type;
    private final boolean namespaced;

    ResourceKind(Class<? extends ClusterObject> type, boolean namespaced) {
        this.type = type;
        this.namespaced = namespaced;
    }

    /** The value class objects of this kind have. */
    public Class<? extends ClusterObject> type() {
        return type;
    }

    public boolean namespaced() {
        return namespaced;
    }
}
