package dev.lattice.spi.service;

import dev.lattice.spi.net.IpAddress;
import java.util.Objects;

/**
 * One backend of a service port, with the EndpointSlice conditions.
 *
 * @param address     the endpoint address
 * @param port        the target port number
 * @param nodeName    the node it runs on (empty when unknown)
 * @param local       whether it runs on this node
 * @param ready       EndpointSlice {@code ready}
 * @param serving     EndpointSlice {@code serving}
 * @param terminating EndpointSlice {@code terminating}
 */
public record Endpoint(IpAddress address, int port, String nodeName, boolean local, boolean ready,
                       boolean serving, boolean terminating) {
    public Endpoint {
        Objects.requireNonNull(address, "address");
        nodeName = nodeName == null ? "" : nodeName;
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("endpoint port " + port + " is outside 1..65535");
        }
    }
}
