package dev.lattice.spi.service;

import dev.lattice.spi.net.IpAddress;
import dev.lattice.spi.net.IpPrefix;
import java.util.List;
import java.util.Objects;

/**
 * The whole desired service state of this node, given on every sync.
 *
 * @param localNodeName the node this agent runs on
 * @param nodeIps       addresses node ports answer on
 * @param podCidrs      the cluster's pod CIDRs (traffic from outside them is masqueraded
 *                      where kube-proxy would)
 * @param services      every service port
 */
public record ServiceState(String localNodeName, List<IpAddress> nodeIps, List<IpPrefix> podCidrs,
                           List<VirtualService> services) {
    public static final ServiceState EMPTY = new ServiceState("", List.of(), List.of(), List.of());

    public ServiceState {
        Objects.requireNonNull(localNodeName, "localNodeName");
        nodeIps = List.copyOf(nodeIps);
        podCidrs = List.copyOf(podCidrs);
        services = List.copyOf(services);
    }
}
