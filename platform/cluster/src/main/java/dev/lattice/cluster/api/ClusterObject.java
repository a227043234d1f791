package dev.lattice.cluster.api;

/**
 * A Kubernetes object as the watch layer keeps it. Every implementation is an immutable record
 * with value equality: two snapshots holding equal objects hold the same state.
 */
public sealed interface ClusterObject
        permits ClusterNode, ClusterPod, ClusterNamespace, ClusterService, ClusterEndpointSlice,
        ClusterNetworkPolicy {
    ObjectKey key();

    ResourceKind kind();

    /** The object's UID ({@code metadata.uid}), empty when the server gave none. */
    String uid();

    /** The object's {@code metadata.resourceVersion}. */
    String resourceVersion();
}
