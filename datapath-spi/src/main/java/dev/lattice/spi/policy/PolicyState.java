package dev.lattice.spi.policy;

import java.util.List;
import java.util.Objects;

/** The whole desired policy state of this node: every local pod some policy selects. */
public record PolicyState(String localNodeName, List<PodPolicy> pods) {
    public static final PolicyState EMPTY = new PolicyState("", List.of());

    public PolicyState {
        Objects.requireNonNull(localNodeName, "localNodeName");
        pods = List.copyOf(pods);
    }
}
