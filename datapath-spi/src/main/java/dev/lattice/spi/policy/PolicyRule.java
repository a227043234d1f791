package dev.lattice.spi.policy;

import java.util.List;

/**
 * One allow rule: traffic from (ingress) or to (egress) any of {@code peers} on any of
 * {@code ports}. An empty {@code peers} means every address; an empty {@code ports} every port.
 */
public record PolicyRule(List<AddressSet> peers, List<PortMatch> ports) {
    public PolicyRule {
        peers = List.copyOf(peers);
        ports = List.copyOf(ports);
    }
}
