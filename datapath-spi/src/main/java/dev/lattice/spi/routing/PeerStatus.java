package dev.lattice.spi.routing;

import dev.lattice.spi.net.IpAddress;
import java.time.Instant;
import java.util.Objects;

/**
 * The state of one routing peer (a BGP neighbour, or a remote node for static routing).
 *
 * @param address            the peer's address
 * @param remoteAs           its AS number (0 where it has none)
 * @param state              its session state, e.g. {@code Established}
 * @param since              when it entered that state
 * @param prefixesReceived   prefixes learned from it
 * @param prefixesAdvertised prefixes sent to it
 */
public record PeerStatus(IpAddress address, long remoteAs, String state, Instant since,
                         long prefixesReceived, long prefixesAdvertised) {
    public PeerStatus {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(since, "since");
    }
}
