package dev.lattice.spi.service;

/** Kubernetes external/internal traffic policy. */
public enum TrafficPolicy {
    /** Any ready endpoint in the cluster. */
    CLUSTER,
    /** Only endpoints on this node; traffic is dropped when there is none. */
    LOCAL
}
