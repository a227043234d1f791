package dev.lattice.spi.policy;

import dev.lattice.spi.net.Protocol;
import java.util.Objects;

/**
 * A protocol with a port or port range. {@code port == 0} matches every port of the protocol.
 * Named ports have already been resolved to numbers by the core.
 */
public record PortMatch(Protocol protocol, int port, int endPort) {
    public PortMatch {
        Objects.requireNonNull(protocol, "protocol");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is outside 0..65535");
        }
        if (endPort == 0) {
            endPort = port;
        }
        if (endPort < port || endPort > 65535) {
            throw new IllegalArgumentException("endPort " + endPort + " is below port " + port
                    + " or above 65535");
        }
    }

    public static PortMatch of(Protocol protocol, int port) {
        return new PortMatch(protocol, port, port);
    }
}
