package dev.lattice.spi.routing;

import java.util.Objects;

/**
 * What a distributor gets when it starts.
 *
 * @param localNodeName the name of the node this agent runs on
 * @param sink          where learned routes go
 */
public record RoutingContext(String localNodeName, LearnedRouteSink sink) {
    public RoutingContext {
        Objects.requireNonNull(localNodeName, "localNodeName");
        Objects.requireNonNull(sink, "sink");
    }
}
