package dev.lattice.spi.service;

import dev.lattice.spi.net.IpAddress;
import dev.lattice.spi.net.IpPrefix;
import dev.lattice.spi.net.Protocol;
import java.util.List;
import java.util.Objects;

/**
 * One port of one Service, resolved: the addresses it answers on and the endpoints behind it.
 *
 * @param namespace               the Service's namespace
 * @param name                    the Service's name
 * @param portName                the port's name (empty for an unnamed port)
 * @param protocol                the port's protocol
 * @param port                    the service port
 * @param clusterIps              cluster IPs (one per family; empty for a headless service)
 * @param nodePort                the node port, or 0
 * @param externalIps             {@code spec.externalIPs}
 * @param loadBalancerIps         {@code status.loadBalancer.ingress[].ip}
 * @param loadBalancerSourceRanges allowed client ranges for load-balancer IPs (empty: all)
 * @param externalTrafficPolicy   for node ports, external and load-balancer IPs
 * @param internalTrafficPolicy   for cluster IPs
 * @param sessionAffinity         client-IP affinity
 * @param healthCheckNodePort     the health-check node port for {@code LOCAL} external policy, or 0
 * @param endpoints               the endpoints of this port, all conditions included
 */
public record VirtualService(String namespace, String name, String portName, Protocol protocol, int port,
                             List<IpAddress> clusterIps, int nodePort, List<IpAddress> externalIps,
                             List<IpAddress> loadBalancerIps, List<IpPrefix> loadBalancerSourceRanges,
                             TrafficPolicy externalTrafficPolicy, TrafficPolicy internalTrafficPolicy,
                             SessionAffinity sessionAffinity, int healthCheckNodePort,
                             List<Endpoint> endpoints) {
    public VirtualService {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        portName = portName == null ? "" : portName;
        Objects.requireNonNull(protocol, "protocol");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("service port " + port + " is outside 1..65535");
        }
        if (nodePort < 0 || nodePort > 65535 || healthCheckNodePort < 0 || healthCheckNodePort > 65535) {
            throw new IllegalArgumentException("node port outside 0..65535");
        }
        clusterIps = List.copyOf(clusterIps);
        externalIps = List.copyOf(externalIps);
        loadBalancerIps = List.copyOf(loadBalancerIps);
        loadBalancerSourceRanges = List.copyOf(loadBalancerSourceRanges);
        Objects.requireNonNull(externalTrafficPolicy, "externalTrafficPolicy");
        Objects.requireNonNull(internalTrafficPolicy, "internalTrafficPolicy");
        Objects.requireNonNull(sessionAffinity, "sessionAffinity");
        endpoints = List.copyOf(endpoints);
    }

    /** {@code namespace/name:portName}, the kube-proxy "service port name". */
    public String key() {
        return namespace + "/" + name + (portName.isEmpty() ? "" : ":" + portName);
    }
}
