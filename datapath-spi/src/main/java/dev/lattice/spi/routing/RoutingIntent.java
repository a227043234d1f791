package dev.lattice.spi.routing;

import dev.lattice.spi.net.IpPrefix;
import dev.lattice.spi.node.NodeInfo;
import java.util.List;
import java.util.Objects;

/**
 * The desired routing state, given whole on every update.
 *
 * @param localNode  this node
 * @param nodes      every node of the cluster, this one included
 * @param advertised prefixes this node should make reachable: its pod CIDRs and, when enabled,
 *                   service cluster, external and load-balancer IPs
 */
public record RoutingIntent(NodeInfo localNode, List<NodeInfo> nodes, List<IpPrefix> advertised) {
    public RoutingIntent {
        Objects.requireNonNull(localNode, "localNode");
        nodes = List.copyOf(nodes);
        advertised = List.copyOf(advertised);
    }
}
