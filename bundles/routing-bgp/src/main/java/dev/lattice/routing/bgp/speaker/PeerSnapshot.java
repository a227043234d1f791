package dev.lattice.routing.bgp.speaker;

import dev.lattice.spi.net.IpAddress;

/** A peer's state for status, metrics and the admin API. */
public record PeerSnapshot(String name, IpAddress address, long remoteAs, String state, long sinceMillis,
                           long prefixesReceived, long prefixesAdvertised, long updatesIn, long updatesOut,
                           long establishedTransitions, String lastError, boolean routeReflectorClient,
                           String families) {
}
