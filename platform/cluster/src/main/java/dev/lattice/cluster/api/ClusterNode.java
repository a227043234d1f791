package dev.lattice.cluster.api;

import dev.lattice.spi.net.IpAddress;
import dev.lattice.spi.net.IpPrefix;
import dev.lattice.spi.node.NodeInfo;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A Node.
 *
 * @param name            the node name
 * @param uid             {@code metadata.uid}
 * @param resourceVersion {@code metadata.resourceVersion}
 * @param labels          node labels
 * @param annotations     node annotations (plugins read their own from here)
 * @param internalIps     {@code status.addresses} of type InternalIP, in the order given (one per
 *                        family in a dual-stack cluster)
 * @param externalIps     {@code status.addresses} of type ExternalIP
 * @param podCidrs        the pod CIDRs in effect: the {@value #POD_CIDRS_ANNOTATION} annotation when
 *                        it is present and valid, else {@code spec.podCIDRs}, else
 *                        {@code spec.podCIDR}
 * @param podCidrsFromAnnotation whether {@code podCidrs} came from the annotation
 * @param ready           whether the Ready condition is True
 * @param unschedulable   {@code spec.unschedulable}
 */
public record ClusterNode(String name, String uid, String resourceVersion, Map<String, String> labels,
                          Map<String, String> annotations, List<IpAddress> internalIps,
                          List<IpAddress> externalIps, List<IpPrefix> podCidrs, boolean podCidrsFromAnnotation,
                          boolean ready, boolean unschedulable) implements ClusterObject {
    /**
     * The annotation that overrides a node's pod CIDRs: a comma-separated list of prefixes, at
     * most one per address family, e.g. {@code 10.244.3.0/24,fd00:10:244:3::/64}. For clusters
     * whose controller manager does not allocate node CIDRs.
     */
    public static final String POD_CIDRS_ANNOTATION = "lattice.dev/pod-cidrs";

    public ClusterNode {
        Objects.requireNonNull(name, "name");
        uid = uid == null ? "" : uid;
        resourceVersion = resourceVersion == null ? "" : resourceVersion;
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
        internalIps = List.copyOf(internalIps);
        externalIps = List.copyOf(externalIps);
        podCidrs = List.copyOf(podCidrs);
    }

    @Override
    public ObjectKey key() {
        return ObjectKey.cluster(name);
    }

    @Override
    public ResourceKind kind() {
        return ResourceKind.NODE;
    }

    /** This node as the SPI's {@link NodeInfo}. */
    public NodeInfo toNodeInfo() {
        return new NodeInfo(name, internalIps, podCidrs, labels, annotations);
    }
}
