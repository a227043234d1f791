package dev.lattice.spi.routing;

import java.util.List;
import java.util.Objects;

/** A distributor's current state, for health and the admin API. */
public record RoutingStatus(boolean healthy, String summary, List<PeerStatus> peers) {
    public RoutingStatus {
        Objects.requireNonNull(summary, "summary");
        peers = List.copyOf(peers);
    }
}
