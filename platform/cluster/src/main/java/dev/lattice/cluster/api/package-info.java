/**
 * The cluster as Lattice sees it: immutable, Lattice-owned values (no fabric8 or Kubernetes
 * client types) for Nodes, Pods, Namespaces, Services, EndpointSlices and NetworkPolicies, an
 * immutable {@link dev.lattice.cluster.api.ClusterSnapshot} with indexes, typed change
 * notifications and the node's identity.
 *
 * <p>Get it from the {@link dev.lattice.cluster.api.ClusterState} OSGi service; receive changes
 * by {@link dev.lattice.cluster.api.ClusterState#subscribe} or by registering a
 * {@link dev.lattice.cluster.api.ClusterListener} as an OSGi service (whiteboard).
 */
package dev.lattice.cluster.api;
