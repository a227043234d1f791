package dev.lattice.spi.policy;

import dev.lattice.spi.node.PodInfo;
import java.util.List;
import java.util.Objects;

/**
 * The compiled policy of one local pod. When a direction is isolated (some policy selecting the
 * pod has that policy type), only traffic matching one of its rules is allowed, plus replies of
 * allowed connections; a non-isolated direction allows everything.
 */
public record PodPolicy(PodInfo pod, boolean ingressIsolated, List<PolicyRule> ingress,
                        boolean egressIsolated, List<PolicyRule> egress) {
    public PodPolicy {
        Objects.requireNonNull(pod, "pod");
        ingress = List.copyOf(ingress);
        egress = List.copyOf(egress);
    }
}
