package dev.lattice.spi.node;

import dev.lattice.spi.net.IpAddress;
import dev.lattice.spi.net.IpPrefix;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A cluster node as plugins see it.
 *
 * @param name        the Kubernetes node name
 * @param internalIps the node's InternalIP addresses (one per family in a dual-stack cluster)
 * @param podCidrs    the pod CIDRs allocated to the node ({@code spec.podCIDRs}, or the override annotation)
 * @param labels      node labels
 * @param annotations node annotations (plugins read their own, e.g. BGP peers)
 */
public record NodeInfo(String name, List<IpAddress> internalIps, List<IpPrefix> podCidrs,
                       Map<String, String> labels, Map<String, String> annotations) {
    public NodeInfo {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("node name is empty");
        }
        internalIps = List.copyOf(internalIps);
        podCidrs = List.copyOf(podCidrs);
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
    }

    /** The first InternalIP of {@code family}'s kind, if the node has one. */
    public java.util.Optional<IpAddress> internalIp(dev.lattice.spi.net.IpFamily family) {
        return internalIps.stream().filter(a -> a.family() == family).findFirst();
    }
}
