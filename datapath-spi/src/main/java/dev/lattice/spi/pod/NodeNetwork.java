package dev.lattice.spi.pod;

import dev.lattice.spi.net.IpAddress;
import dev.lattice.spi.net.IpPrefix;
import java.util.List;
import java.util.Objects;

/**
 * What a pod datapath needs to prepare the node: its pod CIDRs, the gateway address in each
 * (the first usable address) and the pod MTU.
 */
public record NodeNetwork(String nodeName, List<IpPrefix> podCidrs, List<IpAddress> gateways, int mtu) {
    public NodeNetwork {
        Objects.requireNonNull(nodeName, "nodeName");
        podCidrs = List.copyOf(podCidrs);
        gateways = List.copyOf(gateways);
        if (podCidrs.size() != gateways.size()) {
            throw new IllegalArgumentException("one gateway per pod CIDR is needed");
        }
        if (mtu < 576 || mtu > 65535) {
            throw new IllegalArgumentException("MTU " + mtu + " is outside 576..65535");
        }
    }
}
